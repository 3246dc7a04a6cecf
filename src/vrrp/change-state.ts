import type { VrrpAction } from './actions.js';
import type { TimerName, VrrpState } from './events.js';
import { isOwner, masterDownIntervalOf, type Instance, type StateReason } from './instance.js';
import { stateNotifies } from './notify.js';

/** An Instance being changed by one event; handlers mutate it and append actions. */
export type Draft = { -readonly [K in keyof Instance]: Instance[K] };

export interface Step {
  readonly d: Draft;
  readonly now: number;
  readonly out: VrrpAction[];
}

export function arm(s: Step, timer: TimerName, at: number): void {
  s.out.push({ type: 'armTimer', instance: s.d.config.name, timer, at });
}

export function cancel(s: Step, timer: TimerName): void {
  s.out.push({ type: 'cancelTimer', instance: s.d.config.name, timer });
}

export function sendAdvert(s: Step, priority: number): void {
  const c = s.d.config;
  s.out.push({ type: 'sendAdvert', instance: c.name, priority, advertIntervalMs: c.advertIntervalMs, addresses: c.virtualAddresses });
}

export function sendGarp(s: Step, repeat: number): void {
  const c = s.d.config;
  if (repeat > 0 && c.virtualAddresses.length > 0) {
    s.out.push({ type: 'sendGarp', instance: c.name, addresses: c.virtualAddresses, repeat });
  }
}

/** Master_Down_Timer (re)armed `after` ms from now. */
export function armMasterDown(s: Step, after: number): void {
  s.d.masterDownAt = s.now + after;
  arm(s, 'masterDown', s.d.masterDownAt);
}

export function armAdver(s: Step): void {
  s.d.adverAt = s.now + s.d.config.advertIntervalMs;
  arm(s, 'adver', s.d.adverAt);
}

/** A Master's periodic sends end: Adver_Timer and keepalived's GARP timers. */
export function stopAdvertising(s: Step): void {
  const c = s.d.config;
  cancel(s, 'adver');
  if (c.garpMasterDelayMs > 0) cancel(s, 'garpMasterDelay');
  if (c.garpMasterRefreshMs > 0) cancel(s, 'garpRefresh');
  if (c.garpLowerPrioDelayMs > 0) cancel(s, 'garpLowerPrio');
  s.d.adverAt = null;
}

/** Whether a Master has anything to install or remove: VIPs, or virtual routes and rules. */
export function holdsAnything(c: Instance['config']): boolean {
  return c.virtualAddresses.length > 0 || c.holdsRoutes;
}

function leave(s: Step, to: VrrpState): void {
  const { d, out } = s;
  const c = d.config;
  if (d.state === 'MASTER') {
    // A hand-over (handover.ts) already stopped advertising and said priority 0.
    if (d.handover === null) {
      stopAdvertising(s);
      // Telling the other routers we are going lets the best Backup take over after Skew_Time.
      if (to === 'STOP' || to === 'FAULT') sendAdvert(s, 0);
    }
    if (holdsAnything(c)) out.push({ type: 'removeVips', instance: c.name, addresses: c.virtualAddresses });
    d.handover = null;
  }
  if (d.state === 'BACKUP') {
    cancel(s, 'masterDown');
    if (d.preemptDelay === 'running') cancel(s, 'preemptDelay');
    d.masterDownAt = null;
  }
  d.preemptDelay = 'idle';
  d.preemptDelayUntil = null;
}

function enter(s: Step, to: VrrpState): void {
  const { d, out, now } = s;
  const c = d.config;
  if (to === 'MASTER') {
    // The old master must drop the addresses before our GARPs, so the advert goes first.
    d.masterAdverIntervalMs = c.advertIntervalMs;
    sendAdvert(s, d.effectivePriority);
    if (holdsAnything(c)) {
      out.push({ type: 'addVips', instance: c.name, addresses: c.virtualAddresses, accept: c.accept || isOwner(d) });
    }
    sendGarp(s, c.garpMasterRepeat);
    if (c.garpMasterDelayMs > 0) arm(s, 'garpMasterDelay', now + c.garpMasterDelayMs);
    if (c.garpMasterRefreshMs > 0) arm(s, 'garpRefresh', now + c.garpMasterDelayMs + c.garpMasterRefreshMs);
    armAdver(s);
  } else if (to === 'BACKUP') {
    armMasterDown(s, masterDownIntervalOf(d));
  }
}

/**
 * The one place an instance changes state: the old state's exit actions, the new state's entry
 * actions, a transition record, then keepalived's notifies for the new state.
 */
export function changeState(s: Step, to: VrrpState, reason: StateReason): void {
  const { d, out, now } = s;
  const from = d.state;
  leave(s, to);
  d.state = to;
  d.reason = reason;
  d.since = now;
  d.wantMaster = false;
  if (to !== 'FAULT') d.heldByGroup = false;
  enter(s, to);
  out.push({ type: 'transition', scope: 'INSTANCE', name: d.config.name, from, to, reason, at: now });
  if (to !== 'INITIALIZE') out.push(...stateNotifies('INSTANCE', d.config.name, d.config.notify, to, d.effectivePriority));
}
