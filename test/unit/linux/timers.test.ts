import { describe, expect, it } from 'vitest';
import { TimerHost, monotonicMs } from '../../../src/linux/timers.js';

describe('TimerHost', () => {
  it('fires timers in order of their times and records lateness', async () => {
    const timers = new TimerHost<'advert' | 'master-down'>();
    const fired: string[] = [];
    const t0 = monotonicMs();
    const done = new Promise<void>((resolve) => {
      timers.arm('master-down', t0 + 30, () => {
        fired.push('master-down');
        resolve();
      });
      timers.arm('advert', t0 + 10, (now) => {
        expect(now).toBeGreaterThanOrEqual(t0 + 10);
        fired.push('advert');
      });
    });
    await done;
    expect(fired).toEqual(['advert', 'master-down']);
    expect(timers.lateness.count).toBe(2);
    expect(timers.armed()).toEqual([]);
  });

  it('re-arming a name replaces it, and cancel stops it', async () => {
    const timers = new TimerHost<'t' | 'u' | 'end'>();
    const fired: string[] = [];
    const t0 = monotonicMs();
    timers.arm('t', t0, () => fired.push('t-first'));
    timers.arm('t', t0 + 5, () => fired.push('t-second'));
    timers.arm('u', t0, () => fired.push('u'));
    timers.cancel('u');
    expect(timers.armed()).toEqual(['t']);
    await new Promise<void>((resolve) => timers.arm('end', t0 + 20, () => resolve()));
    expect(fired).toEqual(['t-second']);
  });
});
