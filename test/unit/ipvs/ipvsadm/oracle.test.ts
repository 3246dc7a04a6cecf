/**
 * ipvsadm-ts against Debian's ipvsadm 1.31 itself: the real binary runs over a preloaded fake
 * IPVS kernel (fake-ipvs-kernel.c), ours over a client serving the same table. Output, exit
 * status and the requests sent must be identical. Skipped where ipvsadm or gcc is missing;
 * golden.test.ts then checks ours against what this machine's ipvsadm printed.
 *
 * IPVSADM_GOLDEN_WRITE=1 rewrites golden.json from the real binary.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { oracleCases } from './cases.js';
import { buildFakeKernel, runOurs, runReal, type OracleRun } from './oracle.js';

const fake = buildFakeKernel();
const golden: Record<string, Omit<OracleRun, 'requests'>> = {};
afterAll(() => {
  fake?.cleanup();
  if (process.env.IPVSADM_GOLDEN_WRITE === '1') {
    writeFileSync(new URL('./golden.json', import.meta.url), `${JSON.stringify(golden, null, 1)}\n`);
  }
});

const groups = new Map<string, ReturnType<typeof oracleCases>>();
for (const c of oracleCases()) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);

describe.skipIf(fake === null)('ipvsadm-ts is Debian ipvsadm 1.31', () => {
  for (const [group, cases] of groups) {
    describe(group, () => {
      for (const c of cases) {
        it(
          c.id.slice(group.length + 3),
          async () => {
            const real = runReal(fake?.library ?? '', c.case);
            golden[c.id] = { status: real.status, stdout: real.stdout, stderr: real.stderr };
            expect(await runOurs(c.case)).toEqual(real);
          },
          // Without -n, Debian's ipvsadm asks the resolver about every address: allow for slow DNS.
          // Otherwise a case is a fork and an exec, which a 2-core machine at load 15 has taken over 5 s to give.
          c.slow ? 30_000 : 15_000,
        );
      }
    });
  }
});
