import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeInNs } from './support/child.js';
import { Lan, inNs, type Host } from './support/netns.js';

const addon = resolve('build/Release/kts_native.node');

/** The script runs as an ES module with `n` bound to the addon. */
function runIn(host: Host, script: string) {
  return nodeInNs(host.ns, `import { createRequire } from 'node:module';\nconst n = createRequire(import.meta.url)(${JSON.stringify(addon)});\n${script}`);
}

describe('native sockets addon', () => {
  let lan: Lan;
  let a: Host;
  let b: Host;
  beforeAll(() => {
    lan = new Lan(`ktsnat${process.pid % 1000}`);
    a = lan.addHost('a', '10.66.0.1/24');
    b = lan.addHost('b', '10.66.0.2/24');
  });
  afterAll(() => lan?.destroy());

  it('sends a gratuitous ARP frame that another host receives on AF_PACKET', async () => {
    const rx = runIn(
      b,
      `
      const fd = n.socket(17, 2, 0x0608); // AF_PACKET, SOCK_DGRAM, htons(ETH_P_ARP)
      n.startReceiving(fd, (data) => {
        const spa = [...data.subarray(14, 18)].join('.');
        if (spa === '10.66.0.99') { console.log(JSON.stringify({ op: data.readUInt16BE(6), sha: data.subarray(8, 14).toString('hex'), spa, tpa: [...data.subarray(24, 28)].join('.') })); process.exit(0); }
      });
      console.log(JSON.stringify('ready'));`,
    );
    expect(await rx.next()).toBe('ready');
    const tx = runIn(
      a,
      `
      const { gratuitousArp, BROADCAST_MAC, ETH_P_ARP } = await import('${resolve('dist/net/arp.js')}');
      const fd = n.socket(17, 2, 0);
      n.sendFrame(fd, n.ifindex('eth0'), ETH_P_ARP, BROADCAST_MAC, gratuitousArp('10.66.0.99', '${a.mac}'));
      n.close(fd);
      console.log(JSON.stringify('sent'));`,
    );
    expect(await tx.next()).toBe('sent');
    expect(await rx.next()).toEqual({ op: 1, sha: a.mac.replaceAll(':', ''), spa: '10.66.0.99', tpa: '10.66.0.99' });
    expect(await rx.exited).toBe(0);
  });

  it('reports the IPv6 hop limit and arrival interface of a received protocol-112 packet', async () => {
    const rx = runIn(
      b,
      `
      const fd = n.socket(10, 3, 112);
      n.setsockopt(fd, 41, 51, 1); // IPV6_RECVHOPLIMIT
      n.setsockopt(fd, 41, 49, 1); // IPV6_RECVPKTINFO
      const mreq = Buffer.alloc(20);
      Buffer.from('ff020000000000000000000000000012', 'hex').copy(mreq);
      mreq.writeInt32LE(n.ifindex('eth0'), 16);
      n.setsockopt(fd, 41, 20, mreq); // IPV6_JOIN_GROUP
      let seen = 0;
      n.startReceiving(fd, (data, source, ifindex, hops) => {
        console.log(JSON.stringify({ source: source.startsWith('fe80:') ? 'link-local' : source, ownIf: ifindex === n.ifindex('eth0'), hops, bytes: data.toString('hex') }));
        if (++seen === 2) process.exit(0);
      });
      console.log(JSON.stringify('ready'));`,
    );
    expect(await rx.next()).toBe('ready');
    for (const hops of [255, 1]) {
      inNs(a.ns, process.execPath, [
        '-e',
        `
        const n = require(${JSON.stringify(addon)});
        const fd = n.socket(10, 3, 112);
        const ifindex = n.ifindex('eth0');
        n.setsockopt(fd, 41, 17, ifindex); // IPV6_MULTICAST_IF
        n.setsockopt(fd, 41, 18, ${hops}); // IPV6_MULTICAST_HOPS
        n.sendTo(fd, 'ff02::12', ifindex, Buffer.from('3133ff00', 'hex'));
        n.close(fd);`,
      ]);
    }
    expect(await rx.next()).toEqual({ source: 'link-local', ownIf: true, hops: 255, bytes: '3133ff00' });
    expect(await rx.next()).toEqual({ source: 'link-local', ownIf: true, hops: 1, bytes: '3133ff00' });
  });
});
