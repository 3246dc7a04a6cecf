/**
 * bench/lvs-reload in the vm: `npx vitest run --project bench-vm bench/lvs-reload`
 * (KTS_BENCH_SIZE=100x10 and KTS_BENCH_RELOADS=5 for a quick one). keepalived -C and
 * keepalived-ts -C, one after the other in the same boot, each through the run of
 * test/vm/lvs-reload-run.ts: S x R with a TCP_CHECK per real server (delay_loop
 * KTS_BENCH_DELAY_LOOP, default 30 s), 20 reloads while /proc/net/ip_vs is sampled every 50 ms,
 * a service deleted by hand before reload 2, weights changed by reload 3. Prints both side by
 * side; results: docs/performance.md. KTS_BENCH_PROFILE=DIR runs ours alone under node's
 * --cpu-prof (one .cpuprofile per thread in DIR, and its log, with the per-step `Reload:` lines,
 * in DIR/run/daemon.log).
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reloadRun, startRealServers, stopRealServers, type ReloadRunOptions, type ReloadRunResult } from '../../test/vm/lvs-reload-run.js';

const [services = 1000, perService = 10] = (process.env.KTS_BENCH_SIZE ?? '1000x10').split('x').map(Number);
const SIZE: ReloadRunOptions = { services, perService, reloads: Number(process.env.KTS_BENCH_RELOADS ?? 20), delayLoop: Number(process.env.KTS_BENCH_DELAY_LOOP ?? 30) };
const PROFILE = process.env.KTS_BENCH_PROFILE === undefined ? undefined : resolve(process.env.KTS_BENCH_PROFILE);
// a profile's run directory is in the repo, which the guest shares, so its log outlives the guest
const DIR = PROFILE === undefined ? `/tmp/bench-lvs-reload-${process.pid}` : `${PROFILE}/run`;

function summary(run: ReloadRunResult) {
  const times = run.reloads.map((r) => r.ms).sort((a, b) => a - b);
  return {
    startToFullTableMs: run.startToFullTableMs,
    reloadMs: { median: times[Math.floor(times.length / 2)], max: times.at(-1) },
    reloadsThatLoweredTheCount: run.reloads.filter((r) => r.min < r.before).map((r) => ({ before: r.before, min: r.min })),
    deletedServiceBack: run.deletedBack,
    destinationsAtNewWeight: `${run.weighted} of ${10 * perService}`,
  };
}

describe('bench/lvs-reload', () => {
  beforeAll(() => startRealServers(DIR, perService), 3_600_000);
  afterAll(() => stopRealServers(DIR));

  it.runIf(PROFILE !== undefined)(`${SIZE.reloads} reloads of ${services} x ${perService}: keepalived-ts -C under --cpu-prof`, async () => {
    const ours = await reloadRun('ours', DIR, { ...SIZE, ours: [process.execPath, '--cpu-prof', `--cpu-prof-dir=${PROFILE}`, `${process.cwd()}/bin/keepalived-ts`] });
    console.log(JSON.stringify({ size: `${services}x${perService}`, ...SIZE, hostLoadAverage: loadavg(), ours: summary(ours) }, null, 2));
  });

  it.runIf(PROFILE === undefined)(`${SIZE.reloads} reloads of ${services} x ${perService}: keepalived -C and keepalived-ts -C`, async () => {
    const theirs = await reloadRun('keepalived', DIR, SIZE);
    const ours = await reloadRun('ours', DIR, SIZE);
    const [load1, load5] = loadavg();
    console.log(JSON.stringify({ size: `${services}x${perService}`, ...SIZE, hostLoadAverage: { '1min': load1, '5min': load5 }, keepalived: summary(theirs), ours: summary(ours) }, null, 2));
    expect(ours.reloads.every((r) => r.min === r.before)).toBe(true);
  });
});
