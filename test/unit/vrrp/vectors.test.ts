import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authDataText, type VrrpAdvert } from '../../../src/vrrp/advert.js';
import { encodeAdvert } from '../../../src/vrrp/advert-codec.js';
import { decodeIpv4Packet, decodeIpv6Advert, encodeIpv4Packet, type ReceivedAdvert } from '../../../src/vrrp/packet.js';
import { checkAdvert, type ReceiveExpectations } from '../../../src/vrrp/receive-checks.js';
import { REJECT_CODES, type Decoded } from '../../../src/vrrp/reject.js';

const VECTORS = join(import.meta.dirname, 'vectors');

interface PacketVector {
  readonly layer: 'ipv4' | 'ipv6';
  readonly hex: string;
  readonly source?: string;
  readonly destination?: string;
  readonly hopLimit?: number;
}

function load<T>(name: string): T {
  return JSON.parse(readFileSync(join(VECTORS, name), 'utf8')) as T;
}

function decode(vector: PacketVector): Decoded<ReceivedAdvert> {
  const bytes = Buffer.from(vector.hex, 'hex');
  if (vector.layer === 'ipv4') return decodeIpv4Packet(bytes);
  return decodeIpv6Advert(bytes, { source: vector.source ?? '', destination: vector.destination, hopLimit: vector.hopLimit });
}

function decoded(vector: PacketVector): ReceivedAdvert {
  const result = decode(vector);
  if (!result.ok) throw new Error(`${result.reject.code}: ${result.reject.message}`);
  return result.value;
}

/** The advert's fields as the vector files spell them (auth data as text). */
function plain(advert: VrrpAdvert): Record<string, unknown> {
  if (advert.version === 3) return { ...advert };
  const { authData, ...rest } = advert;
  return { ...rest, authText: authDataText(authData) };
}

describe('hand-made valid adverts', () => {
  const vectors = load<(PacketVector & { name: string; advert: Record<string, unknown>; coverage?: string; v3ChecksumAsV2?: boolean })[]>('valid-adverts.json');

  it.each(vectors.map((v) => [v.name, v] as const))('%s: decodes and re-encodes', (_name, vector) => {
    const received = decoded(vector);
    expect(plain(received.advert)).toEqual(vector.advert);
    expect(received.coverage).toBe(vector.coverage ?? 'pseudo-header');
    const bytes =
      vector.layer === 'ipv4'
        ? encodeIpv4Packet(received.advert, { source: received.source, destination: received.destination ?? '', v3ChecksumAsV2: vector.v3ChecksumAsV2 })
        : encodeAdvert(received.advert, { source: vector.source ?? '', destination: vector.destination ?? '' });
    expect(Buffer.from(bytes).toString('hex')).toBe(vector.hex);
  });

  it('leaves an IPv6 checksum unverified when the destination is unknown', () => {
    const [vector] = vectors.filter((v) => v.layer === 'ipv6');
    if (vector === undefined) throw new Error('no IPv6 vector');
    const received = decoded({ ...vector, destination: undefined });
    expect(received.coverage).toBe('unverified');
    expect(received.destination).toBeUndefined();
  });
});

describe('decoding rejects', () => {
  const vectors = load<(PacketVector & { name: string; code: keyof typeof REJECT_CODES })[]>('decode-rejects.json');

  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const result = decode(vector);
    expect(result.ok ? 'accepted' : result.reject.code).toBe(vector.code);
    if (!result.ok) expect(result.reject.message).not.toBe('');
  });
});

describe('receive checks against an instance', () => {
  const packets = load<Record<string, PacketVector>>('check-packets.json');
  const cases = load<{ name: string; packet: string; expectations: ReceiveExpectations; result: string; warnings?: string[] }[]>('check-cases.json');

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    const packet = packets[testCase.packet];
    if (packet === undefined) throw new Error(`no packet ${testCase.packet}`);
    const result = checkAdvert(decoded(packet), testCase.expectations);
    expect(result.ok ? 'accept' : result.reject.code).toBe(testCase.result);
    if (result.ok) expect(result.warnings.map((w) => w.code)).toEqual(testCase.warnings ?? []);
  });
});

describe('every reason code', () => {
  it('is produced by at least one vector', () => {
    const rejects = load<{ code: string }[]>('decode-rejects.json').map((v) => v.code);
    const checks = load<{ result: string; warnings?: string[] }[]>('check-cases.json').flatMap((c) => [c.result, ...(c.warnings ?? [])]);
    const seen = new Set([...rejects, ...checks]);
    expect(Object.keys(REJECT_CODES).filter((code) => !seen.has(code))).toEqual([]);
  });
});
