import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToIp, ipToBytes } from '../../../src/net/ip.js';

describe('ipToBytes / bytesToIp', () => {
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
    fc.assert(fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (address) => {
      const { bytes } = ipToBytes(address);
      expect(ipToBytes(bytesToIp(bytes)).bytes).toEqual(bytes);
    }));
  });
});
