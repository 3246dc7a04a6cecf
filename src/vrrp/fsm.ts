import type { VrrpAction } from './actions.js';
import { compareAddresses } from './address-order.js';
import { arm, armAdver, armMasterDown, cancel, changeState, holdsAnything, sendAdvert, sendGarp, type Step } from './change-state.js';
import type { Advert, SyncCommand, TimerName, VrrpEvent } from './events.js';
import { beginHandover, handoverStep } from './handover.js';
import { isOwner, masterDownIntervalOf, ownFaults, priorityOf, skewOf, type Instance, type StateReason } from './instance.js';
import { fifoLine } from './notify.js';
import { applyConfig } from './reconfigure.js';

/** How a sync group can hold a member back; a lone instance is never held. */
export interface StepContext {
  mayBecomeMaster(inst: Instance): boolean;
  mayLeaveFault(inst: Instance): boolean;
}

export const STANDALONE: StepContext = { mayBecomeMaster: () => true, mayLeaveFault: () => true };

export interface StepResult {
  readonly instance: Instance;
  readonly actions: VrrpAction[];
}

/** Feeds one event, at time `now` (ms), to one instance. */
export function step(inst: Instance, event: VrrpEvent, now: number, ctx: StepContext = STANDALONE): StepResult {
  const s: Step = { d: { ...inst }, now, out: [] };
  if (inst.handover !== null && event.type !== 'tracker' && event.type !== 'interface') {
    handoverStep(s, event);
    return { instance: s.d, actions: s.out };
  }
  switch (event.type) {
    case 'startup':
      onStartup(s, ctx);
      break;
    case 'shutdown':
      onShutdown(s);
      break;
    case 'advert':
      onAdvert(s, event);
      break;
    case 'timer':
      onTimer(s, event.timer, ctx);
      break;
    case 'tracker':
      onHealthChange(s, ctx, (d) => (d.trackers = { ...d.trackers, [event.name]: event.up ? 'up' : 'down' }));
      break;
    case 'interface':
      onHealthChange(s, ctx, (d) => (d.interfaceUp = event.up));
      break;
    case 'sync':
      onSync(s, event.command);
      break;
    case 'reconfigure':
      onHealthChange(s, ctx, () => applyConfig(s, event.config, event.trackers));
      break;
  }
  return { instance: s.d, actions: s.out };
}

function becomeMasterOrBackup(s: Step, ctx: StepContext, backupReason: StateReason): void {
  s.d.masterAdverIntervalMs = s.d.config.advertIntervalMs;
  if (isOwner(s.d) && ctx.mayBecomeMaster(s.d)) changeState(s, 'MASTER', 'address-owner');
  else changeState(s, 'BACKUP', backupReason);
}

/**
 * RFC 5798 §6.4.1 (Initialize): on Startup the address owner (priority 255) sends an
 * advertisement, broadcasts gratuitous ARPs and becomes Master; everyone else sets
 * Master_Adver_Interval to its own Advertisement_Interval, arms Master_Down_Timer and becomes
 * Backup. keepalived does the latter even for `state MASTER`, and holds an instance in FAULT
 * while a weight-0 tracker is down or its interface is, or in Initialize until every weight-0
 * tracker has reported.
 */
function onStartup(s: Step, ctx: StepContext): void {
  if (s.d.state !== 'INITIALIZE' && s.d.state !== 'STOP') return;
  s.d.started = true;
  leaveInitialize(s, ctx);
}

function leaveInitialize(s: Step, ctx: StepContext): void {
  const faults = ownFaults(s.d);
  if (faults.length > 0) {
    changeState(s, 'FAULT', faults.includes('interface') ? 'interface-down' : 'tracker-fault');
    return;
  }
  if (priorityOf(s.d).pending.length > 0) {
    s.d.reason = 'waiting-for-trackers';
    return;
  }
  becomeMasterOrBackup(s, ctx, 'startup');
}

/**
 * RFC 5798 §6.4.2 / §6.4.3 (Shutdown): a Backup cancels Master_Down_Timer; a Master cancels
 * Adver_Timer and sends an advertisement with priority 0. The RFC then returns to Initialize;
 * we call that state STOP, the name keepalived's notifies use. A Master holding addresses
 * hands them over first (handover.ts) and reaches STOP later.
 */
function onShutdown(s: Step): void {
  if (s.d.state === 'STOP') return;
  if (s.d.state === 'MASTER' && holdsAnything(s.d.config)) {
    beginHandover(s);
    return;
  }
  s.d.started = false;
  changeState(s, 'STOP', 'shutdown');
}

