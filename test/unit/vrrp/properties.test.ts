import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUTH_DATA_LENGTH, MAX_V3_INTERVAL_CS, type VrrpAdvert } from '../../../src/vrrp/advert.js';
import { decodeIpv4Packet, decodeIpv6Advert, encodeIpv4Packet } from '../../../src/vrrp/packet.js';
import { encodeAdvert } from '../../../src/vrrp/advert-codec.js';
import { formatIpv4, formatIpv6 } from '../../../src/net/ip-address.js';
import { encodeIpv4Header } from '../../../src/vrrp/ipv4-header.js';
import { checkAdvert } from '../../../src/vrrp/receive-checks.js';
import { REJECT_CODES, type Decoded } from '../../../src/vrrp/reject.js';
import { ipInFrame, readPcap } from './pcap.js';

const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((bytes) => formatIpv4(bytes));
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => formatIpv6(bytes));
const vrid = fc.integer({ min: 1, max: 255 });
const priority = fc.integer({ min: 0, max: 255 });

const v2Advert: fc.Arbitrary<VrrpAdvert> = fc.record({
  version: fc.constant(2 as const),
  family: fc.constant('inet' as const),
  vrid,
  priority,
  advertInterval: fc.integer({ min: 1, max: 255 }),
  authType: fc.constantFrom('none' as const, 'pass' as const),
  authData: fc.uint8Array({ minLength: AUTH_DATA_LENGTH, maxLength: AUTH_DATA_LENGTH }),
  addresses: fc.array(ipv4, { maxLength: 20 }),
});

const v3Advert = (family: 'inet' | 'inet6'): fc.Arbitrary<VrrpAdvert> =>
  fc.record({
    version: fc.constant(3 as const),
    family: fc.constant(family),
    vrid,
    priority,
    maxAdvertInterval: fc.integer({ min: 1, max: MAX_V3_INTERVAL_CS }),
    addresses: fc.array(family === 'inet' ? ipv4 : ipv6, { maxLength: 20 }),
  });

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** A decoder's answer is either a value or a rejection with a known code and a message. */
function expectWellFormed<T>(result: Decoded<T>): void {
  if (result.ok) return;
  expect(Object.keys(REJECT_CODES)).toContain(result.reject.code);
  expect(result.reject.message.length).toBeGreaterThan(0);
}

/** Every VRRP packet in the captured samples: IPv4 with its header, IPv6 as the payload. */
const SAMPLES = join(import.meta.dirname, 'samples');
const frames = readdirSync(SAMPLES)
  .filter((name) => name.endsWith('.pcap'))
  .flatMap((name) => readPcap(readFileSync(join(SAMPLES, name))).map((record) => ipInFrame(record.data)));
const captured = frames.flatMap((frame) => (frame?.family === 'inet' && frame.packet[9] === 112 ? [Uint8Array.from(frame.packet)] : []));
const captured6 = frames.flatMap((frame) => (frame?.family === 'inet6' && frame.nextHeader === 112 ? [frame] : []));

