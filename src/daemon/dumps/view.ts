import type { KeepalivedConfig, VrrpInstance, VrrpScript } from '../../config/model.js';
import type { VrrpState } from '../../vrrp/events.js';
import type { VrrpStatus } from '../status.js';
import { KEEPALIVED_STAT_FIELDS, type InstanceStats } from '../vrrp-stats.js';

/**
 * What keepalived's dump files say about one VRRP instance: its configuration as read, and its
 * run-time state. Times are Unix milliseconds (the files print wall-clock times).
 */
export interface InstanceDumpView {
  readonly config: VrrpInstance;
  readonly state: VrrpState;
  /** The state it is heading for: keepalived's `wantstate` (MASTER while it wants to be one). */
  readonly wantState: VrrpState;
  readonly sourceAddress: string;
  readonly effectivePriority: number;
  /** Base priority plus the trackers' weights, before clamping. */
  readonly totalPriority: number;
  /** Weight-0 trackers and the interface holding the instance in FAULT. */
  readonly faults: number;
  /** Weight-0 trackers with no result yet. */
  readonly pendingScripts: number;
  readonly master: { readonly address: string; readonly priority: number; readonly advertIntervalMs: number } | null;
  readonly advertIntervalMs: number;
  readonly masterDownIntervalMs: number;
  readonly lastTransitionUnixMs: number;
  /** When the instance's next timer (advert or master-down) fires, or null when none is armed. */
  readonly nextTimerUnixMs: number | null;
  /** Whether the instance holds its VIPs now. */
  readonly vipsSet: boolean;
  readonly stats: InstanceStats;
}

export interface ScriptDumpView {
  readonly config: VrrpScript;
  readonly status: 'GOOD' | 'BAD' | 'INIT';
  /** Instances tracking it, with the weight each uses. */
  readonly trackedBy: readonly { readonly instance: string; readonly weight: number }[];
}

/** keepalived's numbers for the states (vrrp.h VRRP_STATE_*), as the JSON dump writes them. */
export const STATE_NUMBER: Readonly<Record<VrrpState, number>> = { INITIALIZE: 0, BACKUP: 1, MASTER: 2, FAULT: 3, STOP: 98 };

/** keepalived's names for the states (get_state_str), as the data dump writes them. */
export const STATE_NAME: Readonly<Record<VrrpState, string>> = { INITIALIZE: 'INIT', BACKUP: 'BACKUP', MASTER: 'MASTER', FAULT: 'FAULT', STOP: 'STOP' };

/** One VIP as keepalived's format_ipaddress writes it: `10.0.0.1/24 dev eth0 scope global set`. */
export function formatVip(v: VrrpInstance['virtual_ipaddress'][number], ifname: string, set: boolean): string {
  const brd = v.brd !== null && v.family === 4 ? ` brd ${v.brd}` : '';
  const label = v.label !== null ? ` label ${v.label}` : '';
  const ipv6 = v.family === 6 ? ' preferred_lft forever' : '';
  return `${v.ip}/${v.prefix}${brd} dev ${v.dev ?? ifname} scope ${v.scope ?? 'global'}${label}${ipv6}${set ? ' set' : ''}`;
}

/**
 * The dump files' views from the VRRP service's status (the snapshot the control socket and the
 * metrics read) and the configuration, so every view agrees. An instance the status does not
 * report (disabled at load or start) is left out, as keepalived leaves out what it did not start.
 */
export function dumpViews(config: KeepalivedConfig, status: VrrpStatus): { instances: InstanceDumpView[]; scripts: ScriptDumpView[] } {
  const byName = new Map(status.instances.map((i) => [i.name, i]));
  const instances = config.vrrp_instances.flatMap((c): InstanceDumpView[] => {
    const s = byName.get(c.name);
    const r = s?.runtime;
    if (s === undefined || r === undefined) return [];
    return [
      {
        config: c,
        state: s.state,
        wantState: r.wantState,
        sourceAddress: r.sourceAddress,
        effectivePriority: s.effectivePriority,
        totalPriority: r.totalPriority,
        faults: r.faults,
        pendingScripts: r.pendingTrackers,
        master: r.heardMaster,
        advertIntervalMs: r.advertIntervalMs,
        masterDownIntervalMs: r.masterDownIntervalMs,
        lastTransitionUnixMs: r.stateSinceUnix,
        nextTimerUnixMs: r.nextTimerUnix,
        vipsSet: r.vipsSet,
        stats: Object.fromEntries(KEEPALIVED_STAT_FIELDS.map((f) => [f, s.counters[f] ?? 0])) as InstanceStats,
      },
    ];
  });
  const scriptStatus = new Map((status.scripts ?? []).map((s) => [s.name, s]));
  const scripts = config.vrrp_scripts.map((c): ScriptDumpView => {
    const s = scriptStatus.get(c.name);
    return { config: c, status: s?.status ?? 'INIT', trackedBy: s?.trackedBy ?? [] };
  });
  return { instances, scripts };
}
