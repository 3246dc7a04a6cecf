import { describe, expect, it } from 'vitest';
import { gratuitousArp, parseMac } from '../../../src/net/arp.js';
import { unsolicitedNa } from '../../../src/net/ndisc.js';

describe('gratuitousArp', () => {
  it('announces the VIP as both sender and target, with our MAC and an empty target MAC', () => {
    expect(gratuitousArp('10.0.0.29', '02:00:0a:00:00:0b').toString('hex')).toBe('0001' + '0800' + '06' + '04' + '0001' + '02000a00000b' + '0a00001d' + '000000000000' + '0a00001d');
  });

  it('refuses IPv6 addresses and malformed MACs', () => {
    expect(() => gratuitousArp('fe80::1', '02:00:0a:00:00:0b')).toThrow(/IPv4/);
    expect(() => parseMac('02:00:0a:00:00')).toThrow(/MAC/);
  });
});

describe('unsolicitedNa', () => {
  it('advertises the VIP with the Override flag and our MAC as target link-layer option', () => {
    expect(unsolicitedNa('fd00::29', '02:00:0a:00:00:0b').toString('hex')).toBe('88' + '00' + '0000' + '20000000' + 'fd000000000000000000000000000029' + '02' + '01' + '02000a00000b');
    expect(unsolicitedNa('fd00::29', '02:00:0a:00:00:0b', true)[4]).toBe(0xa0);
  });

  it('refuses IPv4 addresses', () => {
    expect(() => unsolicitedNa('10.0.0.1', '02:00:0a:00:00:0b')).toThrow(/IPv6/);
  });
});
