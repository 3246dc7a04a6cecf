import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DRAIN_BUDGET_MS, TimerQueue } from '../../../src/linux/timer-queue.js';
import { monotonicMs } from '../../../src/linux/timers.js';

/** Resolves when `name` fires, after arming it last at `at`. */
const armLast = (timers: TimerQueue, name: string, at: number): Promise<void> => new Promise((resolve) => timers.arm(name, at, () => resolve()));

describe('TimerQueue', () => {
  it('fires timers in order of their times, equal times in arm order, never early, and records lateness', async () => {
    const timers = new TimerQueue();
    const fired: string[] = [];
    const t0 = monotonicMs();
    for (const [name, delay] of [
      ['c', 20],
      ['a', 5],
      ['b', 20],
      ['d', 10],
    ] as const) {
      timers.arm(name, t0 + delay, (now) => {
        expect(now).toBeGreaterThanOrEqual(t0 + delay);
        fired.push(name);
      });
    }
    await armLast(timers, 'end', t0 + 30);
    expect(fired).toEqual(['a', 'd', 'c', 'b']);
    expect(timers.lateness.count).toBe(5);
    expect(timers.armed()).toEqual([]);
  });

  it('re-arming a name moves it (earlier or later), and cancel stops it', async () => {
    const timers = new TimerQueue();
    const fired: string[] = [];
    const t0 = monotonicMs();
    timers.arm('late', t0 + 40, () => fired.push('late-first'));
    timers.arm('late', t0 + 2, () => fired.push('late-moved-earlier'));
    timers.arm('soon', t0, () => fired.push('soon-first'));
    timers.arm('soon', t0 + 15, () => fired.push('soon-moved-later'));
    timers.arm('gone', t0 + 1, () => fired.push('gone'));
    timers.cancel('gone');
    expect(timers.armed().sort()).toEqual(['late', 'soon']);
    await armLast(timers, 'end', t0 + 25);
    expect(fired).toEqual(['late-moved-earlier', 'soon-moved-later']);
  });

  it('a timer armed for now from a callback fires in a later turn, and cancelAll stops everything', async () => {
    const timers = new TimerQueue();
    const t0 = monotonicMs();
    let rounds = 0;
    const again = (): void => {
      if (++rounds < 5) timers.arm('again', 0, again);
    };
    timers.arm('again', t0, again);
    await armLast(timers, 'end', t0 + 10);
    expect(rounds).toBe(5);
    timers.arm('never', t0, () => expect.fail('cancelled'));
    timers.cancelAll();
    expect(timers.armed()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 5));
  });

  it('keeps heap order through any sequence of arms and cancels', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.option(fc.integer({ min: 0, max: 50 }))), { maxLength: 60 }), (ops) => {
        // a clock that never reaches the times: nothing fires, only the order is kept
        const timers = new TimerQueue(() => -Infinity);
        const want = new Map<string, number>();
        for (const [n, at] of ops) {
          const name = `t${n}`;
          if (at === null) {
            timers.cancel(name);
            want.delete(name);
          } else {
            timers.arm(name, 1e12 + at, () => undefined);
            want.set(name, at);
          }
        }
        const heap = (timers as unknown as { heap: { at: number; index: number }[] }).heap;
        heap.forEach((e, i) => {
          expect(e.index).toBe(i);
          if (i > 0) expect(heap[(i - 1) >> 1]!.at).toBeLessThanOrEqual(e.at);
        });
        expect(timers.armed().sort()).toEqual([...want.keys()].sort());
        timers.cancelAll();
      }),
    );
  });

  it('lets the loop run between slices of a long drain, and still fires everything in order', async () => {
    const timers = new TimerQueue();
    const t0 = monotonicMs();
    const fired: number[] = [];
    let polled = false;
    let firedBeforePoll = 0;
    for (let i = 0; i < 50; i++) {
      timers.arm(`t${i}`, t0, () => {
        fired.push(i);
        // each timer holds the loop for a while: 50 of them exceed one drain's budget
        const until = monotonicMs() + DRAIN_BUDGET_MS / 5;
        while (monotonicMs() < until);
        if (!polled) firedBeforePoll++;
      });
    }
    setImmediate(() => (polled = true));
    await armLast(timers, 'end', t0 + 1);
    expect(fired).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(firedBeforePoll).toBeLessThan(50);
  });
});
