import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeInNs } from './support/child.js';
import { Lan, inNs, type Host } from './support/netns.js';

const dist = resolve('dist/linux');

/** b's cached link-layer address for `address`, as `ip neigh` shows it. */
function cached(host: Host, address: string): string | undefined {
  return /lladdr (\S+)/.exec(inNs(host.ns, 'ip', ['neigh', 'show', address, 'dev', 'eth0']))?.[1];
}

describe('announcer', () => {
  let lan: Lan;
  let a: Host;
  let client: Host;
  beforeAll(() => {
    lan = new Lan(`ktsan${process.pid % 1000}`);
    a = lan.addHost('a', '10.99.0.1/24');
    client = lan.addHost('c', '10.99.0.9/24');
    // the kernel ignores an update within `locktime` of the last one; our entries are brand new
    inNs(client.ns, 'sysctl', ['-qw', 'net.ipv4.neigh.eth0.locktime=0']);
  });
  afterAll(() => lan?.destroy());

  it("moves a client's ARP and neighbour entries for the VIPs to the announcing host", async () => {
    inNs(client.ns, 'ip', ['neigh', 'replace', '10.99.0.100', 'lladdr', '02:de:ad:00:00:01', 'dev', 'eth0', 'nud', 'stale']);
    inNs(client.ns, 'ip', ['neigh', 'replace', 'fd00:99::100', 'lladdr', '02:de:ad:00:00:01', 'dev', 'eth0', 'nud', 'stale']);
    expect(cached(client, '10.99.0.100')).toBe('02:de:ad:00:00:01');
    const sender = nodeInNs(
      a.ns,
      `
      import { Announcer } from '${dist}/announcer.js';
      import { native } from '${dist}/native.js';
      const announcer = new Announcer();
      const ifindex = native().ifindex('eth0');
      announcer.gratuitousArp(ifindex, '10.99.0.100', '${a.mac}');
      announcer.neighborAdvertisement(ifindex, 'fd00:99::100', '${a.mac}');
      announcer.close();
      console.log(JSON.stringify('sent'));`,
    );
    expect(await sender.next()).toBe('sent');
    for (let i = 0; i < 100 && (cached(client, '10.99.0.100') !== a.mac || cached(client, 'fd00:99::100') !== a.mac); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(cached(client, '10.99.0.100')).toBe(a.mac);
    expect(cached(client, 'fd00:99::100')).toBe(a.mac);
  });
});
