import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeepalivedPeer, vrrpConfig } from './support/keepalived.js';
import { Lan, inNs, type Host } from './support/netns.js';

/** The interop tests lean on Debian's keepalived behaving as documented here; this checks the rig. */
describe("Debian's keepalived as a test peer", () => {
  let lan: Lan;
  let hosts: Host[];
  const peers: KeepalivedPeer[] = [];
  beforeAll(() => {
    lan = new Lan(`ktska${process.pid % 1000}`);
    hosts = [lan.addHost('lb1', '10.55.0.11/24'), lan.addHost('lb2', '10.55.0.12/24')];
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.stop('SIGKILL')));
    lan?.destroy();
  });

  it('elects the higher priority, moves the VIP on a crash', async () => {
    const [lb1, lb2] = hosts as [Host, Host];
    const conf = (id: string, priority: number) => vrrpConfig({ routerId: id, priority, advertInt: 1, vips: ['10.55.0.100/24 dev eth0'] });
    const high = new KeepalivedPeer(lb1.ns, conf('lb1', 150));
    const low = new KeepalivedPeer(lb2.ns, conf('lb2', 100));
    peers.push(high, low);
    await high.waitFor(/Entering MASTER STATE/);
    await low.waitFor(/Entering BACKUP STATE/);
    expect(inNs(lb1.ns, 'ip', ['-o', 'addr', 'show', 'dev', 'eth0'])).toContain('10.55.0.100/24');
    expect(inNs(lb2.ns, 'ip', ['-o', 'addr', 'show', 'dev', 'eth0'])).not.toContain('10.55.0.100/24');
    await high.stop('SIGKILL');
    await low.waitFor(/Entering MASTER STATE/);
    expect(inNs(lb2.ns, 'ip', ['-o', 'addr', 'show', 'dev', 'eth0'])).toContain('10.55.0.100/24');
  });
});
