import { OWNER_PRIORITY, type TrackerConfig } from './instance-config.js';

/** What a tracker last reported; `unknown` until a vrrp_script has its first result. */
export type TrackerStatus = 'up' | 'down' | 'unknown';

/** One line of the priority arithmetic, so `explain` can show which tracker did what. */
export interface PriorityTerm {
  readonly tracker: string;
  readonly kind: TrackerConfig['kind'];
  readonly weight: number;
  readonly status: TrackerStatus;
  /** What this tracker adds to the base priority right now (0 when it has no effect). */
  readonly delta: number;
}

export interface PriorityComputation {
  readonly base: number;
  readonly terms: readonly PriorityTerm[];
  /** base + the deltas, before clamping. */
  readonly total: number;
  /** The priority we advertise: total clamped to 1..254, or 255 for an address owner. */
  readonly effective: number;
  readonly ownerUnchanged: boolean;
  /** Weight-0 trackers that are down: each one alone holds the instance in FAULT. */
  readonly faults: readonly string[];
  /** Weight-0 trackers with no result yet: the instance waits for them before starting. */
  readonly pending: readonly string[];
}

/**
 * keepalived's tracking rule: a positive weight adds while its tracker is up, a negative weight
 * subtracts while it is down, an unknown tracker does neither; the sum is clamped to 1..254 and
 * an address owner (255) is never changed. Weight 0 does not touch the priority: its failure
 * means FAULT instead.
 */
export function computePriority(base: number, trackers: readonly TrackerConfig[], status: Readonly<Record<string, TrackerStatus>>): PriorityComputation {
  const terms: PriorityTerm[] = [];
  const faults: string[] = [];
  const pending: string[] = [];
  let total = base;
  for (const t of trackers) {
    const s = status[t.name] ?? 'unknown';
    let delta = 0;
    if (t.weight === 0) {
      if (s === 'down') faults.push(t.name);
      if (s === 'unknown') pending.push(t.name);
    } else if (t.weight > 0 && s === 'up') delta = t.weight;
    else if (t.weight < 0 && s === 'down') delta = t.weight;
    if (base !== OWNER_PRIORITY) total += delta;
    terms.push({ tracker: t.name, kind: t.kind, weight: t.weight, status: s, delta: base === OWNER_PRIORITY ? 0 : delta });
  }
  const owner = base === OWNER_PRIORITY;
  const effective = owner ? OWNER_PRIORITY : Math.min(OWNER_PRIORITY - 1, Math.max(1, total));
  return { base, terms, total, effective, ownerUnchanged: owner, faults, pending };
}

/**
 * A vrrp_script's rise/fall counter, as keepalived keeps it: `result` runs from 0 to
 * rise + fall - 1 and the script counts as up from `rise` on. A fresh script starts one success
 * short of up, so its first result decides at once.
 */
export interface ScriptCounter {
  readonly rise: number;
  readonly fall: number;
  readonly result: number;
  readonly initial: boolean;
}

export function scriptCounter(rise = 1, fall = 1, initFail = false): ScriptCounter {
  return { rise, fall, result: initFail ? 0 : rise - 1, initial: !initFail };
}

export interface ScriptStep {
  readonly counter: ScriptCounter;
  /** Set when this result changes what the tracker reports. */
  readonly report?: 'up' | 'down';
}

/** Feeds one script exit (success or not) into the counter. */
export function scriptResult(c: ScriptCounter, success: boolean): ScriptStep {
  const top = c.rise + c.fall - 1;
  if (success) {
    if (c.result < c.rise - 1) return { counter: { ...c, result: c.result + 1, initial: false } };
    const report = c.result === c.rise - 1 ? 'up' : undefined;
    const counter = { ...c, result: top, initial: false };
    return report ? { counter, report } : { counter };
  }
  if (c.result > c.rise) return { counter: { ...c, result: c.result - 1, initial: false } };
  const counter = { ...c, result: 0, initial: false };
  return c.result === c.rise || c.initial ? { counter, report: 'down' } : { counter };
}

export function scriptIsUp(c: ScriptCounter): boolean {
  return c.result >= c.rise;
}
