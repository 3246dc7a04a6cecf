import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeInNs } from './support/child.js';
import { Lan, type Host } from './support/netns.js';

const dist = resolve('dist/linux');

/**
 * An IPv4 transport whose owner keeps only its 'arrival' listener, then forces full garbage
 * collections: it must keep hearing. raw-socket's wrap, used for IPv4 before the addon's
 * sockets, closed its descriptor when collected, which silenced the signal storm's advert
 * capture a few seconds in (issue 8).
 */
const LISTENER = `
import { VrrpTransport } from '${dist}/vrrp-transport.js';
import { native } from '${dist}/native.js';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
(() => {
  VrrpTransport.open({ family: 'inet', ifname: 'eth0', ifindex: native().ifindex('eth0'), multicastGroup: '224.0.0.18' })
    .on('arrival', (a) => console.log(JSON.stringify({ payload: a.packet.subarray(20).toString('hex') })))
    .on('error', (e) => console.log(JSON.stringify({ error: e.message })));
})();
process.stdin.on('data', () => {
  gc();
  console.log(JSON.stringify('collected'));
});
console.log(JSON.stringify('ready'));
`;

/** Sends one advert-sized packet to 224.0.0.18 for each line on stdin. */
const SENDER = `
import { VrrpTransport } from '${dist}/vrrp-transport.js';
import { native } from '${dist}/native.js';
const t = VrrpTransport.open({ family: 'inet', ifname: 'eth0', ifindex: native().ifindex('eth0') });
// TTL 255, protocol 112, 10.90.0.2 -> 224.0.0.18; the kernel fills in length and checksum
const header = Buffer.from('45c00000' + '00000000' + 'ff700000' + '0a5a0002' + 'e0000012', 'hex');
process.stdin.on('data', async () => {
  await t.send(Buffer.concat([header, Buffer.from('3135640100000000', 'hex')]), '224.0.0.18');
  console.log(JSON.stringify('sent'));
});
console.log(JSON.stringify('ready'));
`;

describe('an IPv4 VRRP transport nobody references', () => {
  let lan: Lan;
  let a: Host;
  let b: Host;
  beforeAll(() => {
    lan = new Lan(`ktsgc${process.pid % 1000}`);
    a = lan.addHost('a', '10.90.0.1/24');
    b = lan.addHost('b', '10.90.0.2/24');
  });
  afterAll(() => lan?.destroy());

  it('keeps its socket through full garbage collections and still hears adverts', async () => {
    const listener = nodeInNs(a.ns, LISTENER);
    const sender = nodeInNs(b.ns, SENDER);
    try {
      expect(await listener.next(20_000)).toBe('ready');
      expect(await sender.next(20_000)).toBe('ready');
      listener.write('gc\n');
      expect(await listener.next(10_000)).toBe('collected');
      listener.write('gc\n');
      expect(await listener.next(10_000)).toBe('collected');
      sender.write('send\n');
      expect(await sender.next(10_000)).toBe('sent');
      expect(await listener.next(10_000)).toEqual({ payload: '3135640100000000' });
    } finally {
      listener.kill();
      sender.kill();
    }
  });
});
