import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAdvert } from '../../src/vrrp/advert-codec.js';
import { nodeInNs, type NodeChild } from './support/child.js';
import { Lan, type Host } from './support/netns.js';

const dist = resolve('dist/linux');

/**
 * A transport on eth0 that prints each arrival as JSON and sends what it reads on stdin
 * (`{ family, hex, to }` lines). IPv4 data is a whole packet: the script builds the header.
 */
function endpoint(host: Host, family: 'inet' | 'inet6'): NodeChild {
  return nodeInNs(
    host.ns,
    `
    import { VrrpTransport } from '${dist}/vrrp-transport.js';
    import { native } from '${dist}/native.js';
    import { createInterface } from 'node:readline';
    const t = VrrpTransport.open({ family: '${family}', ifname: 'eth0', ifindex: native().ifindex('eth0'), multicastGroup: '${family === 'inet' ? '224.0.0.18' : 'ff02::12'}' });
    t.on('arrival', (a) => console.log(JSON.stringify(a.family === 'inet'
      ? { ttl: a.packet[8], protocol: a.packet[9], source: [...a.packet.subarray(12, 16)].join('.'), destination: [...a.packet.subarray(16, 20)].join('.'), payload: a.packet.subarray(20).toString('hex') }
      : { hopLimit: a.hopLimit, source: a.source, payload: a.payload.toString('hex') })));
    createInterface({ input: process.stdin }).on('line', async (line) => {
      const { hex, to } = JSON.parse(line);
      await t.send(Buffer.from(hex, 'hex'), to);
      console.log(JSON.stringify('sent'));
    }).on('close', () => t.close());
    console.log(JSON.stringify('ready'));`,
  );
}

/** An IPv4 header for protocol 112 with TTL 255; the kernel fills in length and checksum. */
function ipv4(source: string, destination: string, payloadHex: string): string {
  const ip = (a: string) =>
    a
      .split('.')
      .map((o) => Number(o).toString(16).padStart(2, '0'))
      .join('');
  return `45c00000` + `00000000` + `ff700000` + ip(source) + ip(destination) + payloadHex;
}

describe('VRRP transport', () => {
  let lan: Lan;
  let a: Host;
  let b: Host;
  beforeAll(() => {
    lan = new Lan(`ktstr${process.pid % 1000}`);
    a = lan.addHost('a', '10.88.0.1/24');
    b = lan.addHost('b', '10.88.0.2/24');
  });
  afterAll(() => lan?.destroy());

  it('carries IPv4 multicast and unicast with the TTL, source and payload intact, and does not loop back', async () => {
    const [ea, eb] = [endpoint(a, 'inet'), endpoint(b, 'inet')];
    expect(await ea.next()).toBe('ready');
    expect(await eb.next()).toBe('ready');
    ea.write(`${JSON.stringify({ hex: ipv4('10.88.0.1', '224.0.0.18', '3133640100000000'), to: '224.0.0.18' })}\n`);
    expect(await ea.next()).toBe('sent');
    expect(await eb.next()).toEqual({ ttl: 255, protocol: 112, source: '10.88.0.1', destination: '224.0.0.18', payload: '3133640100000000' });
    // a looped-back copy of a's own advert would show up below instead of b's packet
    // unicast_src_ip: the header names a source that is not the interface's own address
    eb.write(`${JSON.stringify({ hex: ipv4('10.88.0.50', '10.88.0.1', '3133650100000000'), to: '10.88.0.1' })}\n`);
    expect(await eb.next()).toBe('sent');
    expect(await ea.next()).toEqual({ ttl: 255, protocol: 112, source: '10.88.0.50', destination: '10.88.0.1', payload: '3133650100000000' });
    ea.kill();
    eb.kill();
  });

  it('carries IPv6 multicast, reports hop limit 255 and a link-local source, and lets the kernel fill in the checksum', async () => {
    const [ea, eb] = [endpoint(a, 'inet6'), endpoint(b, 'inet6')];
    expect(await ea.next()).toBe('ready');
    expect(await eb.next()).toBe('ready');
    ea.write(`${JSON.stringify({ hex: '3133640000640000', to: 'ff02::12' })}\n`);
    expect(await ea.next()).toBe('sent');
    const got = (await eb.next()) as { hopLimit: number; source: string; payload: string };
    expect(got.hopLimit).toBe(255);
    expect(got.source).toMatch(/^fe80:/);
    // the kernel filled in the checksum (IPV6_CHECKSUM) over the pseudo-header with the source it chose
    expect(got.payload.slice(0, 12)).toBe('313364000064');
    const decoded = decodeAdvert(Buffer.from(got.payload, 'hex'), 'inet6', { source: got.source, destination: 'ff02::12' });
    expect(decoded.ok && decoded.value.coverage).toBe('pseudo-header');
    ea.kill();
    eb.kill();
  });
});
