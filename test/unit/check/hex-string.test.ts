import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readHexString } from '../../../src/check/hex-string.js';

const hex = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('hex') : bytes);

describe('readHexString (keepalived read_hex_str)', () => {
  it('reads pairs of digits, any case, with blanks between groups', () => {
    const p = readHexString('DEad beef\t01', false);
    expect(hex(p?.data)).toBe('deadbeef01');
    expect(p?.mask).toBeNull();
  });

  it('makes a lone digit at the end of a group an octet of its own', () => {
    expect(hex(readHexString('1 203', false)?.data)).toBe('012003');
  });

  it('takes x or X as a wildcard nibble only in a reply pattern', () => {
    const p = readHexString('4x Xa xx', true);
    expect(hex(p?.data)).toBe('400a00');
    expect(hex(p?.mask)).toBe('0ff0ff');
    expect(readHexString('4x', false)).toBeNull();
  });

  it('refuses an empty string and any other character', () => {
    expect(readHexString('', true)).toBeNull();
    expect(readHexString('   ', true)).toBeNull();
    expect(readHexString('0g', true)).toBeNull();
    expect(readHexString('01,02', false)).toBeNull();
  });

  it('round-trips any octets written as hex pairs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        expect(hex(readHexString(Buffer.from(bytes).toString('hex'), true)?.data)).toBe(Buffer.from(bytes).toString('hex'));
      }),
    );
  });

  it('never throws on random text', () => {
    fc.assert(fc.property(fc.string(), fc.boolean(), (text, wild) => void readHexString(text, wild)));
  });
});
