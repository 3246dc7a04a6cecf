import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { buildFakeKernel, runOurs, runReal } from '/work/wt/ipvsadm-cli/test/unit/ipvs/ipvsadm/oracle.js';
it('smoke', async () => {
  const fake = buildFakeKernel()!;
  const file = process.env.CASES ?? '/work/wt/ipvsadm-cli/test/unit/ipvs/ipvsadm/seed-commands.txt';
  let bad = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const args = line.split(' ');
    const real = runReal(fake.library, { args });
    const ours = await runOurs({ args });
    const a = JSON.stringify(real), b = JSON.stringify(ours);
    if (a !== b) { bad++; console.log(`DIFF ${line}\n real: ${a}\n ours: ${b}`); }
  }
  console.log('bad', bad);
  fake.cleanup();
});
