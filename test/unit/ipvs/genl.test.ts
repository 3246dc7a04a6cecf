import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { concat, nested, u64 } from '../../../src/ipvs/nlattr.js';
import {
  IPVS_CMD,
  IPVS_CMD_ATTR,
  IPVS_STATS_ATTR,
  IPVS_SVC_ATTR,
  serviceAttributes,
  decodeDaemonReply,
  decodeDestinationReply,
  decodeInfoReply,
  decodeServiceReply,
  decodeTimeoutsReply,
  ipvsRequests,
} from '../../../src/ipvs/genl.js';
import type { Family } from '../../../src/ipvs/types.js';

interface Vectors {
  requests: { name: string; op: keyof typeof ipvsRequests; args: unknown[]; hex: string[] }[];
  replies: { name: string; kind: string; serviceFamily?: Family; hex: string[]; expected: Record<string, unknown> }[];
}
const vectors = JSON.parse(readFileSync(new URL('./genl-vectors.json', import.meta.url), 'utf8')) as Vectors;

function bytes(lines: string[]): Uint8Array {
  const hex = lines
    .map((line) => line.split('#')[0] ?? '')
    .join(' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return Uint8Array.from(hex.map((byte) => parseInt(byte, 16)));
}

/** JSON cannot hold bigints: stats counters are written as decimal strings. */
function withBigintStats(value: Record<string, unknown>): Record<string, unknown> {
  const stats = value['stats'] as Record<string, string> | undefined;
  if (stats === undefined) return value;
  return { ...value, stats: Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, BigInt(v)])) };
}

const DUMPS = new Set(['services', 'destinations', 'daemons']);

describe('IPVS requests match hand-built bytes from linux/ip_vs.h', () => {
  it.each(vectors.requests.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const build = ipvsRequests[vector.op] as (...args: unknown[]) => { cmd: number; dump: boolean; payload: Uint8Array };
    const request = build(...vector.args);
    expect(Buffer.from(request.payload).toString('hex')).toBe(Buffer.from(bytes(vector.hex)).toString('hex'));
    expect(request.cmd).toBe(request.payload[0]);
    expect(request.dump).toBe(DUMPS.has(vector.op));
  });

  it('covers every request builder', () => {
    expect(new Set(vectors.requests.map((v) => v.op))).toEqual(new Set(Object.keys(ipvsRequests)));
  });
});

describe('IPVS replies decode from hand-built kernel bytes', () => {
  const decoders: Record<string, (payload: Uint8Array, family?: Family) => unknown> = {
    service: (payload) => decodeServiceReply(payload),
    destination: (payload, family) => decodeDestinationReply(payload, family ?? 'inet'),
    daemon: decodeDaemonReply,
    info: decodeInfoReply,
    timeouts: decodeTimeoutsReply,
  };
  it.each(vectors.replies.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const decode = decoders[vector.kind];
    expect(decode).toBeDefined();
    expect(decode?.(bytes(vector.hex), vector.serviceFamily)).toEqual(withBigintStats(vector.expected));
  });

  it.each(vectors.replies.filter((v) => v.kind === 'service' || v.kind === 'destination').map((v) => [v.name, v] as const))('%s without its counters (stats: false)', (_name, vector) => {
    const payload = bytes(vector.hex);
    const decoded = vector.kind === 'service' ? decodeServiceReply(payload, { stats: false }) : decodeDestinationReply(payload, vector.serviceFamily ?? 'inet', { stats: false });
    const { stats: _stats, ...rest } = withBigintStats(vector.expected) as { stats?: unknown };
    expect(decoded).toEqual(rest);
  });
});

describe('malformed input', () => {
  it('rejects an attribute that runs past the message', () => {
    const truncated = bytes(['01 01 00 00', '38 01 01 00', '06 00 01 00 0a 00 00 00']);
    expect(() => decodeServiceReply(truncated)).toThrow(expect.objectContaining({ code: 'IPVS_BAD_REPLY' }));
  });

  it('rejects a reply without the service nest', () => {
    expect(() => decodeServiceReply(bytes(['01 01 00 00']))).toThrow(/missing service attribute/);
  });

  it.each([
    ['an IPv6 netmask given as a dotted quad', () => ipvsRequests.addService({ key: { family: 'inet6', fwmark: 1 }, scheduler: 'rr', flags: 0, timeout: 0, netmask: '255.0.0.0' })],
    ['a port above 65535', () => ipvsRequests.deleteService({ family: 'inet', protocol: 'tcp', address: '1.2.3.4', port: 65536 })],
    ['a zero firewall mark', () => ipvsRequests.deleteService({ family: 'inet', fwmark: 0 })],
    ['a scheduler name longer than 15 bytes', () => ipvsRequests.addService({ key: { family: 'inet', fwmark: 1 }, scheduler: 'x'.repeat(16), flags: 0, timeout: 0, netmask: 32 })],
    ['an address of the wrong family', () => ipvsRequests.deleteService({ family: 'inet', protocol: 'tcp', address: '::1', port: 1 })],
    ['a persistence engine name longer than 16 bytes', () => ipvsRequests.addService({ key: { family: 'inet', fwmark: 1 }, scheduler: 'rr', flags: 0, timeout: 0, netmask: 32, pe: 'x'.repeat(17) })],
  ])('refuses to encode %s', (_name, encode) => {
    expect(encode).toThrow(expect.objectContaining({ code: 'IPVS_BAD_VALUE' }));
  });

  it('accepts a 16-byte persistence engine name, as the kernel does (its policy allows all 16)', () => {
    const request = ipvsRequests.addService({ key: { family: 'inet', fwmark: 1 }, scheduler: 'rr', flags: 0, timeout: 0, netmask: 32, pe: 'x'.repeat(16) });
    expect(Buffer.from(request.payload).includes(Buffer.from('x'.repeat(16)))).toBe(true);
  });

  it('encodes an IPv4 prefix length as its dotted mask', () => {
    const request = ipvsRequests.addService({ key: { family: 'inet', fwmark: 1 }, scheduler: 'rr', flags: 0, timeout: 0, netmask: 20 });
    expect(Buffer.from(request.payload.subarray(-4)).toString('hex')).toBe('fffff000');
  });
});

describe('64-bit counters built with the u64 helper', () => {
  it('decode through STATS64 as bigints above 2^32', () => {
    const statsBody = [u64(IPVS_STATS_ATTR.CONNS, 2n ** 40n), u64(IPVS_STATS_ATTR.INBYTES, 2n ** 63n)];
    const payload = concat([
      new Uint8Array([IPVS_CMD.NEW_SERVICE, 1, 0, 0]),
      nested(IPVS_CMD_ATTR.SERVICE, [...serviceAttributes({ key: { family: 'inet', fwmark: 3 }, scheduler: 'rr', flags: 0, timeout: 0, netmask: 32 }), nested(IPVS_SVC_ATTR.STATS64, statsBody)]),
    ]);
    const stats = decodeServiceReply(payload).stats;
    expect(stats?.conns).toBe(2n ** 40n);
    expect(stats?.inBytes).toBe(2n ** 63n);
    expect(stats?.outBytes).toBe(0n);
  });
});
