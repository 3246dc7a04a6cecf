/**
 * The desired-table scenarios: each file in scenarios/ is a config, the table and log lines at
 * start, then events (checker results, VRRP states) each with the table and log lines after it.
 * A keepalived rule's corner case is a new file, not new test code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HealthEvent } from '../../../src/check/health.js';
import type { VrrpState } from '../../../src/vrrp/events.js';
import { desiredTable } from '../../../src/lvs/desired-table.js';
import { onHealth, onVrrpState, startLvs, type LvsLog } from '../../../src/lvs/lvs-state.js';
import type { QuorumScript } from '../../../src/lvs/quorum-scripts.js';
import { configFrom, tableLines } from './helpers.js';

interface Expectation {
  readonly table: readonly string[];
  readonly logs: readonly string[];
  /** quorum_up / quorum_down runs asked for; none when left out. */
  readonly scripts?: readonly QuorumScript[];
}

interface Scenario {
  readonly description: string;
  readonly config: readonly string[];
  readonly start: Expectation;
  readonly steps: ReadonlyArray<
    Expectation & {
      readonly health?: HealthEvent['ref'] & { readonly up: boolean; readonly weight?: number };
      readonly vrrp?: { readonly instance: string; readonly state: VrrpState; readonly addresses: readonly string[] };
    }
  >;
}

const dir = join(import.meta.dirname, 'scenarios');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

/** Log lines a scenario asserts: what operators see (debug lines are the daemon's own). */
const shown = (logs: readonly LvsLog[]): string[] => logs.map((l) => l.msg);

describe('LVS desired-table scenarios', () => {
  it('has scenarios', () => expect(files.length).toBeGreaterThan(5));
  for (const file of files) {
    const scenario = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Scenario;
    it(`${file}: ${scenario.description}`, () => {
      const start = startLvs(configFrom(scenario.config.join('\n')));
      let state = start.state;
      expect({ table: tableLines(desiredTable(state)), logs: shown(start.logs), scripts: start.scripts }).toEqual({
        table: scenario.start.table,
        logs: scenario.start.logs,
        scripts: scenario.start.scripts ?? [],
      });
      scenario.steps.forEach((step, i) => {
        let logs: string[] = [];
        let scripts: readonly QuorumScript[] = [];
        if (step.health !== undefined) {
          const { up, weight, ...ref } = step.health;
          const event: HealthEvent = { type: 'checker', ref, up, reason: 'scenario', ...(weight === undefined ? {} : { weight }) };
          const next = onHealth(state, event);
          state = next.state;
          logs = shown(next.logs);
          scripts = next.scripts;
        }
        if (step.vrrp !== undefined) {
          const next = onVrrpState(state, step.vrrp.instance, step.vrrp.state, step.vrrp.addresses);
          state = next.state;
          logs = shown(next.logs);
          scripts = next.scripts;
        }
        expect({ step: i, table: tableLines(desiredTable(state)), logs, scripts }).toEqual({ step: i, table: step.table, logs: step.logs, scripts: step.scripts ?? [] });
      });
    });
  }
});
