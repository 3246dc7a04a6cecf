import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createNode,
  instanceConfig,
  nodeReconfigure,
  nodeStep,
  type InstanceConfigInput,
  type SyncGroupConfig,
  type TrackerStatus,
  type VrrpAction,
  type VrrpEvent,
  type VrrpNode,
} from '../../../src/vrrp/index.js';

/**
 * Each file in conformance/ is one scenario (see conformance/README.md): instances, timestamped
 * events, and after each event the exact actions and the states expected.
 */
/** A reload: the new file's instances (and groups, trackers), for the whole node. */
interface ReloadEvent {
  type: 'reload';
  instances: InstanceConfigInput[];
  groups?: SyncGroupConfig[];
  trackers?: Record<string, TrackerStatus>;
}

interface CaseStep {
  at: number;
  instance?: string;
  event: VrrpEvent | ReloadEvent;
  actions?: Record<string, unknown>[];
  includes?: Record<string, unknown>[];
  state?: string;
  states?: Record<string, string>;
  groupStates?: Record<string, string>;
  priority?: number;
  /** A timer event that fires although the timer is no longer armed (a late, stale expiry). */
  stale?: boolean;
}

interface ConformanceCase {
  description: string;
  covers: string[];
  instances: InstanceConfigInput[];
  groups?: SyncGroupConfig[];
  trackers?: Record<string, TrackerStatus>;
  steps: CaseStep[];
}

const dir = join(import.meta.dirname, 'conformance');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

const WITH_INSTANCE = new Set(['sendAdvert', 'sendGarp', 'addVips', 'removeVips', 'changeVips', 'armTimer', 'cancelTimer', 'forgetInstance']);

/** Expected actions may leave out the instance, scope, name and time of the step they belong to. */
function complete(a: Record<string, unknown>, instance: string, at: number): Record<string, unknown> {
  const out = { ...a };
  if (WITH_INSTANCE.has(String(a.type)) && !('instance' in a)) out.instance = instance;
  if (a.type === 'transition') {
    out.scope ??= 'INSTANCE';
    out.name ??= instance;
    out.at ??= at;
  }
  return out;
}

/** The shell's timer table, as the actions leave it. */
function track(armed: Map<string, number>, a: VrrpAction): void {
  if (a.type === 'armTimer') armed.set(`${a.instance}/${a.timer}`, a.at);
  if (a.type === 'cancelTimer') armed.delete(`${a.instance}/${a.timer}`);
  for (const [key, at] of [...armed]) {
    const [owner, timer] = key.split('/');
    if ((a.type === 'forgetInstance' || a.type === 'renameInstance') && owner === (a.type === 'renameInstance' ? a.from : a.instance)) armed.delete(key);
    if (a.type === 'renameInstance' && owner === a.from) armed.set(`${a.instance}/${timer}`, at);
  }
}

function run(c: ConformanceCase): void {
  let node: VrrpNode = createNode(
    c.instances.map((i) => instanceConfig(i)),
    c.groups ?? [],
    c.trackers ?? {},
  );
  const first = c.instances[0]!.name;
  const armed = new Map<string, number>();
  for (const [i, s] of c.steps.entries()) {
    const target = s.instance ?? first;
    const where = `step ${i} (t=${s.at}, ${target}, ${JSON.stringify(s.event)})`;
    // A scenario may only fire a timer when and where the machine armed it.
    if (s.event.type === 'timer' && !s.stale) expect(armed.get(`${target}/${s.event.timer}`), where).toBe(s.at);
    if (s.event.type === 'timer') armed.delete(`${target}/${s.event.timer}`);
    const r =
      s.event.type === 'reload'
        ? nodeReconfigure(node, { type: 'reconfigure', instances: s.event.instances.map((i) => instanceConfig(i)), groups: s.event.groups ?? [], trackers: s.event.trackers ?? {} }, s.at)
        : nodeStep(node, target, s.event, s.at);
    node = r.node;
    for (const a of r.actions) track(armed, a);
    const got = r.actions as unknown as Record<string, unknown>[];
    if (s.actions) expect(got, where).toEqual(s.actions.map((a) => complete(a, target, s.at)));
    if (s.includes) {
      for (const want of s.includes.map((a) => complete(a, target, s.at))) expect(got, where).toContainEqual(want);
    }
    if (s.state) expect(node.instances[target]?.state, where).toBe(s.state);
    for (const [name, st] of Object.entries(s.states ?? {})) expect(node.instances[name]?.state, `${where}: ${name}`).toBe(st);
    for (const [name, st] of Object.entries(s.groupStates ?? {})) {
      expect(node.groups.find((g) => g.config.name === name)?.state, `${where}: group ${name}`).toBe(st);
    }
    if (s.priority !== undefined) expect(node.instances[target]?.effectivePriority, where).toBe(s.priority);
  }
}

describe('VRRP conformance scenarios', () => {
  it('has at least 40 scenarios', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });
  for (const f of files) {
    const c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as ConformanceCase;
    it(`${f}: ${c.description}`, () => run(c));
  }
});
