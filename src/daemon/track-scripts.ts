import type { Logger } from 'pino';
import { runConfiguredScript } from './notify-runner.js';
import type { ScriptPolicy } from './script-policy.js';
import { scriptCounter, scriptResult, type ScriptCounter } from '../vrrp/tracking.js';
import type { ScriptPlan } from './plan.js';

/**
 * Runs each `vrrp_script` every `interval`, one run at a time, and reports when rise/fall says
 * its status changed. A run that times out counts as a failure, as in keepalived.
 */
export class TrackScripts {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    scripts: readonly ScriptPlan[],
    private readonly log: Logger,
    private readonly policy: ScriptPolicy,
    private readonly changed: (name: string, up: boolean) => void,
  ) {
    for (const s of scripts) void this.loop(s, scriptCounter(s.rise, s.fall, s.initFail));
  }

  private async loop(s: ScriptPlan, counter: ScriptCounter): Promise<void> {
    if (this.closed) return;
    const result = await runConfiguredScript(this.policy, this.log, s.script, [], s.timeoutMs);
    if (this.closed) return;
    // a refused script counts as failing: its instance must not look healthier than it is
    const step = scriptResult(counter, result?.status === 0 && !result.timedOut);
    if (step.report !== undefined) {
      this.log.info({ script: s.name, status: result?.status, timedOut: result?.timedOut }, `VRRP_Script(${s.name}) ${step.report === 'up' ? 'succeeded' : 'failed'}`);
      this.changed(s.name, step.report === 'up');
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.loop(s, step.counter);
    }, s.intervalMs);
    this.timers.add(timer);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
