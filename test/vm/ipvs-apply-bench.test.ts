/**
 * bench/ipvs-apply in the vm (KTS_BENCH=1 npx vitest run --project vm test/vm/ipvs-apply-bench.test.ts;
 * KTS_BENCH_SIZE=100x10 for a quick one): 1,000 services x 10 destinations from scratch, then
 * 1 % of the weights changed, ours against `ipvsadm -R` in the same boot. Each phase is one
 * command in the guest timed on the host, less the time of a warm run that does nothing.
 * Skipped in ordinary runs: it takes minutes under emulation.
 */
import { describe, expect, it } from 'vitest';
import { vm } from './harness/vm.js';
import { guestScript } from './ipvs/guest.js';

const [services = '1000', perService = '10'] = (process.env.KTS_BENCH_SIZE ?? '1000x10').split('x');

async function phase(mode: string): Promise<Record<string, number | string> & { seconds: number }> {
  const start = performance.now();
  const out = await vm.run(process.execPath, [guestScript('bench/ipvs-apply/guest.ts'), services, perService, mode], { timeoutMs: 2_000_000_000 });
  return { ...(JSON.parse(out) as Record<string, number | string>), seconds: (performance.now() - start) / 1000 };
}

describe.skipIf(process.env.KTS_BENCH !== '1')('bench/ipvs-apply', () => {
  it('programs the table and changes 1 % of the weights with 1 % of the writes', async () => {
    await vm.run('ipvsadm', ['-C']);
    // the first node run in a fresh guest pays for cold caches: warm up, then take the faster of two
    await phase('noop');
    const noop = [await phase('noop'), await phase('noop')].reduce((a, b) => (a.seconds < b.seconds ? a : b));
    const ipvsadmBaseline = performance.now();
    await vm.run('ipvsadm', ['-v']);
    const execSeconds = (performance.now() - ipvsadmBaseline) / 1000;
    const oursFull = await phase('ours-full');
    const oursChange = await phase('ours-change');
    await vm.run('ipvsadm', ['-C']);
    const ipvsadmFull = await phase('ipvsadm-full');
    const ipvsadmChange = await phase('ipvsadm-change');
    await vm.run('ipvsadm', ['-C']);
    const net = (p: { seconds: number }): number => Math.round((p.seconds - noop.seconds) * 100) / 100;
    console.log(
      JSON.stringify(
        {
          size: `${services}x${perService}`,
          fixedCostOfARunSeconds: noop.seconds,
          execOfIpvsadmVSeconds: execSeconds,
          oursFull: { seconds: net(oursFull), writes: oursFull['writes'], requests: oursFull['requests'] },
          oursChange: { seconds: net(oursChange), writes: oursChange['writes'], requests: oursChange['requests'] },
          ipvsadmFull: { seconds: net(ipvsadmFull), commands: ipvsadmFull['writes'] },
          ipvsadmChange: { seconds: net(ipvsadmChange), commands: ipvsadmChange['writes'] },
        },
        null,
        2,
      ),
    );
    expect(oursFull['failures']).toBe(0);
    expect(oursFull['writes']).toBe(Number(services) * (1 + Number(perService)));
    expect(oursChange['writes']).toBe(oursChange['changedWeights']);
  });
});
