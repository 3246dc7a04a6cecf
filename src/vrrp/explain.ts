import type { VrrpState } from './events.js';
import { masterDownIntervalOf, ownFaults, priorityOf, skewOf, type HeardMaster, type Instance, type StateReason } from './instance.js';
import type { PriorityComputation } from './tracking.js';

/** The answer to "why is this instance in this state, with this priority?" */
export interface Explanation {
  readonly instance: string;
  readonly state: VrrpState;
  readonly since: number;
  readonly reason: StateReason;
  readonly priority: PriorityComputation;
  readonly master: HeardMaster | null;
  readonly faults: readonly string[];
  readonly timers: {
    readonly masterDownAt: number | null;
    readonly adverAt: number | null;
    readonly preemptDelayUntil: number | null;
  };
  readonly masterDownIntervalMs: number;
  readonly skewTimeMs: number;
  /** Sentences a status command prints, most important first. */
  readonly notes: readonly string[];
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;

const REASONS: Record<StateReason, string> = {
  created: 'not started yet',
  'waiting-for-trackers': 'waiting for the first result of its weight-0 trackers',
  startup: 'started as Backup and waits Master_Down_Interval for a master (keepalived does this even with state MASTER)',
  'address-owner': 'it owns the addresses (priority 255), so it became Master at once',
  'master-down': 'no advert from a master it accepts arrived within Master_Down_Interval',
  'higher-priority-advert': 'it was Master and heard a higher priority',
  'equal-priority-higher-address': 'it was Master and heard an equal priority from a higher primary address',
  'tracker-fault': 'a weight-0 tracker failed',
  'interface-down': 'its interface is down',
  'fault-cleared': 'its faults cleared, so it restarted as Backup',
  'sync-group': 'its vrrp_sync_group moved it',
  shutdown: 'it was shut down (a Master sends priority 0 first)',
  'handing-over': 'it was shut down and keeps its addresses until its successor is heard (or the hand-over bound passes)',
  'successor-heard': 'it was shut down and handed its addresses over to the successor it heard',
  'no-successor-heard': 'it was shut down and released its addresses when no successor was heard within the hand-over bound',
};

function describeTerm(t: PriorityComputation['terms'][number]): string {
  const what = `${t.kind} ${t.tracker} (weight ${t.weight}) is ${t.status}`;
  if (t.weight === 0) return `${what}: weight 0, ${t.status === 'down' ? 'holds the instance in FAULT' : 'no effect on priority'}`;
  if (t.delta !== 0) return `${what}: ${t.delta > 0 ? '+' : ''}${t.delta}`;
  const rule = t.weight > 0 ? 'a positive weight adds only while up' : 'a negative weight subtracts only while down';
  return `${what}: +0 (${rule})`;
}

function notesFor(inst: Instance, p: PriorityComputation): string[] {
  const c = inst.config;
  const notes: string[] = [`${inst.state} because ${REASONS[inst.reason]}.`];
  const m = inst.master;
  if (inst.state === 'BACKUP' && m && m.priority > 0) {
    const cmp = m.priority > inst.effectivePriority ? 'higher than' : m.priority === inst.effectivePriority ? 'equal to' : 'lower than';
    notes.push(`Last master heard: ${m.address} with priority ${m.priority}, ${cmp} ours (${inst.effectivePriority}).`);
    if (m.priority < inst.effectivePriority) {
      if (!c.preempt) notes.push('nopreempt: it keeps accepting the lower-priority master and will not take over while that master advertises.');
      else if (inst.preemptDelay === 'running') notes.push(`preempt_delay: it accepts the lower-priority master until ${inst.preemptDelayUntil}.`);
      else notes.push('It discards the lower-priority adverts and takes over when Master_Down_Timer fires.');
    }
  }
  if (inst.state === 'MASTER' && !c.preempt) notes.push('nopreempt only matters in Backup: as Master it yields to higher priorities only.');
  const h = inst.handover;
  if (h) notes.push(h.phase === 'grace' ? `Successor ${h.successor} confirmed: its addresses go at ${h.until}.` : `No successor confirmed (heard twice) yet: its addresses go at ${h.until} at the latest.`);
  if (inst.wantMaster) notes.push('Its Master_Down_Timer fired, but its sync group is not ready for Master yet.');
  if (inst.heldByGroup) notes.push('It has no fault of its own: another member of its sync group holds it in FAULT.');
  if (p.ownerUnchanged && p.terms.length > 0) notes.push('Trackers never change an address owner (priority 255).');
  const clampNote =
    p.total !== p.effective && !p.ownerUnchanged ? ` clamped to ${p.effective} (effective priority stays within 1..254)` : '';
  const sum = [`base ${p.base}`, ...p.terms.filter((t) => t.delta !== 0).map((t) => `${t.delta > 0 ? '+' : '-'} ${Math.abs(t.delta)} (${t.tracker})`)];
  notes.push(`Effective priority ${p.effective} = ${sum.join(' ')}${p.total !== p.base ? ` = ${p.total}` : ''}${clampNote}.`);
  notes.push(...p.terms.map((t) => `  ${describeTerm(t)}`));
  return notes;
}

export function explain(inst: Instance): Explanation {
  const p = priorityOf(inst);
  return {
    instance: inst.config.name,
    state: inst.state,
    since: inst.since,
    reason: inst.reason,
    priority: p,
    master: inst.master,
    faults: ownFaults(inst),
    timers: { masterDownAt: inst.masterDownAt, adverAt: inst.adverAt, preemptDelayUntil: inst.preemptDelayUntil },
    masterDownIntervalMs: masterDownIntervalOf(inst),
    skewTimeMs: skewOf(inst),
    notes: notesFor(inst, p),
  };
}

/** The explanation as the text a status command prints. */
export function renderExplanation(e: Explanation): string {
  const head = `${e.instance}: ${e.state} since ${seconds(e.since)}`;
  const timing = `Master_Down_Interval ${seconds(e.masterDownIntervalMs)} (Skew_Time ${seconds(e.skewTimeMs)})`;
  return [head, ...e.notes.map((n) => (n.startsWith('  ') ? n : `  ${n}`)), `  ${timing}`].join('\n') + '\n';
}
