import { describe, expect, it, vi } from 'vitest';
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

  it('timers due in the same millisecond fire in order of their times, none before its own, and one may cancel or re-arm another', async () => {
    const timers = new TimerHost<string>();
    const fired: { name: string; late: number }[] = [];
    const t0 = Math.ceil(monotonicMs()) + 20;
    const record = (name: string, at: number) => (now: number) => fired.push({ name, late: now - at });
    // four in the millisecond before t0, armed out of order
    timers.arm('c', t0 - 0.1, record('c', t0 - 0.1));
    timers.arm('a', t0 - 0.9, () => {
      fired.push({ name: 'a', late: 0 });
      timers.cancel('d');
      timers.arm('b', t0 - 0.5, record('b-again', t0 - 0.5));
    });
    timers.arm('b', t0 - 0.5, record('b', t0 - 0.5));
    timers.arm('d', t0 - 0.2, record('d', t0 - 0.2));
    await new Promise<void>((resolve) => timers.arm('end', t0 + 10, () => resolve()));
    expect(fired.map((f) => f.name)).toEqual(['a', 'c', 'b-again']);
    for (const f of fired) expect(f.late).toBeGreaterThanOrEqual(0);
    expect(timers.armed()).toEqual([]);
  });

  it('timers of one millisecond share one Node timer, which goes when the last of them is cancelled', () => {
    vi.useFakeTimers();
    try {
      const timers = new TimerHost<string>(() => Date.now());
      const at = Date.now() + 50;
      timers.arm('x', at - 0.5, () => expect.unreachable());
      timers.arm('y', at, () => expect.unreachable());
      timers.arm('z', at + 1, () => expect.unreachable());
      expect(vi.getTimerCount()).toBe(2);
      timers.cancel('x');
      expect(vi.getTimerCount()).toBe(2);
      timers.cancelAll();
      expect(vi.getTimerCount()).toBe(0);
      expect(timers.armed()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
