import type { VrrpAction } from './actions.js';
import type { SyncCommand, VrrpEvent, VrrpState } from './events.js';
import { step, type StepContext } from './fsm.js';
import type { InstanceConfig, NotifyScripts } from './instance-config.js';
import { releaseRemoved } from './reconfigure.js';
import { changedFields, matchInstances } from './reload-match.js';
import { createInstance, ownFaults, type Instance } from './instance.js';
import { stateNotifies } from './notify.js';
import type { TrackerStatus } from './tracking.js';

export interface SyncGroupConfig {
  readonly name: string;
  readonly members: readonly string[];
  readonly notify: NotifyScripts;
}

export interface SyncGroup {
  readonly config: SyncGroupConfig;
  readonly state: VrrpState;
  readonly since: number;
}

/** The VRRP side of one keepalived process: its instances and their `vrrp_sync_group`s. */
export interface VrrpNode {
  readonly instances: Readonly<Record<string, Instance>>;
  readonly groups: readonly SyncGroup[];
}

export interface NodeStepResult {
  readonly node: VrrpNode;
  readonly actions: VrrpAction[];
}

export function createNode(instances: readonly InstanceConfig[], groups: readonly SyncGroupConfig[] = [], trackers: Readonly<Record<string, TrackerStatus>> = {}, now = 0): VrrpNode {
  return {
    instances: Object.fromEntries(instances.map((c) => [c.name, createInstance(c, trackers, now)])),
    groups: groups.map((config) => ({ config, state: 'INITIALIZE', since: now })),
  };
}

export function groupOf(node: VrrpNode, instance: string): SyncGroup | undefined {
  return node.groups.find((g) => g.config.members.includes(instance));
}

function others(node: VrrpNode, group: SyncGroup, name: string): Instance[] {
  return group.config.members.filter((m) => m !== name).flatMap((m) => node.instances[m] ?? []);
}

/**
 * keepalived's sync rules: a member goes Master only when the group already is, or when every
 * other member wants to as well (this avoids thrashing when one member still hears its master);
 * a member leaves FAULT only when no other member has a fault of its own.
 */
function contextFor(node: VrrpNode, name: string): StepContext {
  const group = groupOf(node, name);
  if (!group) return { mayBecomeMaster: () => true, mayLeaveFault: () => true };
  return {
    mayBecomeMaster: () => group.state === 'MASTER' || others(node, group, name).every((m) => m.state === 'MASTER' || m.wantMaster),
    mayLeaveFault: () => others(node, group, name).every((m) => ownFaults(m).length === 0),
  };
}

/** What a member's own transition asks of the rest of its group. */
function followUps(before: Instance, after: Instance): SyncCommand[] {
  if (after.reason === 'sync-group' || before.state === after.state) return [];
  const out: SyncCommand[] = [];
  if (after.state === 'FAULT') out.push('FAULT');
  if (before.state === 'FAULT' && after.state !== 'STOP') out.push('RECOVER');
  if (after.state === 'MASTER') out.push('MASTER');
  if (before.state === 'MASTER' && after.state === 'BACKUP') out.push('BACKUP');
  return out;
}

function groupStateOf(members: readonly Instance[]): VrrpState {
  const states = members.map((m) => m.state);
  if (states.includes('FAULT')) return 'FAULT';
  if (states.includes('MASTER')) return 'MASTER';
  if (states.length > 0 && states.every((s) => s === 'STOP')) return 'STOP';
  if (states.includes('BACKUP')) return 'BACKUP';
  return 'INITIALIZE';
}

/** Feeds one event to one instance, then lets its sync group follow. `node` is left as it was. */
export function nodeStep(node: VrrpNode, target: string, event: VrrpEvent, now: number): NodeStepResult {
  return stepInPlace({ ...node.instances }, node.groups, target, event, now);
}

/**
 * nodeStep for the one node a shell owns and never looks at again once it has the result: the
 * instance table is updated in place instead of copied. A copy costs one entry per instance, and
 * at 1,000 instances advertising every second that was a 1,000-entry table copied a thousand
 * times a second, most of the daemon's CPU (bench/vrrp-scale). Same events, same result.
 */
export function nodeAdvance(node: VrrpNode, target: string, event: VrrpEvent, now: number): NodeStepResult {
  return stepInPlace(node.instances, node.groups, target, event, now);
}

/**
 * One step on `instances`, which it updates; only the target's sync group can change, so only
 * that group is settled (a step costs the same with one group or a thousand).
 */
function stepInPlace(instances: Record<string, Instance>, groups: readonly SyncGroup[], target: string, event: VrrpEvent, now: number): NodeStepResult {
  const actions: VrrpAction[] = [];
  const current: VrrpNode = { instances, groups };
  const apply = (name: string, ev: VrrpEvent): Instance | undefined => {
    const before = instances[name];
    if (!before) return undefined;
    const r = step(before, ev, now, contextFor(current, name));
    instances[name] = r.instance;
    actions.push(...r.actions);
    return r.instance;
  };
  const before = instances[target];
  const after = apply(target, event);
  const group = groupOf(current, target);
  if (group === undefined) return { node: current, actions };
  if (before && after) {
    for (const command of followUps(before, after)) {
      for (const m of group.config.members) if (m !== target) apply(m, { type: 'sync', command });
    }
  }
  const settled = settleGroup(group, instances, actions, now);
  return { node: { instances, groups: settled === group ? groups : groups.map((g) => (g === group ? settled : g)) }, actions };
}

