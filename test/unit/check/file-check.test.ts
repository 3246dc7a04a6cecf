import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeTrackFileValue, parseTrackFileValue } from '../../../src/check/file-check.js';

const value = (text: string) => parseTrackFileValue(text, '/run/x');

describe('FILE_CHECK value (keepalived process_track_file)', () => {
  it('reads numbers as strtol base 0 does', () => {
    expect(value('10\n')).toEqual({ ok: true, value: 10 });
    expect(value('  -3 apples')).toEqual({ ok: true, value: -3 });
    expect(value('0x1f')).toEqual({ ok: true, value: 31 });
    expect(value('017')).toEqual({ ok: true, value: 15 });
    expect(value('08')).toEqual({ ok: true, value: 0 });
    expect(value('')).toEqual({ ok: true, value: 0 });
    expect(value('up')).toEqual({ ok: true, value: 0 });
  });

  it('rejects numbers outside -2^31..2^31, so the last value stays', () => {
    expect(value('2147483648')).toEqual({ ok: true, value: 2147483648 });
    expect(value('2147483649')).toEqual({ ok: false, reason: 'Invalid number 2147483649 read from /run/x - ignoring' });
    expect(value('-2147483649').ok).toBe(false);
  });

  it('reads only the first 127 octets', () => {
    expect(value(' '.repeat(126) + '77')).toEqual({ ok: true, value: 7 });
  });

  it('with weight 0 is a switch: non-zero is down, reversed zero is down', () => {
    expect(judgeTrackFileValue(0, 0, false)).toEqual({ ok: true, weightDelta: 0 });
    expect(judgeTrackFileValue(5, 0, false).ok).toBe(false);
    expect(judgeTrackFileValue(0, 0, true).ok).toBe(false);
    expect(judgeTrackFileValue(5, 0, true)).toEqual({ ok: true, weightDelta: 0 });
  });

  it('otherwise adds value x weight (negated by reverse) and is down only at -2^31', () => {
    expect(judgeTrackFileValue(3, 2, false)).toEqual({ ok: true, weightDelta: 6 });
    expect(judgeTrackFileValue(3, 2, true)).toEqual({ ok: true, weightDelta: -6 });
    expect(judgeTrackFileValue(-5, 1, false)).toEqual({ ok: true, weightDelta: -5 });
    expect(judgeTrackFileValue(-(2 ** 31), 1, false).ok).toBe(false);
    expect(judgeTrackFileValue(-(2 ** 30), 4, false).ok).toBe(false);
  });

  it('never throws on random text', () => {
    fc.assert(fc.property(fc.string(), (text) => void value(text)));
  });
});
