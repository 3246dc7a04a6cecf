/**
 * bench/ipvs-apply in the vm (KTS_BENCH=1 npx vitest run --project vm test/vm/ipvs-apply-bench.test.ts):
 * 1,000 services x 10 destinations from scratch, then 1 % of the weights changed, ours against
 * `ipvsadm -R` in the same boot. Skipped in ordinary runs: it takes minutes under emulation.
 */
import { describe, expect, it } from 'vitest';
import { vm } from './harness/vm.js';
import { guestScript } from './ipvs/guest.js';

describe.skipIf(process.env.KTS_BENCH !== '1')('bench/ipvs-apply', () => {
  it('programs 1,000 x 10 and changes 1 % of the weights with ~1 % of the writes', async () => {
    const size = (process.env.KTS_BENCH_SIZE ?? '1000x10').split('x');
    const out = await vm.run(process.execPath, [guestScript('bench/ipvs-apply/guest.ts'), size[0] ?? '1000', size[1] ?? '10'], { timeoutMs: 3_600_000 });
    const result = JSON.parse(out) as Record<string, number>;
    console.log(JSON.stringify(result, null, 2));
    expect(result['oursFullFailures']).toBe(0);
    expect(result['oursFullWrites']).toBe((result['services'] ?? 0) + (result['destinations'] ?? 0));
    expect(result['oursChangeWrites']).toBe(result['changedWeights']);
  });
});
