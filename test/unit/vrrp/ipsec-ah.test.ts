import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeAdvert, passwordAuthData, VRRP_GROUP_IPV4 } from '../../../src/vrrp/advert.js';
import { AH_MAX_SEQUENCE, ahSequenceAfter, nextAhSequence, verifyAh } from '../../../src/vrrp/ipsec-ah.js';
import { decodeIpv4Packet, encodeIpv4Packet } from '../../../src/vrrp/packet.js';

/**
 * `auth_type AH` against keepalived 2.2.7's own bytes: an advert captured in a namespace
 * (VRID 51, priority 100, VIP 192.168.77.100, auth_pass s3cret, from 192.168.77.1, sequence 2,
 * IP identification 2).
 */
const CAPTURED = '45c0004000020000ff33cd0cc0a84d01e000001270040000c0a84d010000000256927d84f76306719994a64d2133640102016abdc0a84d640000000000000000';
const config = { version: 2 as const, family: 'inet' as const, vrid: 51, advertIntervalMs: 1000, virtualAddresses: ['192.168.77.100'], authType: 'ah' as const };
const key = passwordAuthData('s3cret');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function decoded(bytes: Uint8Array) {
  const r = decodeIpv4Packet(bytes);
  if (!r.ok) throw new Error(r.reject.message);
  return r.value;
}

describe('IPsec AH (VRRPv2 auth_type AH)', () => {
  it('encodes the very bytes keepalived 2.2.7 sent', () => {
    const ours = encodeIpv4Packet(makeAdvert(config, 100), { source: '192.168.77.1', destination: VRRP_GROUP_IPV4, identification: 2, ah: { key, sequence: 2, unicast: false } });
    expect(hex(ours)).toBe(CAPTURED);
  });

  it('decodes the capture: AH fields, and the VRRP message inside with auth type 2', () => {
    const r = decoded(Buffer.from(CAPTURED, 'hex'));
    expect(r.ah).toMatchObject({ nextHeader: 112, sequence: 2, ipHeaderLength: 20 });
    expect(r.advert).toMatchObject({ version: 2, vrid: 51, priority: 100, authType: 'ah', addresses: ['192.168.77.100'] });
    expect(verifyAh(r.ah!, key, false, 0, r.source)).toEqual({ ok: true });
  });

  it('refuses an identification of 0: the kernel would fill it in after the packet was signed', () => {
    expect(() => encodeIpv4Packet(makeAdvert(config, 100), { source: '192.168.77.1', destination: VRRP_GROUP_IPV4, ah: { key, sequence: 1, unicast: false } })).toThrow(/identification/);
  });

  it('round-trips any advert, key and sequence; any other key, flipped byte or older sequence fails', () => {
    const arb = fc.record({
      priority: fc.integer({ min: 0, max: 255 }),
      vrid: fc.integer({ min: 1, max: 255 }),
      count: fc.integer({ min: 0, max: 5 }),
      password: fc.string({ minLength: 1, maxLength: 8 }),
      other: fc.string({ minLength: 1, maxLength: 8 }),
      sequence: fc.integer({ min: 1, max: AH_MAX_SEQUENCE }),
      id: fc.integer({ min: 1, max: 0xffff }),
      unicast: fc.boolean(),
      ttl: fc.integer({ min: 1, max: 255 }),
      flip: fc.nat(),
    });
    fc.assert(
      fc.property(arb, (a) => {
        const addresses = Array.from({ length: a.count }, (_, i) => `10.1.${a.vrid}.${i + 1}`);
        const advert = makeAdvert({ ...config, vrid: a.vrid, virtualAddresses: addresses }, a.priority);
        const k = passwordAuthData(a.password);
        const packet = encodeIpv4Packet(advert, {
          source: '10.0.0.1',
          destination: a.unicast ? '10.0.0.2' : VRRP_GROUP_IPV4,
          identification: a.id,
          ttl: a.ttl,
          ah: { key: k, sequence: a.sequence, unicast: a.unicast },
        });
        const r = decoded(packet);
        expect(r.advert).toEqual(advert);
        expect(verifyAh(r.ah!, k, a.unicast, a.sequence - 1, r.source)).toEqual({ ok: true });
        expect(verifyAh(r.ah!, k, a.unicast, a.sequence, r.source)).toMatchObject({ ok: false, code: 'ah-replayed-sequence' });
        if (hex(passwordAuthData(a.other)) !== hex(k)) expect(verifyAh(r.ah!, passwordAuthData(a.other), a.unicast, 0, r.source)).toMatchObject({ ok: false, code: 'ah-auth-mismatch' });
        // unicast zeroes the TTL in the ICV (routers may lower it), multicast signs it
        const retimed = Uint8Array.from(packet);
        retimed[8] = (a.ttl % 255) + 1;
        const again = { ...r.ah!, packet: retimed };
        expect(verifyAh(again, k, a.unicast, 0, r.source).ok).toBe(a.unicast);
        // any byte past the mutable IP fields and outside the ICV itself is covered
        const covered = [0, 2, 3, 4, 5, 9, 12, 13, 14, 15, 16, 17, 18, 19, ...Array.from({ length: packet.length - 20 }, (_, i) => 20 + i)].filter((i) => i < 32 || i >= 44);
        const at = covered[a.flip % covered.length]!;
        const flipped = Uint8Array.from(packet);
        flipped[at]! ^= 0x01;
        expect(verifyAh({ ...r.ah!, packet: flipped }, k, a.unicast, 0, r.source).ok).toBe(false);
      }),
    );
  });

  it('keeps one counter per instance, as keepalived: the next advert is one past what was last sent or accepted', () => {
    expect(nextAhSequence(0)).toEqual({ sequence: 1, counter: 1 });
    expect(nextAhSequence(AH_MAX_SEQUENCE + 1)).toEqual({ sequence: AH_MAX_SEQUENCE + 1, counter: AH_MAX_SEQUENCE + 1 });
    expect(ahSequenceAfter(3, 40, false)).toBe(40);
    // a Master that hears a lower-priority Master jumps one past it (vrrp_state_master_rx)
    expect(ahSequenceAfter(3, 40, true)).toBe(41);
  });
});
