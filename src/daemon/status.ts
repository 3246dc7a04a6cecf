/**
 * The daemon's status as one JSON-able picture. Every view is built from it: the control
 * socket's `status`, `keepalived-ts status`, the Prometheus metrics and keepalived's dump files
 * on signals, so all of them agree. Times are milliseconds on the monotonic clock unless a name
 * says `Unix` (milliseconds since the epoch).
 */
import type { VrrpState } from '../vrrp/events.js';

export interface VrrpInstanceStatus {
  readonly name: string;
  readonly state: VrrpState;
  readonly interface: string;
  readonly vrid: number;
  readonly family: 'inet' | 'inet6';
  readonly basePriority: number;
  readonly effectivePriority: number;
  /** Each tracker's part of the effective priority ("chk_nginx down: −20"). */
  readonly trackers: readonly {
    readonly name: string;
    readonly up: boolean;
    readonly weight: number;
    /** What it adds to the base priority now (optional: views apply keepalived's rule to `weight` and `up` without it). */
    readonly delta?: number;
  }[];
  /** The Master we hear, or ourselves when Master; null when none is known. */
  readonly master: { readonly address: string; readonly priority: number } | null;
  readonly lastTransition: { readonly from: VrrpState; readonly to: VrrpState; readonly reason: string; readonly atUnix: number } | null;
  /** The core's explanation in words, most important first. */
  readonly explanation: readonly string[];
  /** Counts since start, under keepalived's vrrp_stats field names (advert_rcvd, ...). */
  readonly counters: Readonly<Record<string, number>>;
  /** Gratuitous ARPs (inet) or unsolicited neighbour advertisements (inet6) sent for its addresses (optional: added after the first views). */
  readonly announcementsSent?: number;
  readonly addresses: readonly string[];
  /** What keepalived's dump files print beyond the above, so they are built from this status too (optional: added after the first views). */
  readonly runtime?: VrrpInstanceRuntime;
}

export interface VrrpInstanceRuntime {
  /** The state it is heading for: keepalived's `wantstate` (MASTER while the master-down timer fired but its sync group holds it). */
  readonly wantState: VrrpState;
  readonly sourceAddress: string;
  /** Base priority plus the trackers' weights, before clamping. */
  readonly totalPriority: number;
  /** Weight-0 trackers and the interface holding the instance in FAULT. */
  readonly faults: number;
  /** Weight-0 trackers with no result yet. */
  readonly pendingTrackers: number;
  readonly advertIntervalMs: number;
  readonly masterDownIntervalMs: number;
  /** When it entered its current state. */
  readonly stateSinceUnix: number;
  /** When its next timer (advert or master-down) fires; null when none is armed. */
  readonly nextTimerUnix: number | null;
  /** Whether it holds its VIPs now. */
  readonly vipsSet: boolean;
  /** The last Master heard, as the core keeps it (also while Master itself); null before any. */
  readonly heardMaster: { readonly address: string; readonly priority: number; readonly advertIntervalMs: number } | null;
}

/** A vrrp_script's result, with the instances tracking it and the weight each gives it. */
export interface VrrpScriptStatus {
  readonly name: string;
  readonly status: 'GOOD' | 'BAD' | 'INIT';
  readonly trackedBy: readonly { readonly instance: string; readonly weight: number }[];
}

export interface VrrpStatus {
  readonly instances: readonly VrrpInstanceStatus[];
  readonly syncGroups: readonly { readonly name: string; readonly state: VrrpState; readonly members: readonly string[] }[];
  /** Adverts dropped, by reject code. */
  readonly drops: Readonly<Record<string, number>>;
  readonly timerLateness: { readonly fired: number; readonly maxLateMs: number; readonly meanLateMs: number };
  /** Every vrrp_script (optional, as VrrpInstanceStatus.runtime). */
  readonly scripts?: readonly VrrpScriptStatus[];
}

export interface CheckerStatus {
  readonly type: string;
  readonly up: boolean;
  readonly lastResult: { readonly ok: boolean; readonly reason: string; readonly latencyMs: number; readonly atUnix: number } | null;
  /** Check results since start (optional: views omit what a service does not count). */
  readonly results?: { readonly ok: number; readonly failed: number };
}

export interface RealServerStatus {
  readonly key: string;
  readonly alive: boolean;
  readonly weight: number;
  readonly checkers: readonly CheckerStatus[];
  /** Times it went up and down since start (optional, as `results`). */
  readonly transitions?: { readonly up: number; readonly down: number };
}

export interface VirtualServerStatus {
  readonly key: string;
  readonly quorumUp: boolean;
  readonly sorryServerActive: boolean;
  readonly realServers: readonly RealServerStatus[];
}

export interface LvsStatus {
  readonly virtualServers: readonly VirtualServerStatus[];
  readonly applies: number;
  readonly repairs: number;
  readonly errors: number;
}

/** What one service reports; the supervisor files it under the service's name. */
export type ServiceStatus = object;

export interface DaemonStatus {
  readonly pid: number;
  readonly version: string;
  readonly configFile: string;
  readonly loadedAtUnix: number;
  readonly lastReload: {
    readonly atUnix: number;
    readonly ok: boolean;
    readonly errors: readonly string[];
    /** Why it was not applied: `refused` (the file has errors) or `failed` (a service could not apply it); optional. */
    readonly result?: 'applied' | 'refused' | 'failed';
    /** How long it took (optional). */
    readonly durationUs?: number;
  } | null;
  /** Reloads since start by result (optional, as CheckerStatus.results). */
  readonly reloads?: { readonly ok: number; readonly failed: number };
  readonly services: Readonly<Record<string, ServiceStatus>>;
}
