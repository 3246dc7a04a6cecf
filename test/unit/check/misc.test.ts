import { describe, expect, it } from 'vitest';
import { judgeMiscExit } from '../../../src/check/misc.js';

const exit = (status: number) => ({ status, signal: null, timedOut: false });

describe('MISC_CHECK exit (keepalived misc_check_child_thread)', () => {
  it('is up on 0 and down on any other status without misc_dynamic', () => {
    expect(judgeMiscExit(exit(0), false)).toEqual({ ok: true, reason: 'succeeded' });
    expect(judgeMiscExit(exit(1), false)).toEqual({ ok: false, reason: 'failed (exited with status 1)' });
    expect(judgeMiscExit(exit(5), false)).toEqual({ ok: false, reason: 'failed (exited with status 5)' });
  });

  it('with misc_dynamic: 0 up at the configured weight, 1 down, 2..255 up with weight code - 2', () => {
    expect(judgeMiscExit(exit(0), true)).toEqual({ ok: true, reason: 'succeeded' });
    expect(judgeMiscExit(exit(1), true).ok).toBe(false);
    expect(judgeMiscExit(exit(2), true)).toEqual({ ok: true, reason: 'succeeded', weight: 0 });
    expect(judgeMiscExit(exit(12), true)).toEqual({ ok: true, reason: 'succeeded', weight: 10 });
    expect(judgeMiscExit(exit(255), true)).toEqual({ ok: true, reason: 'succeeded', weight: 253 });
  });

  it('is down when timed out, killed by a signal, or unable to start', () => {
    expect(judgeMiscExit({ status: null, signal: 'SIGTERM', timedOut: true }, true)).toEqual({ ok: false, reason: 'timed out' });
    expect(judgeMiscExit({ status: null, signal: 'SIGKILL', timedOut: false }, false)).toEqual({ ok: false, reason: 'failed (due to signal 9)' });
    expect(judgeMiscExit({ status: null, signal: null, timedOut: false, spawnError: 'ENOENT' }, false)).toEqual({ ok: false, reason: 'failed (could not start: ENOENT)' });
  });
});
