/**
 * CheckerService.reconfigure with fake probers (issue 11): a reload of the same file re-checks
 * nothing and moves no schedule, a down server stays down, a removed server's check stops, and
 * the dry-run names the checks a reload would start and stop.
 */
import { describe, expect, it } from 'vitest';
import { CheckerService } from '../../../src/daemon/checker-service.js';
import { config, fakes } from './fakes.js';

const TWO = `
virtual_server 192.168.1.1 80 {
  delay_loop 10
  protocol TCP
  real_server 10.0.0.2 80 { TCP_CHECK { connect_timeout 2 } }
  real_server 10.0.0.3 80 { TCP_CHECK { connect_timeout 2 } }
}
`;

describe('CheckerService reload', () => {
  it('a reload of the same file starts no check, probes on the same schedule, and reports no change', async () => {
    const reloaded = fakes();
    const service = new CheckerService(reloaded.ports);
    await service.start(config(TWO), reloaded.context);
    const untouched = fakes();
    await new CheckerService(untouched.ports).start(config(TWO), untouched.context);
    reloaded.prober.answer = untouched.prober.answer = (t) => ({ ok: t.ip !== '10.0.0.3' });
    for (const at of [2000, 15_000, 25_500, 38_000]) {
      await reloaded.clock.advanceTo(at);
      await untouched.clock.advanceTo(at);
      await service.reconfigure(config(TWO));
    }
    await reloaded.clock.advanceTo(60_000);
    await untouched.clock.advanceTo(60_000);
    expect(reloaded.prober.calls.map((c) => `${c.target.ip}@${c.at}`)).toEqual(untouched.prober.calls.map((c) => `${c.target.ip}@${c.at}`));
    expect(reloaded.events).toEqual(untouched.events);
    expect(reloaded.logs.filter((l) => l.msg.startsWith('Activating healthchecker'))).toHaveLength(2);
    expect(service.status()).toMatchObject({ realServers: [{ alive: true }, { alive: false }] });
  });

  it('a removed real server is no longer probed and a new one starts', async () => {
    const f = fakes();
    const service = new CheckerService(f.ports);
    await service.start(config(TWO), f.context);
    await f.clock.advanceTo(5000);
    await service.reconfigure(config(TWO.replace('10.0.0.3', '10.0.0.4')));
    const before = f.prober.calls.length;
    await f.clock.advanceTo(30_000);
    const ips = new Set(f.prober.calls.slice(before).map((c) => c.target.ip));
    expect([...ips].sort()).toEqual(['10.0.0.2', '10.0.0.4']);
    expect(service.status()).toMatchObject({ probeGroups: 2 });
  });

  it('the dry-run names the checks a reload would start and stop, and changes nothing', async () => {
    const f = fakes();
    const service = new CheckerService(f.ports);
    await service.start(config(TWO), f.context);
    expect(service.previewReconfigure(config(TWO))).toEqual({ started: [], stopped: [], kept: 2 });
    const preview = service.previewReconfigure(config(TWO.replace('10.0.0.3', '10.0.0.4')));
    expect(preview).toEqual({ started: ['TCP_CHECK [10.0.0.4]:tcp:80'], stopped: ['TCP_CHECK [10.0.0.3]:tcp:80'], kept: 1 });
    await f.clock.advanceTo(20_000);
    expect(new Set(f.prober.calls.map((c) => c.target.ip))).toEqual(new Set(['10.0.0.2', '10.0.0.3']));
  });
});
