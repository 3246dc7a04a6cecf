/**
 * What the state machine needs to know about one `vrrp_instance`, already resolved from the
 * config file: every time is in milliseconds, every default filled in. The config layer builds
 * this; `instanceConfig()` fills defaults for callers (tests, the simulator) that give only a few
 * fields, and applies the rules keepalived enforces when reading a config (`vrrp_strict`,
 * `nopreempt` with `state MASTER`).
 */

export type VrrpVersion = 2 | 3;

/** Something an instance tracks: a vrrp_script, track_file, tracked interface, process or BFD. */
export interface TrackerConfig {
  readonly name: string;
  readonly kind: 'script' | 'interface' | 'file' | 'process' | 'bfd';
  /** 0: failure puts the instance in FAULT. >0: added while up. <0: subtracted while down. */
  readonly weight: number;
}

/** keepalived's notify_* keywords, each a command line as configured (split by the shell layer). */
export interface NotifyScripts {
  readonly master?: string;
  readonly backup?: string;
  readonly fault?: string;
  readonly stop?: string;
  /** The generic `notify` script: gets `INSTANCE|GROUP name STATE priority` appended. */
  readonly generic?: string;
  readonly masterRxLowerPri?: string;
  /** `notify_deleted`: report a reload's removal as DELETED (not FAULT); '' when it names no script. */
  readonly deleted?: string;
}

/**
 * Where an instance speaks: what keepalived's vrrp_exist compares, besides the VRID, to match a
 * running instance to one in a reloaded file. No `multicastGroup` means unicast peers.
 */
export interface InstanceEndpoint {
  readonly ifname: string;
  readonly family: 'inet' | 'inet6';
  readonly multicastGroup?: string;
}

export interface InstanceConfig {
  readonly name: string;
  readonly vrid: number;
  readonly version: VrrpVersion;
  /** Configured `priority` (1..255; 255 = address owner). */
  readonly priority: number;
  readonly advertIntervalMs: number;
  /** The address we send from and compare on equal priorities (RFC 5798 §6.4.3). */
  readonly primaryAddress: string;
  readonly virtualAddresses: readonly string[];
  /** `virtual_routes` or `virtual_rules` to install as Master: addVips/removeVips come even without VIPs. */
  readonly holdsRoutes: boolean;
  /** `state MASTER|BACKUP`: only matters to sync groups and nopreempt; keepalived still waits. */
  readonly initialState: 'MASTER' | 'BACKUP';
  readonly preempt: boolean;
  readonly preemptDelayMs: number;
  readonly accept: boolean;
  /** Adverts missed before the master is declared down (`down_timer_adverts`, RFC: 3). */
  readonly downTimerAdverts: number;
  readonly higherPrioSendAdvert: boolean;
  readonly lowerPrioNoAdvert: boolean;
  readonly garpMasterDelayMs: number;
  readonly garpMasterRepeat: number;
  readonly garpMasterRefreshMs: number;
  readonly garpMasterRefreshRepeat: number;
  readonly garpLowerPrioDelayMs: number;
  readonly garpLowerPrioRepeat: number;
  readonly trackers: readonly TrackerConfig[];
  readonly notify: NotifyScripts;
  /** `notify_priority_changes`: write MASTER_PRIORITY / BACKUP_PRIORITY lines to the FIFO. */
  readonly notifyPriorityChanges: boolean;
  readonly strict: boolean;
  /** Set by the config layer; callers without one (tests, the simulator) match on VRID and address family only. */
  readonly endpoint?: InstanceEndpoint;
}

export type InstanceConfigInput = Partial<InstanceConfig> & Pick<InstanceConfig, 'name' | 'primaryAddress'>;

export interface ResolvedInstanceConfig {
  readonly config: InstanceConfig;
  /** What keepalived would log while applying its rules, e.g. clearing nopreempt. */
  readonly warnings: readonly string[];
}

export const OWNER_PRIORITY = 255;
export const DEFAULT_PRIORITY = 100;

/** Fills keepalived's defaults and applies its config-time rules. */
export function resolveInstanceConfig(input: InstanceConfigInput): ResolvedInstanceConfig {
  const warnings: string[] = [];
  const strict = input.strict ?? false;
  const garpMasterDelayMs = input.garpMasterDelayMs ?? 5000;
  const garpMasterRepeat = input.garpMasterRepeat ?? 5;
  let preempt = input.preempt ?? true;
  const initialState = input.initialState ?? 'BACKUP';
  if (!preempt && initialState === 'MASTER') {
    warnings.push('nopreempt will not work with initial state MASTER - clearing');
    preempt = true;
  }
  let preemptDelayMs = input.preemptDelayMs ?? 0;
  let accept = input.accept ?? !strict;
  let garpLowerPrioRepeat = input.garpLowerPrioRepeat ?? (strict ? 0 : garpMasterRepeat);
  let garpLowerPrioDelayMs = input.garpLowerPrioDelayMs ?? (strict ? 0 : garpMasterDelayMs);
  let lowerPrioNoAdvert = input.lowerPrioNoAdvert ?? strict;
  let higherPrioSendAdvert = input.higherPrioSendAdvert ?? false;
  if (strict) {
    if (preemptDelayMs) warnings.push('strict mode does not support preempt_delay - clearing');
    if (input.accept && (input.version ?? 2) === 2) warnings.push('strict mode requires no accept mode with VRRPv2 - clearing');
    if (garpLowerPrioRepeat || garpLowerPrioDelayMs) warnings.push('strict mode requires no repeat garps - resetting');
    if (!lowerPrioNoAdvert) warnings.push('strict mode requires no lower priority advert - resetting');
    if (higherPrioSendAdvert) warnings.push('strict mode requires higher_prio_send_advert to be clear - resetting');
    preemptDelayMs = 0;
    if ((input.version ?? 2) === 2) accept = false;
    garpLowerPrioRepeat = 0;
    garpLowerPrioDelayMs = 0;
    lowerPrioNoAdvert = true;
    higherPrioSendAdvert = false;
  }
  const config: InstanceConfig = {
    name: input.name,
    vrid: input.vrid ?? 51,
    version: input.version ?? 2,
    priority: input.priority ?? DEFAULT_PRIORITY,
    advertIntervalMs: input.advertIntervalMs ?? 1000,
    primaryAddress: input.primaryAddress,
    virtualAddresses: input.virtualAddresses ?? [],
    holdsRoutes: input.holdsRoutes ?? false,
    initialState,
    preempt,
    preemptDelayMs,
    accept,
    downTimerAdverts: input.downTimerAdverts ?? 3,
    higherPrioSendAdvert,
    lowerPrioNoAdvert,
    garpMasterDelayMs,
    garpMasterRepeat,
    garpMasterRefreshMs: input.garpMasterRefreshMs ?? 0,
    garpMasterRefreshRepeat: input.garpMasterRefreshRepeat ?? 1,
    garpLowerPrioDelayMs,
    garpLowerPrioRepeat,
    trackers: input.trackers ?? [],
    notify: input.notify ?? {},
    notifyPriorityChanges: input.notifyPriorityChanges ?? false,
    strict,
    ...(input.endpoint !== undefined ? { endpoint: input.endpoint } : {}),
  };
  return { config, warnings };
}

/** `resolveInstanceConfig` without the warnings, for callers that only need the config. */
export function instanceConfig(input: InstanceConfigInput): InstanceConfig {
  return resolveInstanceConfig(input).config;
}
