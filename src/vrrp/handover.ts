import { compareAddresses } from './address-order.js';
import { arm, cancel, changeState, sendAdvert, stopAdvertising, type Step } from './change-state.js';
import type { VrrpEvent } from './events.js';
import type { InstanceConfig } from './instance-config.js';
import { masterDownIntervalMs } from './timing.js';

/**
 * How long a stopping Master keeps its VIPs once its successor is confirmed: client packets
 * already on their way to our MAC (sent before the successor's GARPs reached the client) are
 * still answered.
 */
export const HANDOVER_GRACE_MS = 100;

/**
 * The longest a stopping Master waits for a successor: Master_Down_Interval as the slowest
 * possible Backup (priority 1) computes it, plus one Advertisement_Interval for the delivery of
 * the last advert that Backup heard. Past it, a Backup that missed our priority-0 advert has
 * declared us down by its own timer, or there is no Backup at all.
 */
export function handoverBoundMs(c: InstanceConfig): number {
  return masterDownIntervalMs(c.version, 1, c.advertIntervalMs, c.downTimerAdverts) + c.advertIntervalMs;
}

/**
 * RFC 5798 §6.4.3 (Master, Shutdown): cancel Adver_Timer and send an advertisement with
 * priority 0, so the best Backup takes over after its Skew_Time. The RFC (and keepalived's
 * vrrp_state_leave_master) then drops the addresses at once, leaving them unowned until the
 * Backup's timer fires. We make before we break: the Master stays MASTER, silent, with its
 * VIPs, until it has heard a successor twice (plus HANDOVER_GRACE_MS) or the bound passes;
 * only then do removeVips, the STOP transition and its notifies come.
 */
export function beginHandover(s: Step): void {
  const c = s.d.config;
  stopAdvertising(s);
  sendAdvert(s, 0);
  const until = s.now + handoverBoundMs(c);
  s.d.started = false;
  s.d.reason = 'handing-over';
  s.d.handover = { phase: 'waiting', successor: null, until };
  arm(s, 'handoverBound', until);
}

/**
 * A stopping Master's events. Only a Master sends adverts (RFC 5798 §6.4.2 has a Backup send
 * none, §6.4.3 has the Master send them), so an advert with a priority above 0 from another
 * router says that router was Master when it sent it — a lower priority than ours included:
 * nobody preempts a stopping router, and waiting for a better one would only leave two holders
 * longer. One advert is not enough: it may have left a split-brain Master just before that
 * Master heard our last regular advert and yielded to us (the hand-over property in
 * test/unit/vrrp/simulation-properties.test.ts found this). A second advert from the same router
 * shows it is still Master after that; then the grace runs and the VIPs go. Priority-0 adverts
 * (another router stopping) do not count. Trackers and the interface still update the priority
 * (fsm.ts); startup, shutdown and sync commands are ignored until the instance is STOP.
 */
export function handoverStep(s: Step, event: VrrpEvent): void {
  const h = s.d.handover;
  if (h === null) return;
  if (event.type === 'advert') {
    if (h.phase === 'grace' || event.priority === 0 || compareAddresses(event.source, s.d.config.primaryAddress) === 0) return;
    s.d.master = { address: event.source, priority: event.priority, advertIntervalMs: event.advertIntervalMs, at: s.now };
    if (h.phase === 'waiting' || h.successor !== event.source) {
      s.d.handover = { ...h, phase: 'heard', successor: event.source };
      return;
    }
    cancel(s, 'handoverBound');
    const until = s.now + HANDOVER_GRACE_MS;
    s.d.handover = { phase: 'grace', successor: event.source, until };
    arm(s, 'handoverGrace', until);
    return;
  }
  if (event.type !== 'timer') return;
  if (event.timer === 'handoverGrace' && h.phase === 'grace') changeState(s, 'STOP', 'successor-heard');
  if (event.timer === 'handoverBound' && h.phase !== 'grace') changeState(s, 'STOP', 'no-successor-heard');
}