describe('round trips of random valid adverts', () => {
  it('IPv4 packets (v2 and v3, either v3 checksum) decode to what was encoded and re-encode identically', () => {
    fc.assert(
      fc.property(
        fc.oneof(v2Advert, v3Advert('inet')),
        ipv4,
        ipv4,
        fc.record({ ttl: fc.integer({ min: 0, max: 255 }), tos: fc.integer({ min: 0, max: 255 }), identification: fc.integer({ min: 0, max: 0xffff }) }),
        fc.boolean(),
        (advert, source, destination, header, v3ChecksumAsV2) => {
          const options = { source, destination, ...header, v3ChecksumAsV2 };
          const packet = encodeIpv4Packet(advert, options);
          const result = decodeIpv4Packet(packet);
          if (!result.ok) throw new Error(result.reject.message);
          expect(result.value.advert).toEqual(advert);
          expect(result.value).toMatchObject({ source, destination, hopLimit: header.ttl });
          expect(result.value.ip).toMatchObject({ tos: header.tos, identification: header.identification });
          const asV2 = advert.version === 2 || v3ChecksumAsV2;
          expect(result.value.coverage).toBe(asV2 ? 'message' : 'pseudo-header');
          expect(hex(encodeIpv4Packet(result.value.advert, options))).toBe(hex(packet));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('IPv6 payloads decode to what was encoded, checksum verified against the pseudo-header', () => {
    fc.assert(
      fc.property(v3Advert('inet6'), ipv6, ipv6, fc.integer({ min: 0, max: 255 }), (advert, source, destination, hopLimit) => {
        const payload = encodeAdvert(advert, { source, destination });
        const result = decodeIpv6Advert(payload, { source, destination, hopLimit });
        if (!result.ok) throw new Error(result.reject.message);
        expect(result.value).toMatchObject({ advert, source, destination, hopLimit, coverage: 'pseudo-header' });
        expect(hex(encodeAdvert(result.value.advert, { source, destination }))).toBe(hex(payload));
      }),
      { numRuns: 500 },
    );
  });
});

describe('hostile input', () => {
  it('random bytes never throw: accepted or rejected with a known reason', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), ipv6, fc.option(ipv6, { nil: undefined }), (bytes, source, destination) => {
        expectWellFormed(decodeIpv4Packet(bytes));
        expectWellFormed(decodeIpv6Advert(bytes, { source, destination }));
      }),
      { numRuns: 2000 },
    );
  });

  it('random bytes behind a valid IPv4 header never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), ipv4, ipv4, (payload, source, destination) => {
        const header = encodeIpv4Header({ tos: 0, identification: 0, ttl: 255, protocol: 112, source, destination, payloadLength: payload.length });
        expectWellFormed(decodeIpv4Packet(Uint8Array.from([...header, ...payload])));
      }),
      { numRuns: 1000 },
    );
  });

  it('mutated captured packets never throw, and what decodes passes or fails the receive checks with a reason', () => {
    const mutation = fc.record({
      index: fc.nat({ max: captured.length - 1 }),
      edits: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }),
      cut: fc.nat({ max: 60 }),
      extra: fc.uint8Array({ maxLength: 8 }),
    });
    fc.assert(
      fc.property(mutation, ({ index, edits, cut, extra }) => {
        const original = captured[index] ?? new Uint8Array(0);
        const packet = Uint8Array.from([...original.subarray(0, Math.max(0, original.length - cut)), ...extra]);
        for (const { at, value } of edits) if (packet.length > 0) packet[at % packet.length] = value;
        const result = decodeIpv4Packet(packet);
        expectWellFormed(result);
        if (!result.ok) return;
        const check = checkAdvert(result.value, { vrid: 51, version: 2, family: 'inet', advertIntervalMs: 1000, virtualAddresses: ['10.0.0.29'], authType: 'pass', authPassword: 'netlab1' });
        if (!check.ok) expect(Object.keys(REJECT_CODES)).toContain(check.reject.code);
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated captured IPv6 payloads never throw', () => {
    expect(captured6.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.nat({ max: captured6.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat({ max: 40 }), (index, edits, cut) => {
        const frame = captured6[index];
        if (frame === undefined) return;
        const payload = Uint8Array.from(frame.payload.subarray(0, Math.max(0, frame.payload.length - cut)));
        for (const [at, value] of edits) if (payload.length > 0) payload[at % payload.length] = value;
        expectWellFormed(decodeIpv6Advert(payload, frame));
      }),
      { numRuns: 1000 },
    );
  });

  it('any single flipped bit in a captured VRRPv2 packet is caught', () => {
    const v2Packets = captured.filter((packet) => packet[20] !== undefined && packet[20] >> 4 === 2);
    fc.assert(
      fc.property(fc.nat({ max: v2Packets.length - 1 }), fc.nat(), (index, bit) => {
        const packet = Uint8Array.from(v2Packets[index] ?? []);
        const at = bit % (packet.length * 8);
        packet[at >> 3] = (packet[at >> 3] ?? 0) ^ (0x80 >> (at & 7));
        expect(decodeIpv4Packet(packet).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