function onAdvert(s: Step, adv: Advert): void {
  switch (s.d.state) {
    case 'BACKUP':
      return backupReceivesAdvert(s, adv);
    case 'MASTER':
      return masterReceivesAdvert(s, adv);
    case 'INITIALIZE':
    case 'FAULT':
    case 'STOP':
      // Not taking part in the election: the advert is dropped.
      return;
  }
}

/**
 * RFC 5798 §6.4.2 (Backup, ADVERTISEMENT received):
 * - priority 0: set Master_Down_Timer to Skew_Time;
 * - else if Preempt_Mode is False or the priority is >= the local priority: set
 *   Master_Adver_Interval from the advert (v3), recompute Master_Down_Interval and reset
 *   Master_Down_Timer to it;
 * - else discard the advert.
 * keepalived's preempt_delay keeps accepting lower-priority adverts until the delay, started by
 * the first of them, has run out.
 */
function backupReceivesAdvert(s: Step, adv: Advert): void {
  const { d, now } = s;
  const c = d.config;
  d.master = { address: adv.source, priority: adv.priority, advertIntervalMs: adv.advertIntervalMs, at: now };
  if (adv.priority === 0) {
    armMasterDown(s, skewOf(d));
    return;
  }
  const ours = d.effectivePriority;
  const delayHolds = c.preemptDelayMs > 0 && d.preemptDelay !== 'expired';
  if (c.preempt && adv.priority < ours && !delayHolds) return;
  if (c.version === 3) d.masterAdverIntervalMs = adv.advertIntervalMs;
  d.wantMaster = false;
  armMasterDown(s, masterDownIntervalOf(d));
  if (c.preemptDelayMs === 0 || !c.preempt) return;
  if (adv.priority >= ours) {
    if (d.preemptDelay === 'running') cancel(s, 'preemptDelay');
    d.preemptDelay = 'idle';
    d.preemptDelayUntil = null;
  } else if (d.preemptDelay === 'idle') {
    d.preemptDelay = 'running';
    d.preemptDelayUntil = now + c.preemptDelayMs;
    arm(s, 'preemptDelay', d.preemptDelayUntil);
  }
}

/**
 * RFC 5798 §6.4.3 (Master, ADVERTISEMENT received):
 * - priority 0: send an advertisement and reset Adver_Timer;
 * - priority greater than ours, or equal with a greater primary address: cancel Adver_Timer,
 *   learn Master_Adver_Interval (v3), arm Master_Down_Timer and become Backup
 *   (`higher_prio_send_advert`: send one advert of ours first);
 * - otherwise discard it; keepalived instead answers a lower priority with an advert (unless
 *   `lower_prio_no_advert`), GARP bursts (`garp_lower_prio_repeat`/`_delay`) and a
 *   MASTER_RX_LOWER_PRI notify, to end a split brain quickly.
 */
function masterReceivesAdvert(s: Step, adv: Advert): void {
  const { d, now, out } = s;
  const c = d.config;
  if (adv.priority === 0) {
    sendAdvert(s, d.effectivePriority);
    armAdver(s);
    return;
  }
  const ours = d.effectivePriority;
  const order = adv.priority - ours || compareAddresses(adv.source, c.primaryAddress);
  if (order > 0) {
    if (c.higherPrioSendAdvert) sendAdvert(s, ours);
    if (c.version === 3) d.masterAdverIntervalMs = adv.advertIntervalMs;
    d.master = { address: adv.source, priority: adv.priority, advertIntervalMs: adv.advertIntervalMs, at: now };
    changeState(s, 'BACKUP', adv.priority > ours ? 'higher-priority-advert' : 'equal-priority-higher-address');
    return;
  }
  if (order === 0) return;
  if (!c.lowerPrioNoAdvert) sendAdvert(s, ours);
  if (c.garpLowerPrioRepeat > 0) {
    sendGarp(s, c.garpLowerPrioRepeat);
    if (c.garpLowerPrioDelayMs > 0) arm(s, 'garpLowerPrio', now + c.garpLowerPrioDelayMs);
  }
  if (c.notify.masterRxLowerPri !== undefined) out.push({ type: 'runScript', script: c.notify.masterRxLowerPri, args: [] });
  out.push({ type: 'fifo', line: fifoLine('INSTANCE', c.name, 'MASTER_RX_LOWER_PRI', ours) });
}

/**
 * RFC 5798 §6.4.2 (Backup, Master_Down_Timer fires): send an advertisement, broadcast
 * gratuitous ARPs, arm Adver_Timer and become Master — unless the sync group is not ready, in
 * which case keepalived stays Backup wanting Master and waits another Master_Down_Interval.
 * RFC 5798 §6.4.3 (Master, Adver_Timer fires): send an advertisement and reset Adver_Timer.
 * The GARP and preempt-delay timers are keepalived's.
 */
