import { describe, expect, it } from 'vitest';
import { KeepalivedError } from '../../../src/errors.js';
import { advertIntervalMs, makeAdvert, passwordAuthData, type VrrpAdvert } from '../../../src/vrrp/advert.js';
import { encodeAdvert } from '../../../src/vrrp/advert-codec.js';
import { internetChecksum } from '../../../src/vrrp/checksum.js';
import { encodeIpv4Packet } from '../../../src/vrrp/packet.js';

const v2: VrrpAdvert = {
  version: 2,
  family: 'inet',
  vrid: 51,
  priority: 100,
  advertInterval: 1,
  authType: 'pass',
  authData: passwordAuthData('netlab1'),
  addresses: ['10.0.0.29'],
};
const v3: VrrpAdvert = { version: 3, family: 'inet6', vrid: 51, priority: 100, maxAdvertInterval: 100, addresses: ['2001:db8::29'] };
const ends = { source: '10.0.0.11', destination: '224.0.0.18' };

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof KeepalivedError ? error.code : 'not a KeepalivedError';
  }
  return undefined;
}

describe('encoding refuses what cannot be sent', () => {
  it.each([
    ['VRID 256', () => encodeAdvert({ ...v2, vrid: 256 }, ends)],
    ['priority -1', () => encodeAdvert({ ...v2, priority: -1 }, ends)],
    ['fractional VRRPv2 interval', () => encodeAdvert({ ...v2, advertInterval: 0.5 }, ends)],
    ['VRRPv2 interval 256 s', () => encodeAdvert({ ...v2, advertInterval: 256 }, ends)],
    ['VRRPv3 interval 4096 cs', () => encodeAdvert({ ...v3, maxAdvertInterval: 4096 }, { source: 'fe80::1', destination: 'ff02::12' })],
    ['7 bytes of authentication data', () => encodeAdvert({ ...v2, authData: new Uint8Array(7) }, ends)],
    ['an IPv6 address in a VRRPv2 advert', () => encodeAdvert({ ...v2, addresses: ['2001:db8::1'] }, ends)],
    ['256 addresses', () => encodeAdvert({ ...v2, addresses: new Array<string>(256).fill('10.0.0.1') }, ends)],
    ['an IPv4 source for an IPv6 pseudo-header', () => encodeAdvert(v3, ends)],
    ['an IPv6 advert in an IPv4 packet', () => encodeIpv4Packet(v3, ends)],
    ['a source that is not an address', () => encodeIpv4Packet(v2, { ...ends, source: 'lb1' })],
  ])('%s', (_name, action) => {
    expect(codeOf(action)).toBe('vrrp-invalid-advert');
  });
});

describe('auth_pass on the wire', () => {
  it.each([
    ['netlab1', '6e65746c61623100'],
    ['', '0000000000000000'],
    ['12345678', '3132333435363738'],
    ['123456789', '3132333435363738'],
  ])('%j is %s', (password, hex) => {
    expect(Buffer.from(passwordAuthData(password)).toString('hex')).toBe(hex);
  });
});

describe('advertIntervalMs', () => {
  it('reads seconds for v2 and centiseconds for v3', () => {
    expect(advertIntervalMs(v2)).toBe(1000);
    expect(advertIntervalMs({ ...v3, maxAdvertInterval: 10 })).toBe(100);
  });
});

describe('internetChecksum', () => {
  it('matches the RFC 1071 §3 worked example', () => {
    // Words 0001 f203 f4f5 f6f7 sum to ddf2; the checksum is its complement.
    expect(internetChecksum(Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]))).toBe(0x220d);
  });

  it('pads an odd last byte with zero and sums parts as one stream', () => {
    expect(internetChecksum(Uint8Array.from([0x12, 0x34, 0x56]))).toBe(~(0x1234 + 0x5600) & 0xffff);
    expect(internetChecksum(Uint8Array.from([0x00, 0x01]), Uint8Array.from([0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]))).toBe(0x220d);
  });
});

describe('makeAdvert', () => {
  const base = { family: 'inet' as const, vrid: 9, virtualAddresses: ['10.0.0.1'] };

  it('puts v2 intervals in seconds, zero auth data without PASS', () => {
    const advert = makeAdvert({ ...base, version: 2, advertIntervalMs: 3000 }, 0);
    expect(advert).toEqual({ ...v2, vrid: 9, priority: 0, advertInterval: 3, authType: 'none', authData: new Uint8Array(8), addresses: ['10.0.0.1'] });
  });

  it('puts v3 intervals in centiseconds', () => {
    expect(makeAdvert({ ...base, version: 3, advertIntervalMs: 40950 }, 254)).toEqual({ version: 3, family: 'inet', vrid: 9, priority: 254, maxAdvertInterval: 4095, addresses: ['10.0.0.1'] });
  });

  it.each([
    ['a fractional v2 interval', { ...base, version: 2 as const, advertIntervalMs: 1500 }],
    ['a v3 interval finer than centiseconds', { ...base, version: 3 as const, advertIntervalMs: 1005 }],
    ['VRRPv2 over IPv6', { ...base, family: 'inet6' as const, version: 2 as const, advertIntervalMs: 1000 }],
  ])('refuses %s', (_name, config) => {
    expect(codeOf(() => makeAdvert(config, 100))).toBe('vrrp-invalid-advert');
  });
});
