import { describe, expect, it } from 'vitest';
import { REJECT_CODES, RejectCounters } from '../../../src/vrrp/reject.js';

describe('RejectCounters', () => {
  it('counts drops by reason and lists every reason', () => {
    const counters = new RejectCounters();
    counters.add('bad-ttl');
    counters.add('bad-ttl');
    counters.add('auth-mismatch');
    expect(counters.get('bad-ttl')).toBe(2);
    expect(counters.get('bad-checksum')).toBe(0);
    expect(counters.total()).toBe(3);
    const snapshot = counters.snapshot();
    expect(Object.keys(snapshot)).toEqual(Object.keys(REJECT_CODES));
    expect(snapshot).toMatchObject({ 'bad-ttl': 2, 'auth-mismatch': 1, 'bad-checksum': 0 });
  });
});

describe('REJECT_CODES', () => {
  it('are kebab-case with a description each', () => {
    for (const [code, text] of Object.entries(REJECT_CODES)) {
      expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(text.length).toBeGreaterThan(10);
    }
  });
});