function onTimer(s: Step, timer: TimerName, ctx: StepContext): void {
  const { d, now } = s;
  const c = d.config;
  switch (timer) {
    case 'masterDown':
      if (d.state !== 'BACKUP') return;
      if (ctx.mayBecomeMaster(d)) {
        changeState(s, 'MASTER', 'master-down');
      } else {
        armMasterDown(s, masterDownIntervalOf(d));
        d.wantMaster = true;
      }
      return;
    case 'adver':
      if (d.state !== 'MASTER') return;
      sendAdvert(s, d.effectivePriority);
      armAdver(s);
      return;
    case 'preemptDelay':
      if (d.state === 'BACKUP' && d.preemptDelay === 'running') d.preemptDelay = 'expired';
      return;
    case 'garpMasterDelay':
      if (d.state === 'MASTER') sendGarp(s, c.garpMasterRepeat);
      return;
    case 'garpRefresh':
      if (d.state !== 'MASTER') return;
      sendGarp(s, c.garpMasterRefreshRepeat);
      arm(s, 'garpRefresh', now + c.garpMasterRefreshMs);
      return;
    case 'garpLowerPrio':
      if (d.state === 'MASTER') sendGarp(s, c.garpLowerPrioRepeat);
      return;
    case 'handoverBound':
    case 'handoverGrace':
      // Only a hand-over uses these (handover.ts); a late expiry after it is ignored.
      return;
  }
}

/**
 * A tracker, the interface or (on reload) the configuration changed. keepalived recomputes the
 * effective priority (a Backup's Master_Down_Timer moves with its Skew_Time, or with a new
 * interval; a Master's next advert carries the new value), enters FAULT on a weight-0 failure or
 * interface loss, and returns to Backup (an owner to Master) once every fault has cleared.
 */
function onHealthChange(s: Step, ctx: StepContext, apply: (d: Step['d']) => void): void {
  const { d, now, out } = s;
  const oldPriority = d.effectivePriority;
  const oldDownInterval = masterDownIntervalOf(d);
  apply(d);
  d.effectivePriority = priorityOf(d).effective;
  if (d.state === 'BACKUP' && d.masterDownAt !== null && masterDownIntervalOf(d) !== oldDownInterval) {
    d.masterDownAt = Math.max(now, d.masterDownAt + masterDownIntervalOf(d) - oldDownInterval);
    arm(s, 'masterDown', d.masterDownAt);
  }
  if (d.effectivePriority !== oldPriority) {
    if (d.config.notifyPriorityChanges && (d.state === 'MASTER' || d.state === 'BACKUP')) {
      const what = d.state === 'MASTER' ? 'MASTER_PRIORITY' : 'BACKUP_PRIORITY';
      out.push({ type: 'fifo', line: fifoLine('INSTANCE', d.config.name, what, d.effectivePriority) });
    }
  }
  if (!d.started || d.state === 'STOP') return;
  const faults = ownFaults(d);
  if (faults.length > 0) {
    if (d.state === 'FAULT') d.heldByGroup = false;
    else changeState(s, 'FAULT', faults.includes('interface') ? 'interface-down' : 'tracker-fault');
    return;
  }
  if (d.state === 'INITIALIZE') leaveInitialize(s, ctx);
  else if (d.state === 'FAULT' && !d.heldByGroup) recover(s, ctx, 'fault-cleared');
}

function recover(s: Step, ctx: StepContext, reason: StateReason): void {
  if (!ctx.mayLeaveFault(s.d)) {
    s.d.heldByGroup = true;
    return;
  }
  becomeMasterOrBackup(s, ctx, reason);
}

/** keepalived's vrrp_sync_group: members follow the group's decision. */
function onSync(s: Step, command: SyncCommand): void {
  const { d } = s;
  switch (command) {
    case 'MASTER':
      if (d.state === 'BACKUP') changeState(s, 'MASTER', 'sync-group');
      return;
    case 'BACKUP':
      if (d.state === 'MASTER') changeState(s, 'BACKUP', 'sync-group');
      return;
    case 'FAULT':
      if (d.state === 'FAULT' || d.state === 'STOP' || !d.started) return;
      changeState(s, 'FAULT', 'sync-group');
      d.heldByGroup = ownFaults(d).length === 0;
      return;
    case 'RECOVER':
      if (d.state !== 'FAULT' || ownFaults(d).length > 0) return;
      becomeMasterOrBackup(s, STANDALONE, 'sync-group');
      return;
  }
}
