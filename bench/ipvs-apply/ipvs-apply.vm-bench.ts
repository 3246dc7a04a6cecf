/**
 * bench/ipvs-apply in the vm: `npm run bench:ipvs-apply` (KTS_BENCH_SIZE=100x10 for a quick one).
 * 1,000 services x 10 destinations from scratch, read-backs over one dump socket and over four,
 * then 1 % of the weights changed by a full reconcile and by the daemon's incremental pass, ours
 * against `ipvsadm -R` in the same boot. Each phase is one command in the guest timed on the
 * host, less the time of a warm run that does nothing. Results: docs/performance.md.
 */
import { describe, expect, it } from 'vitest';
import { vm } from '../../test/vm/harness/vm.js';
import { guestScript } from '../../test/vm/ipvs/guest.js';

const [services = '1000', perService = '10'] = (process.env.KTS_BENCH_SIZE ?? '1000x10').split('x');

type Phase = Record<string, number | string> & { seconds: number };

async function phase(mode: string, dumpSockets = 4): Promise<Phase> {
  const start = performance.now();
  const script = guestScript('bench/ipvs-apply/guest.ts');
  const out = await vm.run(process.execPath, [script, services, perService, mode, String(dumpSockets)], { timeoutMs: 2_000_000_000 });
  return { ...(JSON.parse(out) as Record<string, number | string>), seconds: (performance.now() - start) / 1000 };
}

describe('bench/ipvs-apply', () => {
  it('programs the table, reads it back, and changes 1 % of the weights', async () => {
    await vm.run('ipvsadm', ['-C']);
    // the first node run in a fresh guest pays for cold caches: warm up, then take the faster of two
    await phase('noop');
    const noop = [await phase('noop'), await phase('noop')].reduce((a, b) => (a.seconds < b.seconds ? a : b));
    const net = (p: Phase): number => Math.round((p.seconds - noop.seconds) * 100) / 100;
    const oursFull = await phase('ours-full');
    // read-backs alternate, one socket then four, twice: the host's load drifts within a run
    const reads: Record<'1' | '4', Phase[]> = { '1': [], '4': [] };
    for (const sockets of [1, 4, 1, 4] as const) reads[sockets === 1 ? '1' : '4'].push(await phase('ours-read', sockets));
    const changeFull = await phase('ours-change-full');
    const changeIncremental = await phase('ours-change-incremental');
    await vm.run('ipvsadm', ['-C']);
    const ipvsadmFull = await phase('ipvsadm-full');
    const ipvsadmChange = await phase('ipvsadm-change');
    await vm.run('ipvsadm', ['-C']);
    const [load1, load5] = (await import('node:os')).loadavg();
    console.log(
      JSON.stringify(
        {
          size: `${services}x${perService}`,
          hostLoadAverage: { '1min': load1, '5min': load5 },
          fixedCostOfARunSeconds: noop.seconds,
          oursFull: { seconds: net(oursFull), writes: oursFull['writes'], requests: oursFull['requests'] },
          readBackOneSocket: { seconds: reads['1'].map(net), requests: reads['1'][0]?.['requests'] },
          readBackFourSockets: { seconds: reads['4'].map(net), requests: reads['4'][0]?.['requests'] },
          changeByFullReconcile: { seconds: net(changeFull), writes: changeFull['writes'], requests: changeFull['requests'] },
          changeByKeeper: {
            fullCheckPlusIncrementalSeconds: net(changeIncremental),
            incrementalGuestMs: changeIncremental['incrementalGuestMs'],
            writes: changeIncremental['writes'],
            requests: changeIncremental['requests'],
          },
          ipvsadmFull: { seconds: net(ipvsadmFull), commands: ipvsadmFull['writes'] },
          ipvsadmChange: { seconds: net(ipvsadmChange), commands: ipvsadmChange['writes'] },
        },
        null,
        2,
      ),
    );
    expect(oursFull['failures']).toBe(0);
    expect(oursFull['writes']).toBe(Number(services) * (1 + Number(perService)));
    for (const read of [...reads['1'], ...reads['4']]) expect(read['destinationsRead']).toBe(Number(services) * Number(perService));
    expect(changeFull['writes']).toBe(changeFull['changedWeights']);
    expect(changeIncremental).toMatchObject({ passMode: 'incremental', checkWrites: 0, failures: 0, writes: changeIncremental['changedWeights'] });
    expect(changeIncremental['requests']).toBe(changeIncremental['changedWeights']);
  });
});
