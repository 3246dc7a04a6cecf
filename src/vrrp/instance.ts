import type { VrrpState } from './events.js';
import { OWNER_PRIORITY, type InstanceConfig } from './instance-config.js';
import { masterDownIntervalMs, skewTimeMs } from './timing.js';
import { computePriority, type PriorityComputation, type TrackerStatus } from './tracking.js';

/** Why an instance is in its state; `explain` turns it into a sentence. */
export type StateReason =
  | 'created'
  | 'waiting-for-trackers'
  | 'startup'
  | 'address-owner'
  | 'master-down'
  | 'higher-priority-advert'
  | 'equal-priority-higher-address'
  | 'tracker-fault'
  | 'interface-down'
  | 'fault-cleared'
  | 'sync-group'
  | 'shutdown'
  | 'handing-over'
  | 'successor-heard'
  | 'no-successor-heard';

/** The master a Backup last heard (or a Master last yielded to). */
export interface HeardMaster {
  readonly address: string;
  readonly priority: number;
  readonly advertIntervalMs: number;
  readonly at: number;
}

/**
 * A Master told to shut down keeps its VIPs until a successor is heard (then a grace period)
 * or until the bound passes; see handover.ts.
 */
export interface Handover {
  /** waiting: nobody heard; heard: one advert from `successor`; grace: a second one came. */
  readonly phase: 'waiting' | 'heard' | 'grace';
  /** The router last heard advertising as Master since the stop. */
  readonly successor: string | null;
  /** When the VIPs go at the latest: the bound, then (once a successor is heard) the grace's end. */
  readonly until: number;
}

/** preempt_delay: idle until a lower-priority master is heard, then running, then expired. */
export type PreemptDelayPhase = 'idle' | 'running' | 'expired';

/** Everything the state machine remembers about one instance between events. */
export interface Instance {
  readonly config: InstanceConfig;
  readonly state: VrrpState;
  readonly reason: StateReason;
  readonly since: number;
  /** Startup has been received (and no shutdown since). */
  readonly started: boolean;
  readonly interfaceUp: boolean;
  readonly trackers: Readonly<Record<string, TrackerStatus>>;
  readonly effectivePriority: number;
  /** RFC 5798 §6.1: a v3 Backup uses the interval the master advertises. */
  readonly masterAdverIntervalMs: number;
  readonly masterDownAt: number | null;
  readonly adverAt: number | null;
  readonly preemptDelay: PreemptDelayPhase;
  readonly preemptDelayUntil: number | null;
  readonly master: HeardMaster | null;
  /** The master-down timer expired but the sync group kept us Backup. */
  readonly wantMaster: boolean;
  /** In FAULT only because another member of our sync group is. */
  readonly heldByGroup: boolean;
  /** Set while a shut-down Master still holds its VIPs (state stays MASTER until they go). */
  readonly handover: Handover | null;
}

export function createInstance(config: InstanceConfig, trackers: Readonly<Record<string, TrackerStatus>> = {}, now = 0): Instance {
  return {
    config,
    state: 'INITIALIZE',
    reason: 'created',
    since: now,
    started: false,
    interfaceUp: true,
    trackers,
    effectivePriority: computePriority(config.priority, config.trackers, trackers).effective,
    masterAdverIntervalMs: config.advertIntervalMs,
    masterDownAt: null,
    adverAt: null,
    preemptDelay: 'idle',
    preemptDelayUntil: null,
    master: null,
    wantMaster: false,
    heldByGroup: false,
    handover: null,
  };
}

export function priorityOf(inst: Instance): PriorityComputation {
  return computePriority(inst.config.priority, inst.config.trackers, inst.trackers);
}

export function isOwner(inst: Instance): boolean {
  return inst.config.priority === OWNER_PRIORITY;
}

/** The instance's own reasons to be in FAULT, ignoring its sync group. */
export function ownFaults(inst: Instance): string[] {
  const faults = inst.interfaceUp ? [] : ['interface'];
  return [...faults, ...priorityOf(inst).faults];
}

export function skewOf(inst: Instance): number {
  return skewTimeMs(inst.config.version, inst.effectivePriority, inst.masterAdverIntervalMs);
}

export function masterDownIntervalOf(inst: Instance): number {
  return masterDownIntervalMs(inst.config.version, inst.effectivePriority, inst.masterAdverIntervalMs, inst.config.downTimerAdverts);
}
