import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToIp, canonicalAddress, familyOf, formatIpv6, ipFamily, ipToBytes, isMulticast, parseIpv4, parseIpv6 } from '../../../src/net/ip-address.js';

/** The WHATWG URL parser serialises IPv6 hosts the RFC 5952 way: an independent oracle. */
function urlCanonical(bytes: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => (((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0)).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

describe('IPv6 text', () => {
  it('formats like the URL parser and parses back to the same bytes', () => {
    const sparse = fc.array(fc.constantFrom(0, 0, 0, 1, 0xffff, 0xdb8), { minLength: 8, maxLength: 8 }).map((groups) => {
      const bytes = new Uint8Array(16);
      groups.forEach((g, i) => {
        bytes[2 * i] = g >> 8;
        bytes[2 * i + 1] = g & 0xff;
      });
      return bytes;
    });
    fc.assert(
      fc.property(fc.oneof(sparse, fc.uint8Array({ minLength: 16, maxLength: 16 })), (bytes) => {
        const text = formatIpv6(bytes);
        expect(text).toBe(urlCanonical(bytes));
        expect(parseIpv6(text)).toEqual(bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['::', '::'],
    ['::1', '::1'],
    ['FE80:0000:0000:0000:0000:0000:0000:0001', 'fe80::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8::0:1', '2001:db8::1'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::ffff:10.0.0.1', '::ffff:a00:1'],
  ])('%s is %s', (text, canonical) => {
    expect(canonicalAddress(text, 'inet6')).toBe(canonical);
  });

  it.each(['', ':', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', '12345::', 'g::', '1.2.3.4::', '::1.2.3', ':1::'])('rejects %j', (text) => {
    expect(parseIpv6(text)).toBeUndefined();
  });
});

describe('IPv4 text', () => {
  it.each(['10.0.0.29', '0.0.0.0', '255.255.255.255'])('reads %s', (text) => {
    expect(canonicalAddress(text, 'inet')).toBe(text);
  });

  it.each(['', '10.0.0', '10.0.0.256', '10.0.0.1.2', '10.0.0.x', '1e1.0.0.1', '10..0.1', ' 10.0.0.1'])('rejects %j', (text) => {
    expect(parseIpv4(text)).toBeUndefined();
  });
});

describe('isMulticast', () => {
  it.each([
    ['224.0.0.18', 'inet', true],
    ['239.255.255.255', 'inet', true],
    ['223.255.255.255', 'inet', false],
    ['240.0.0.1', 'inet', false],
    ['10.0.0.12', 'inet', false],
    ['ff02::12', 'inet6', true],
    ['fe80::1', 'inet6', false],
    ['not an address', 'inet', false],
  ] as const)('%s (%s): %s', (text, family, expected) => {
    expect(isMulticast(text, family)).toBe(expected);
  });
});

describe('ipToBytes / bytesToIp (either family)', () => {
  it.each([
    ['10.0.0.29', '0a00001d'],
    ['ff02::12', 'ff020000000000000000000000000012'],
    ['fe80::1:2', 'fe800000000000000000000000010002'],
    ['::', '00000000000000000000000000000000'],
    ['::ffff:192.168.1.1', '00000000000000000000ffffc0a80101'],
    ['2001:db8:0:0:1:0:0:1', '20010db8000000000001000000000001'],
  ])('%s is %s', (text, hex) => {
    expect(ipToBytes(text).bytes.toString('hex')).toBe(hex);
  });

  it.each([
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
    ['20010db8000100000000000000000001', '2001:db8:1::1'],
    ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'],
    ['00000000000000000000000000000000', '::'],
  ])('formats %s canonically as %s (RFC 5952)', (hex, text) => {
    expect(bytesToIp(Buffer.from(hex, 'hex'))).toBe(text);
  });

  it('rejects what is not an address', () => {
    expect(() => ipToBytes('10.0.0.256')).toThrow(/not an IP address/);
    expect(() => bytesToIp(Buffer.alloc(5))).toThrow(/4 or 16 bytes/);
  });

  it('round-trips every IPv4 and IPv6 address', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (address) => {
        const { bytes } = ipToBytes(address);
        expect(ipToBytes(bytesToIp(bytes)).bytes).toEqual(bytes);
      }),
    );
  });
});

describe('familyOf', () => {
  it('agrees with parsing on every address of either family, in every spelling formatIpv6 and the fuzzer give', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        expect(familyOf(text)).toBe(ipFamily(text) === 6 ? 'inet6' : 'inet');
      }),
    );
    expect(familyOf('::ffff:10.0.0.1')).toBe('inet6');
  });
});
