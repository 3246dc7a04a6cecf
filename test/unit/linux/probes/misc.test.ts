import { describe, expect, it } from 'vitest';
import type { ScriptRun } from '../../../../src/linux/script-runner.js';
import { MiscProber, type MiscScriptPorts } from '../../../../src/linux/probes/misc.js';
import { checkerOf } from '../../../support/checkers.js';

/** The MISC prober's wiring with a fake policy and runner: what it asks for, and what it makes of the answer. */
function harness(permitted = true, end = { status: 0 as number | null, signal: null, timedOut: false }) {
  const runs: ScriptRun[] = [];
  const asked: unknown[] = [];
  const ports: MiscScriptPorts = {
    env: { PATH: '/bin' },
    permit: (argv, user) => {
      asked.push({ argv, user });
      return permitted ? { ok: true, argv: ['/resolved', ...argv.slice(1)], runAs: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 } } : { ok: false, reason: 'no' };
    },
    run: async (run) => {
      runs.push(run);
      return { ...end, durationMs: 1 };
    },
  };
  return { prober: new MiscProber(ports), runs, asked };
}

const target = (over: object) => ({ checker: checkerOf('MISC_CHECK', { misc_path: 'check.sh a "b c"', ...over }), ip: '192.0.2.1', port: 80 });

describe('MiscProber wiring', () => {
  it("asks the policy with keepalived's argv and the checker's user, and runs for misc_timeout with a 2 s TERM grace", async () => {
    const { prober, runs, asked } = harness();
    const result = await prober.probe(target({ misc_timeout: 7, user: { user: 'nobody', group: null } }), 1000, new AbortController().signal);
    expect(result).toMatchObject({ ok: true, reason: 'succeeded' });
    expect(asked).toEqual([{ argv: ['check.sh', 'a', 'b c'], user: { user: 'nobody', group: null } }]);
    expect(runs[0]).toMatchObject({ argv: ['/resolved', 'a', 'b c'], timeoutMs: 7000, termGraceMs: 2000, env: { PATH: '/bin' } });
  });

  it('does not run a refused script and says why', async () => {
    const { prober, runs } = harness(false);
    expect(await prober.probe(target({}), 1000, new AbortController().signal)).toMatchObject({ ok: false, reason: 'failed (refused: no)' });
    expect(runs).toEqual([]);
  });

  it('reports an unterminated quote in misc_path as a failure, not a throw', async () => {
    const { prober } = harness();
    expect((await prober.probe(target({ misc_path: "check.sh 'open" }), 1000, new AbortController().signal)).reason).toMatch(/^failed \(unterminated single quote/);
  });

  it('passes the misc_dynamic weight on', async () => {
    const { prober } = harness(true, { status: 7, signal: null, timedOut: false });
    expect(await prober.probe(target({ misc_dynamic: true }), 1000, new AbortController().signal)).toMatchObject({ ok: true, weight: 5 });
  });
});