/** A group's state from its members'; a change is a transition with the group's notifies. */
function settleGroup(g: SyncGroup, instances: Readonly<Record<string, Instance>>, actions: VrrpAction[], now: number): SyncGroup {
  const state = groupStateOf(g.config.members.flatMap((m) => instances[m] ?? []));
  if (state === g.state) return g;
  actions.push({ type: 'transition', scope: 'GROUP', name: g.config.name, from: g.state, to: state, reason: 'sync-group', at: now });
  if (state !== 'INITIALIZE') actions.push(...stateNotifies('GROUP', g.config.name, g.config.notify, state, 0));
  return { config: g.config, state, since: now };
}

/** Feeds the same event to every instance, in configuration order; `node` is left as it was. */
export function nodeBroadcast(node: VrrpNode, event: VrrpEvent, now: number): NodeStepResult {
  let n: VrrpNode = { instances: { ...node.instances }, groups: node.groups };
  const actions: VrrpAction[] = [];
  for (const name of Object.keys(node.instances)) {
    const r = nodeAdvance(n, name, event, now);
    n = r.node;
    actions.push(...r.actions);
  }
  return { node: n, actions };
}

/**
 * True once every instance is STOP: after a shutdown the shell keeps feeding adverts and timers
 * until then, because a Master hands its VIPs over before it stops (handover.ts).
 */
export function nodeStopped(node: VrrpNode): boolean {
  return Object.values(node.instances).every((i) => i.state === 'STOP');
}

/** A reload's new instance list, with the tracker statuses the shell knows now. */
export interface ReconfigureEvent {
  readonly type: 'reconfigure';
  readonly instances: readonly InstanceConfig[];
  readonly groups: readonly SyncGroupConfig[];
  readonly trackers: Readonly<Record<string, TrackerStatus>>;
  /** New instances whose own interface is down now: they start in FAULT. */
  readonly linkDown?: readonly string[];
}

function sameTrackers(inst: Instance, next: InstanceConfig, known: Readonly<Record<string, TrackerStatus>>): boolean {
  return next.trackers.every((t) => (known[t.name] ?? inst.trackers[t.name] ?? 'unknown') === (inst.trackers[t.name] ?? 'unknown'));
}

/**
 * A reload (SIGHUP). Running instances are matched to the new file's as keepalived's
 * vrrp_exist does (reload-match.ts). Removed ones release what they hold first
 * (reconfigure.ts releaseRemoved); a matched one whose configuration and trackers are the same
 * is left alone (no action at all: same state, VIPs and timers); a changed one gets a
 * `reconfigure` event (fsm.ts); new ones are created and started. Sync groups keep their state
 * by name, then follow their members.
 */
export function nodeReconfigure(node: VrrpNode, event: ReconfigureEvent, now: number): NodeStepResult {
  const { matched, started, stopped } = matchInstances(
    Object.values(node.instances).map((i) => i.config),
    event.instances,
  );
  const actions: VrrpAction[] = [];
  const running = (c: InstanceConfig): Instance => node.instances[c.name] as Instance;
  for (const c of stopped) actions.push(...releaseRemoved(running(c), now));
  const instances: Record<string, Instance> = {};
  const changed: InstanceConfig[] = [];
  const matchOf = new Map(matched.map((m) => [m.next, m]));
  for (const next of event.instances) {
    const m = matchOf.get(next);
    if (m === undefined) {
      const fresh = createInstance(next, event.trackers, now);
      instances[next.name] = event.linkDown?.includes(next.name) ? { ...fresh, interfaceUp: false } : fresh;
      continue;
    }
    const inst = running(m.current);
    if (m.current.name !== next.name) actions.push({ type: 'renameInstance', instance: next.name, from: m.current.name });
    instances[next.name] = { ...inst, config: { ...inst.config, name: next.name } };
    if (changedFields(m.current, next).length > 0 || !sameTrackers(inst, next, event.trackers)) changed.push(next);
  }
  const groups = event.groups.map((config) => {
    const old = node.groups.find((g) => g.config.name === config.name);
    return { config, state: old?.state ?? 'INITIALIZE', since: old?.since ?? now };
  });
  let settled: readonly SyncGroup[] = groups.map((g) => settleGroup(g, instances, actions, now));
  const feed = (name: string, e: VrrpEvent): void => {
    // in place: a reload of a thousand instances stays linear
    const r = stepInPlace(instances, settled, name, e, now);
    settled = r.node.groups;
    actions.push(...r.actions);
  };
  for (const next of changed) feed(next.name, { type: 'reconfigure', config: next, trackers: event.trackers });
  for (const next of started) feed(next.name, { type: 'startup' });
  return { node: { instances, groups: settled }, actions };
}
