import type { VrrpAction } from './actions.js';
import { arm, cancel, holdsAnything, type Step } from './change-state.js';
import type { InstanceConfig } from './instance-config.js';
import { isOwner, type Instance } from './instance.js';
import { stateNotifies } from './notify.js';
import { addressesOnlyIn } from './reload-match.js';
import type { TrackerStatus } from './tracking.js';

/**
 * A reload gave a running instance a new configuration. Unlike keepalived, which builds a fresh
 * instance, restores only its state (vrrp.c restore_vrrp_state) and re-sends GARPs for all
 * addresses, the instance carries on as if the new values had always been there:
 * - a Master swaps only the VIPs that changed and announces only the new ones; its next advert
 *   carries the new priority, addresses and interval, and comes no later than the new interval;
 * - a VRRPv2 Backup (which uses its own interval, RFC 5798 §6.1) recomputes Master_Down_Interval
 *   with the new interval; fsm.ts then moves Master_Down_Timer by the difference, as it does
 *   for a tracker's priority change, so preemption (RFC 5798 §6.4.2) decides at that timer.
 * Faults, recoveries and the priority FIFO lines follow in fsm.ts, as for a tracker change.
 */
export function applyConfig(s: Step, next: InstanceConfig, trackers: Readonly<Record<string, TrackerStatus>>): void {
  const { d } = s;
  const before = d.config;
  d.config = next;
  d.trackers = { ...d.trackers, ...trackers };
  if (d.state === 'MASTER') masterTakesConfig(s, before);
  if (d.state === 'BACKUP' && (next.version === 2 || d.master === null)) d.masterAdverIntervalMs = next.advertIntervalMs;
  if (d.preemptDelay === 'running' && (next.preemptDelayMs === 0 || !next.preempt)) {
    cancel(s, 'preemptDelay');
    d.preemptDelay = 'idle';
    d.preemptDelayUntil = null;
  }
}

function masterTakesConfig(s: Step, before: InstanceConfig): void {
  const { d, now, out } = s;
  const c = d.config;
  const add = addressesOnlyIn(c.virtualAddresses, before.virtualAddresses);
  const remove = addressesOnlyIn(before.virtualAddresses, c.virtualAddresses);
  if (add.length > 0 || remove.length > 0) {
    out.push({ type: 'changeVips', instance: c.name, add, remove, accept: c.accept || isOwner(d) });
    if (add.length > 0 && c.garpMasterRepeat > 0) out.push({ type: 'sendGarp', instance: c.name, addresses: add, repeat: c.garpMasterRepeat });
  }
  d.masterAdverIntervalMs = c.advertIntervalMs;
  const latest = now + c.advertIntervalMs;
  if (d.adverAt !== null && d.adverAt > latest) {
    d.adverAt = latest;
    arm(s, 'adver', latest);
  }
  if (c.garpMasterRefreshMs !== before.garpMasterRefreshMs) {
    if (c.garpMasterRefreshMs > 0) arm(s, 'garpRefresh', now + c.garpMasterRefreshMs);
    else cancel(s, 'garpRefresh');
  }
}

/**
 * keepalived's clear_diff_vrrp (vrrp/vrrp.c) for an instance the new file no longer has: a
 * Master sends a priority-0 advert (vrrp_restore_interface) so the best Backup takes over after
 * its Skew_Time, and drops its virtual rules, routes and VIPs at once; then the notifies report
 * DELETED with `notify_deleted`, otherwise FAULT (keepalived's old way, kept as its default),
 * and nothing at all for an instance already in FAULT without `notify_deleted`.
 */
export function releaseRemoved(inst: Instance, now: number): VrrpAction[] {
  const c = inst.config;
  const out: VrrpAction[] = [];
  if (inst.state === 'MASTER') {
    // a Master handing over (handover.ts) has said priority 0 already
    if (inst.handover === null) out.push({ type: 'sendAdvert', instance: c.name, priority: 0, advertIntervalMs: c.advertIntervalMs, addresses: c.virtualAddresses });
    if (holdsAnything(c)) out.push({ type: 'removeVips', instance: c.name, addresses: c.virtualAddresses });
  }
  out.push({ type: 'transition', scope: 'INSTANCE', name: c.name, from: inst.state, to: 'STOP', reason: 'removed-by-reload', at: now });
  if (c.notify.deleted !== undefined) out.push(...stateNotifies('INSTANCE', c.name, c.notify, 'DELETED', inst.effectivePriority));
  else if (inst.state !== 'FAULT') out.push(...stateNotifies('INSTANCE', c.name, c.notify, 'FAULT', inst.effectivePriority));
  out.push({ type: 'forgetInstance', instance: c.name });
  return out;
}
