import { describe, expect, it } from 'vitest';
import { consoleLine, fileLine } from '../../../src/log/text-lines.js';

describe("keepalived's human log lines", () => {
  // local time, as keepalived's localtime_r(): the same wall clock in any TZ
  const at = new Date(2026, 11, 7, 16, 9, 7, 45);

  it('console: strftime %c in the C locale, the day padded with a space', () => {
    expect(consoleLine(at, '(VI_1) Entering MASTER STATE')).toBe('Mon Dec  7 16:09:07 2026: (VI_1) Entering MASTER STATE\n');
    expect(consoleLine(new Date(2026, 0, 23, 1, 2, 3), 'x')).toBe('Fri Jan 23 01:02:03 2026: x\n');
  });

  it('log file: the day with a zero, nanoseconds after the seconds, the year last', () => {
    expect(fileLine(at, '(VI_1) Entering MASTER STATE')).toBe('Mon Dec 07 16:09:07.045000000 2026: (VI_1) Entering MASTER STATE\n');
  });
});
