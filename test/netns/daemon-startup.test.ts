import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonPeer } from './support/daemon.js';
import { Lan, type Host } from './support/netns.js';
import { holds } from './support/vip.js';

/** keepalived's start-up rule through the real command: run what can run, log what cannot, exit only when nothing can. */

const instance = (name: string, vrid: number, vip: string, extra = '') => `vrrp_instance ${name} {
    state MASTER
    interface eth0
    virtual_router_id ${vrid}
    priority 150
    advert_int 1
${extra}    virtual_ipaddress {
        ${vip}/24
    }
}
`;

describe('keepalived-ts start-up with a partly broken configuration', () => {
  let lan: Lan;
  let lb1: Host;
  const running: DaemonPeer[] = [];

  beforeAll(() => {
    lan = new Lan(`kst${process.pid % 1000}`);
    lb1 = lan.addHost('lb1', '10.65.0.11/24');
  });
  afterAll(async () => {
    await Promise.all(running.map((d) => d.stop('SIGKILL')));
    lan?.destroy();
  });

  it("runs the good instance, logs the broken one's error at error level as FILE:LINE:COL naming the instance it disables, and stops cleanly", async () => {
    const d = new DaemonPeer(lb1.ns, instance('VI_1', 51, '10.65.0.100') + instance('VI_2', 52, '10.65.0.101', '    advert_int banana\n'));
    running.push(d);
    await d.waitFor(/\(VI_1\) Entering MASTER STATE/, 20_000);
    const error = await d.waitFor((e) => e.level === 50 && e.instance === 'VI_2');
    expect(error.msg).toMatch(/keepalived\.conf:17:\d+: error: .*; \(VI_2\) disabled$/);
    expect(error).toMatchObject({ at: expect.stringMatching(/keepalived\.conf:17:\d+$/) });
    expect(d.log.some((e) => e.instance === 'VI_2' && e.state !== undefined)).toBe(false);
    expect(holds(lb1, '10.65.0.100')).toBe(true);
    expect(holds(lb1, '10.65.0.101')).toBe(false);
    expect(await d.stop('SIGTERM')).toBe(0);
  });

  it('refuses to start, exit status 3 and the reason on stderr, where keepalived would refuse to run (one VRID twice on an interface)', async () => {
    const d = new DaemonPeer(lb1.ns, instance('VI_1', 51, '10.65.0.100') + instance('VI_2', 51, '10.65.0.101'));
    running.push(d);
    expect(await d.exited).toBe(3);
    expect(d.stderr.join('\n')).toMatch(/keepalived\.conf:\d+:\d+: error: .*\n[\s\S]*cannot be run: not starting/);
    expect(d.log).toEqual([]);
  });
});
