import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_DELAY_MS, initialState, step, type CheckerParams } from '../../../src/check/checker-fsm.js';

const params: CheckerParams = {
  flavour: 'tcp',
  checkName: 'TCP_CHECK',
  label: '[10.0.0.1]:tcp:80',
  retry: 1,
  delayLoopMs: 1000,
  delayBeforeRetryMs: 1000,
  warmupMs: 1000,
  alpha: false,
  logAllFailures: false,
  urlPaths: [],
  fastRecovery: false,
};

/** When each probe of one checker starts over `horizon` ms, every probe succeeding after `latency` ms. */
function probeTimes(random: number, latency: number, horizon: number): number[] {
  let state = initialState(params);
  let r = step(params, state, { type: 'start', random }, 0);
  const times: number[] = [];
  for (;;) {
    const at = (r.actions.find((a) => a.type === 'arm') as { at: number }).at;
    if (at > horizon) return times;
    times.push(at);
    state = r.state;
    state = step(params, state, { type: 'timer' }, at).state;
    r = step(params, state, { type: 'result', ok: true, reason: 'success' }, at + latency);
  }
}

describe('checks are spread over the interval (no thundering herd at delay_loop)', () => {
  it('the first check falls in [1 s, 1 s + warmup) and each checker keeps its place in the interval', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (random) => {
        const times = probeTimes(random, 0, 10_000);
        expect(times[0]).toBeGreaterThanOrEqual(BOOTSTRAP_DELAY_MS);
        expect(times[0]).toBeLessThan(BOOTSTRAP_DELAY_MS + params.warmupMs);
        for (let k = 1; k < times.length; k++) expect(times[k]! - times[k - 1]!).toBe(params.delayLoopMs);
      }),
    );
  });

  it('with evenly drawn randoms, every delay_loop-long window holds each checker exactly once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 50 }), fc.integer({ min: 2_000, max: 8_000 }), (n, windowStart) => {
        const all = Array.from({ length: n }, (_, i) => probeTimes(i / n, 0, 10_000)).flat();
        const inWindow = all.filter((t) => t >= windowStart && t < windowStart + params.delayLoopMs);
        expect(inWindow).toHaveLength(n);
        // and no two checkers share a millisecond unless there are more checkers than milliseconds
        expect(new Set(inWindow).size).toBe(n);
      }),
    );
  });
});
