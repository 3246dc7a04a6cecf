/**
 * Reload against real IPVS (issue 11), ours only and small (bench/lvs-reload runs 1,000 x 10 with
 * keepalived beside it): while /proc/net/ip_vs is sampled every 50 ms, no reload lowers the entry
 * count; the service deleted by hand before a reload is back after it; weights changed in the
 * file are in the kernel after the reload that read it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reloadRun, startRealServers, stopRealServers, type ReloadRunOptions } from './lvs-reload-run.js';

const DIR = `${process.cwd()}/.cache/vm-lvs-reload-${process.pid}`;
const SIZE: ReloadRunOptions = { services: 20, perService: 4, reloads: 5, delayLoop: 5 };
const TIMEOUT_MS = 1_800_000;

describe('keepalived-ts -C reloads in real IPVS', () => {
  beforeAll(() => startRealServers(DIR, SIZE.perService), TIMEOUT_MS);
  afterAll(() => stopRealServers(DIR));

  it(
    `${SIZE.reloads} reloads of ${SIZE.services} x ${SIZE.perService} with TCP_CHECKs: the table never dips, a hand-deleted service is back, new weights are applied`,
    async () => {
      const run = await reloadRun('ours', DIR, SIZE);
      expect(run.reloads).toHaveLength(SIZE.reloads);
      for (const reload of run.reloads) expect(reload.min).toBe(reload.before);
      // reload 2 started without the deleted service and put it back
      expect(run.reloads[1]!.before).toBe(SIZE.services * (1 + SIZE.perService) - (1 + SIZE.perService));
      expect(run.deletedBack).toBe(true);
      expect(run.weighted).toBe(10 * SIZE.perService);
    },
    TIMEOUT_MS,
  );
});
