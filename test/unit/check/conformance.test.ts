import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialState, step, type CheckerParams, type CheckerState } from '../../../src/check/checker-fsm.js';
import type { CheckerAction, CheckerEvent } from '../../../src/check/checker-events.js';

/** Each file in conformance/ is one scenario (see conformance/README.md). */
interface Scenario {
  description: string;
  covers: string[];
  params: Partial<CheckerParams>;
  initial?: Partial<CheckerState>;
  steps: { at: number; event: CheckerEvent; actions?: CheckerAction[]; includes?: CheckerAction[]; state?: Partial<CheckerState> }[];
}

/** keepalived's defaults for TCP_CHECK with delay_loop shortened to 10 s. */
const defaults: CheckerParams = {
  flavour: 'tcp',
  checkName: 'TCP_CHECK',
  label: '[10.0.0.1]:tcp:80',
  retry: 1,
  delayLoopMs: 10_000,
  delayBeforeRetryMs: 1000,
  warmupMs: 10_000,
  alpha: false,
  logAllFailures: false,
  urlPaths: [],
  fastRecovery: false,
};

const dir = join(import.meta.dirname, 'conformance');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('checker conformance', () => {
  it('has scenarios covering every timing rule of the issue', () => {
    const covered = new Set(files.flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as Scenario).covers));
    for (const rule of ['warmup', 'start-up first failure', 'tcp retry counting', 'http retry counting', 'delay_before_retry', 'alpha', 'fast_recovery', 'one url per delay_loop while recovering']) {
      expect(covered, rule).toContain(rule);
    }
  });

  for (const file of files) {
    const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Scenario;
    it(`${file}: ${c.description}`, () => {
      const params: CheckerParams = { ...defaults, ...c.params };
      let state = initialState(params);
      if (c.initial) expect(state).toMatchObject(c.initial);
      let armed: number | null = null;
      for (const [i, s] of c.steps.entries()) {
        const where = `step ${i} (t=${s.at}, ${JSON.stringify(s.event)})`;
        // a timer may only fire when and where the machine armed it
        if (s.event.type === 'timer') {
          expect(armed, where).toBe(s.at);
          armed = null;
        }
        const r = step(params, state, s.event, s.at);
        state = r.state;
        for (const a of r.actions) if (a.type === 'arm') armed = a.at;
        if (s.actions) expect(r.actions, where).toEqual(s.actions);
        if (s.includes) for (const a of s.includes) expect(r.actions, where).toContainEqual(a);
        if (s.state) expect(state, where).toMatchObject(s.state);
      }
    });
  }
});
