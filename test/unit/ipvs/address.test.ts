import { describe, expect, it } from 'vitest';
import { addressBytes, canonicalIpvsAddress } from '../../../src/ipvs/address.js';

describe('addresses as ipvsadm prints them (glibc inet_ntop)', () => {
  it.each([
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['1:0:1:1:1:1:1:1', '1:0:1:1:1:1:1:1'],
    ['::ffff:10.0.0.1', '::ffff:10.0.0.1'],
    ['::ffff:a00:1', '::ffff:10.0.0.1'],
    ['::10.0.0.1', '::10.0.0.1'],
    ['fe80::1:2', 'fe80::1:2'],
    ['::0.0.0.1', '::1'],
    ['::1:0:0:0', '::1:0:0:0'],
    ['0:0:0:0:0:1:0:1', '::1:0:1'],
  ])('%s prints as %s', (input, printed) => {
    expect(canonicalIpvsAddress(input, 'inet6')).toBe(printed);
  });

  it.each(['1.2.3', '1.2.3.256', '1.2.3.4.5', '', '::1'])('rejects IPv4 %j', (text) => {
    expect(() => addressBytes(text, 'inet')).toThrow(expect.objectContaining({ code: 'IPVS_BAD_VALUE' }));
  });

  it.each([':::', '1:2:3:4:5:6:7:8:9', '1::2::3', 'g::1', '1:2:3:4:5:6:7', '12345::', 'fe80::1%lo', '10.0.0.1'])('rejects IPv6 %j', (text) => {
    expect(() => addressBytes(text, 'inet6')).toThrow(expect.objectContaining({ code: 'IPVS_BAD_VALUE' }));
  });

  it('puts an IPv4 address in the first 4 of 16 bytes', () => {
    expect(Array.from(addressBytes('10.1.2.3', 'inet'))).toEqual([10, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('throws a typed error for a bad address', () => {
    expect(() => canonicalIpvsAddress('10.0.0', 'inet')).toThrow(expect.objectContaining({ code: 'IPVS_BAD_VALUE' }));
  });
});
