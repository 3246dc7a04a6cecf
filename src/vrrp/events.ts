import type { InstanceConfig } from './instance-config.js';
import type { TrackerStatus } from './tracking.js';

/**
 * What can happen to a VRRP instance. Adverts arrive already decoded and already checked
 * (TTL, checksum, VRID, auth, interval, addresses): the state machine only sees the fields
 * RFC 5798 §6.4 reads.
 */

export type VrrpState = 'INITIALIZE' | 'BACKUP' | 'MASTER' | 'FAULT' | 'STOP';

export type TimerName =
  /** Adver_Timer: Master sends the next advertisement. */
  | 'adver'
  /** Master_Down_Timer: Backup declares the master gone. */
  | 'masterDown'
  /** preempt_delay: until it fires, a Backup keeps accepting lower-priority adverts. */
  | 'preemptDelay'
  /** garp_master_delay: the second GARP burst after becoming Master. */
  | 'garpMasterDelay'
  /** garp_master_refresh: periodic GARPs while Master. */
  | 'garpRefresh'
  /** garp_lower_prio_delay: the second GARP burst after a lower-priority advert. */
  | 'garpLowerPrio'
  /** A stopping Master heard no successor: it releases its VIPs anyway (see handover.ts). */
  | 'handoverBound'
  /** A stopping Master heard its successor: the successor's GARPs get this long to land. */
  | 'handoverGrace';

export interface Advert {
  /** Source address of the packet (the sender's primary address). */
  readonly source: string;
  readonly priority: number;
  /** Max Adver Int from the packet, in milliseconds (v2 seconds × 1000, v3 centiseconds × 10). */
  readonly advertIntervalMs: number;
}

/** Why the group layer moves a member: its sync group decided for it. */
export type SyncCommand = 'MASTER' | 'BACKUP' | 'FAULT' | 'RECOVER';

export type VrrpEvent =
  | { readonly type: 'startup' }
  | { readonly type: 'shutdown' }
  | ({ readonly type: 'advert' } & Advert)
  | { readonly type: 'timer'; readonly timer: TimerName }
  /** A tracker (script, file, tracked interface, ...) changed what it reports. */
  | { readonly type: 'tracker'; readonly name: string; readonly up: boolean }
  /** The instance's own interface went down or came back. */
  | { readonly type: 'interface'; readonly up: boolean }
  /** Sent by the sync-group layer only. */
  | { readonly type: 'sync'; readonly command: SyncCommand }
  /**
   * A reload matched this instance to `config` (node.ts `nodeReconfigure` sends it only when
   * something differs); `trackers` are the statuses the shell knows now.
   */
  | { readonly type: 'reconfigure'; readonly config: InstanceConfig; readonly trackers: Readonly<Record<string, TrackerStatus>> };
