import { describe, expect, it } from 'vitest';
import { CheckerService } from '../../../src/daemon/checker-service.js';
import { config, fakes } from './fakes.js';

/** Two virtual servers in front of the same real server with the same TCP_CHECK. */
const SHARED = `
global_defs { lvs_notify_fifo /run/lvs.fifo }
virtual_server 192.168.1.1 80 {
  delay_loop 10
  protocol TCP
  omega
  real_server 10.0.0.2 80 {
    notify_up /bin/up.sh
    notify_down /bin/down.sh
    TCP_CHECK {
      connect_timeout 2
      retry 2
      delay_before_retry 1
    }
  }
}
virtual_server 192.168.1.2 80 {
  delay_loop 10
  protocol TCP
  real_server 10.0.0.2 80 {
    TCP_CHECK {
      connect_timeout 2
      retry 2
      delay_before_retry 1
    }
  }
}
`;

describe('CheckerService with fake ports', () => {
  it('logs through the logger the supervisor gave it, which already names the service once', async () => {
    const f = fakes();
    await new CheckerService(f.ports).start(config(SHARED), f.context);
    await f.clock.advanceTo(1000);
    expect(f.rawLogs.length).toBeGreaterThan(0);
    for (const line of f.rawLogs) expect(line.match(/"service":/g)).toEqual(['"service":']);
  });

  it('runs an identical check of a real server behind two virtual servers once and feeds both', async () => {
    const f = fakes();
    const service = new CheckerService(f.ports);
    await service.start(config(SHARED), f.context);
    // random() is 0: the first check is BOOTSTRAP_DELAY after start
    await f.clock.advanceTo(1000);
    expect(f.prober.calls.map((c) => c.at)).toEqual([1000]);
    expect(f.prober.calls[0]!.target).toMatchObject({ ip: '10.0.0.2', port: 80 });
    await f.clock.advanceTo(31_000);
    expect(f.prober.calls.map((c) => c.at)).toEqual([1000, 11_000, 21_000, 31_000]);
    expect(service.status()).toMatchObject({ probeGroups: 1, probes: 4 });
    expect(f.logs.filter((l) => l.msg === 'TCP connection to [10.0.0.2]:tcp:80 success.')).toHaveLength(1);
    expect(f.events).toEqual([]);
  });

  it('marks the server down after retry+1 failures, delay_before_retry apart, and tells both virtual servers', async () => {
    const f = fakes();
    const service = new CheckerService(f.ports);
    await service.start(config(SHARED), f.context);
    await f.clock.advanceTo(1000);
    f.prober.answer = () => ({ ok: false, reason: 'failed', detail: 'ECONNREFUSED' });
    // failures at 11 s, 12 s (retry 1 of 2), 13 s (retry 2 of 2): down at 13 s
    await f.clock.advanceTo(12_999);
    expect(f.events).toEqual([]);
    await f.clock.advanceTo(13_000);
    expect(f.events).toEqual([
      { at: 13_000, event: { type: 'checker', ref: { vs: 'TCP:[192.168.1.1]:80', rs: '[10.0.0.2]:80', checker: 0 }, up: false, reason: 'failed' } },
      { at: 13_000, event: { type: 'checker', ref: { vs: 'TCP:[192.168.1.2]:80', rs: '[10.0.0.2]:80', checker: 0 }, up: false, reason: 'failed' } },
    ]);
    expect(f.logs.map((l) => l.msg)).toContain('TCP_CHECK on service [10.0.0.2]:tcp:80 failed after 2 retries.');
    expect(f.scripts).toEqual([{ at: 13_000, script: '/bin/down.sh' }]);
    expect(f.fifo).toEqual([
      { path: '/run/lvs.fifo', line: 'RS [10.0.0.2]:tcp:80 [192.168.1.1]:tcp:80 DOWN\n\0' },
      { path: '/run/lvs.fifo', line: 'RS [10.0.0.2]:tcp:80 [192.168.1.2]:tcp:80 DOWN\n\0' },
    ]);
    // down, it is checked every delay_loop; a success brings it back
    f.prober.answer = () => ({ ok: true });
    await f.clock.advanceTo(23_000);
    expect(f.prober.calls.map((c) => c.at)).toEqual([1000, 11_000, 12_000, 13_000, 23_000]);
    expect(f.events.slice(2).map((e) => [e.at, (e.event as { up: boolean }).up])).toEqual([
      [23_000, true],
      [23_000, true],
    ]);
    expect(f.scripts.at(-1)).toEqual({ at: 23_000, script: '/bin/up.sh' });
    await service.stop();
  });

  it("omega: stopping runs the live servers' notify_down", async () => {
    const f = fakes();
    const service = new CheckerService(f.ports);
    await service.start(config(SHARED), f.context);
    await f.clock.advanceTo(1000);
    await service.stop();
    expect(f.scripts).toEqual([{ at: 1000, script: '/bin/down.sh' }]);
    expect(f.fifo.map((x) => x.line)).toEqual(['RS [10.0.0.2]:tcp:80 [192.168.1.1]:tcp:80 DOWN\n\0']);
    expect(f.clock.armed()).toEqual([]);
  });

  it('leaves out checker types without a probe, saying so once per type', async () => {
    const f = fakes(['TCP_CHECK']);
    const service = new CheckerService(f.ports);
    await service.start(
      config(`
virtual_server 192.168.1.1 80 {
  protocol TCP
  real_server 10.0.0.2 80 {
    BFD_CHECK { name bfd1 }
    TCP_CHECK { }
  }
}`),
      f.context,
    );
    expect(f.logs.filter((l) => l.level === 40).map((l) => l.msg)).toEqual(['BFD_CHECK is not implemented: 1 checker(s) of that type are not run']);
    expect(service.status()).toMatchObject({ probeGroups: 1, unsupported: { BFD_CHECK: 1 } });
  });

  it('spreads first checks over warmup with the random port', async () => {
    const f = fakes();
    let i = 0;
    const randoms = [0, 0.25, 0.5, 0.75];
    const service = new CheckerService({ ...f.ports, random: () => randoms[i++]! });
    const servers = [2, 3, 4, 5].map((n) => `real_server 10.0.0.${n} 80 { TCP_CHECK { } }`).join('\n');
    await service.start(config(`virtual_server 192.168.1.1 80 {\n delay_loop 8\n protocol TCP\n ${servers}\n}`), f.context);
    await f.clock.advanceTo(8000);
    expect(f.prober.calls.map((c) => c.at)).toEqual([1000, 3000, 5000, 7000]);
  });

  it('a reload keeps an unchanged check on its schedule and starts a new one', async () => {
    const f = fakes();
    const service = new CheckerService(f.ports);
    await service.start(config(SHARED), f.context);
    await f.clock.advanceTo(5000);
    await service.reconfigure(config(SHARED.replace('real_server 10.0.0.2 80 {\n    TCP_CHECK', 'real_server 10.0.0.9 80 {\n    TCP_CHECK')));
    await f.clock.advanceTo(11_000);
    const at = f.prober.calls.map((c) => `${c.target.ip}@${c.at}`);
    expect(at).toEqual(['10.0.0.2@1000', '10.0.0.9@6000', '10.0.0.2@11000']);
  });
});
