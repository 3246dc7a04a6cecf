/**
 * From the validated configuration to what the daemon runs: for each `vrrp_instance` the state
 * machine's config, the wire details (interface, family, destinations, receive checks) and the
 * VIPs as rtnetlink wants them. Pure: the interface's primary address, which keepalived reads
 * from the system, comes in through `primaryAddress`.
 */

import { KeepalivedError } from '../errors.js';
import type { KeepalivedConfig, Tracked, VirtualIp, VrrpInstance, VrrpSyncGroup } from '../config/model.js';
import type { AddressFamily } from '../net/ip-address.js';
import { VRRP_TTL, type AdvertConfig } from '../vrrp/advert.js';
import { instanceConfig, type InstanceConfig, type NotifyScripts, type TrackerConfig } from '../vrrp/instance-config.js';
import type { SyncGroupConfig } from '../vrrp/node.js';
import type { ReceiveExpectations } from '../vrrp/receive-checks.js';
import type { AddressScope, Rule } from '../net/kernel-objects.js';
import { planRoute, planRule, type RoutePlan } from './route-plan.js';

export interface VipPlan {
  readonly address: string;
  readonly prefix: number;
  readonly ifname: string;
  readonly label?: string;
  readonly scope?: AddressScope;
  readonly broadcast?: string;
}

export interface ScriptPlan {
  readonly name: string;
  readonly script: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly rise: number;
  readonly fall: number;
  readonly initFail: boolean;
}

export interface InstancePlan {
  readonly fsm: InstanceConfig;
  readonly ifname: string;
  readonly family: AddressFamily;
  /** The multicast group, or each unicast peer. */
  readonly destinations: readonly string[];
  /** Joined to hear adverts; absent with unicast peers. */
  readonly multicastGroup?: string;
  /** IPv4 source of our adverts; the kernel picks the IPv6 one. */
  readonly source: string;
  readonly ttl: number;
  readonly advert: AdvertConfig;
  readonly expectations: ReceiveExpectations;
  readonly vips: readonly VipPlan[];
  /** Installed after the VIPs by a Master, removed before them. */
  readonly routes: readonly RoutePlan[];
  readonly rules: readonly Rule[];
  /** Interfaces whose link state feeds the instance: `interface:NAME` trackers. */
  readonly trackedInterfaces: readonly string[];
}

/** An instance the system cannot run as configured (no source address, a route option we cannot install). */
export interface UnusableInstance {
  readonly instance: string;
  readonly reason: string;
}

export interface DaemonPlan {
  readonly instances: readonly InstancePlan[];
  /** Left out of `instances`: the daemon logs them and runs the rest, as keepalived does. */
  readonly unusable: readonly UnusableInstance[];
  readonly syncGroups: readonly SyncGroupConfig[];
  readonly scripts: readonly ScriptPlan[];
  readonly notifyFifo?: string;
}

/** The address an instance sends from when none is configured, or undefined when the interface has none. */
export type PrimaryAddressLookup = (ifname: string, family: AddressFamily) => string | undefined;

export function interfaceTracker(ifname: string): string {
  return `interface:${ifname}`;
}

export function scriptTracker(name: string): string {
  return `script:${name}`;
}

export function planDaemon(config: KeepalivedConfig, primaryAddress: PrimaryAddressLookup): DaemonPlan {
  const scripts = config.vrrp_scripts.flatMap((s): ScriptPlan[] =>
    s.script === null ? [] : [{ name: s.name, script: s.script, intervalMs: s.interval * 1000, timeoutMs: s.timeout * 1000, rise: s.rise, fall: s.fall, initFail: s.init_fail }],
  );
  const scriptWeights = new Map(config.vrrp_scripts.map((s) => [s.name, s.weight]));
  const fifo = config.global_defs.vrrp_notify_fifo ?? config.global_defs.notify_fifo;
  const instances: InstancePlan[] = [];
  const unusable: UnusableInstance[] = [];
  for (const i of config.vrrp_instances) {
    try {
      instances.push(planInstance(i, config, scriptWeights, primaryAddress));
    } catch (error) {
      if (!(error instanceof KeepalivedError) || error.code !== 'ERR_INSTANCE_UNUSABLE') throw error;
      unusable.push({ instance: i.name, reason: error.message });
    }
  }
  return {
    instances,
    unusable,
    syncGroups: config.vrrp_sync_groups.map(planSyncGroup),
    scripts,
    ...(fifo ? { notifyFifo: fifo.path } : {}),
  };
}

function planInstance(i: VrrpInstance, config: KeepalivedConfig, scriptWeights: ReadonlyMap<string, number>, primaryAddress: PrimaryAddressLookup): InstancePlan {
  if (i.virtual_router_id === null) throw new KeepalivedError('ERR_INSTANCE_UNUSABLE', `${i.name}: no virtual_router_id`);
  const family: AddressFamily = i.family === 6 ? 'inet6' : 'inet';
  const version = family === 'inet6' ? 3 : i.version;
  const advertIntervalMs = version === 2 ? Math.max(1, Math.round(i.advert_int)) * 1000 : Math.max(1, Math.round(i.advert_int * 100)) * 10;
  const unicastPeers = i.unicast_peer.map((p) => p.ip);
  const own = primaryAddress(i.interface, family);
  const source = (unicastPeers.length > 0 ? i.unicast_src_ip : i.mcast_src_ip) ?? own;
  if (source === undefined) throw new KeepalivedError('ERR_INSTANCE_UNUSABLE', `${i.name}: interface ${i.interface} has no ${family === 'inet' ? 'IPv4' : 'IPv6 link-local'} address to send from`);
  const virtualAddresses = i.virtual_ipaddress.map((v) => v.ip);
  const auth = version === 2 && i.authentication ? { authType: i.authentication.auth_type === 'AH' ? ('ah' as const) : ('pass' as const), authPassword: i.authentication.auth_pass } : {};
  const advert: AdvertConfig = { version, family, vrid: i.virtual_router_id, advertIntervalMs, virtualAddresses, ...auth };
  const trackers: TrackerConfig[] = [
    ...i.track_interface.map((t) => ({ name: interfaceTracker(t.name), kind: 'interface' as const, weight: t.weight ?? 0 })),
    ...i.track_script.map((t) => ({ name: scriptTracker(t.name), kind: 'script' as const, weight: trackedWeight(t, scriptWeights.get(t.name) ?? 0) })),
  ];
  const fsm = instanceConfig({
    name: i.name,
    vrid: i.virtual_router_id,
    version,
    priority: i.priority,
    advertIntervalMs,
    primaryAddress: source,
    virtualAddresses,
    holdsRoutes: i.virtual_routes.length > 0 || i.virtual_rules.length > 0,
    initialState: i.state,
    preempt: !i.nopreempt,
    preemptDelayMs: i.preempt_delay * 1000,
    accept: i.accept,
    downTimerAdverts: i.down_timer_adverts,
    higherPrioSendAdvert: i.higher_prio_send_advert,
    lowerPrioNoAdvert: i.lower_prio_no_advert,
    garpMasterDelayMs: i.garp_master_delay * 1000,
    garpMasterRepeat: i.garp_master_repeat,
    garpMasterRefreshMs: i.garp_master_refresh * 1000,
    garpMasterRefreshRepeat: i.garp_master_refresh_repeat,
    garpLowerPrioDelayMs: i.garp_lower_prio_delay * 1000,
    garpLowerPrioRepeat: i.garp_lower_prio_repeat,
    trackers,
    notify: { ...notifyScripts(i, i.notify_master_rx_lower_pri), ...(i.notify_deleted !== null ? { deleted: i.notify_deleted } : {}) },
    notifyPriorityChanges: i.notify_priority_changes,
    strict: i.strict_mode,
    endpoint: { ifname: i.interface, family, ...(unicastPeers.length > 0 ? {} : { multicastGroup: i.mcast_dst_ip }) },
  });
  return {
    fsm,
    ifname: i.interface,
    family,
    destinations: unicastPeers.length > 0 ? unicastPeers : [i.mcast_dst_ip],
    ...(unicastPeers.length > 0 ? {} : { multicastGroup: i.mcast_dst_ip }),
    source,
    ttl: unicastPeers.length > 0 ? i.unicast_ttl : VRRP_TTL,
    advert,
    expectations: {
      ...advert,
      addressOwner: i.priority === 255 && !i.owner_ignore_adverts,
      checkAddresses: !i.skip_check_adv_addr,
      unicastPeers,
      checkUnicastSource: i.check_unicast_src,
    },
    vips: i.virtual_ipaddress.map((v) => vipPlan(v, i.interface)),
    routes: i.virtual_routes.map((r) => planRoute(r, i.name, family)),
    rules: i.virtual_rules.map((r) => planRule(r, i.name, family)),
    trackedInterfaces: i.track_interface.map((t) => t.name),
  };
}

function trackedWeight(t: Tracked, own: number): number {
  const weight = t.weight ?? own;
  return t.reverse ? -weight : weight;
}

function vipPlan(v: VirtualIp, ifname: string): VipPlan {
  return {
    address: v.ip,
    prefix: v.prefix,
    ifname: v.dev ?? ifname,
    ...(v.label !== null ? { label: v.label } : {}),
    ...(v.scope !== null ? { scope: v.scope as AddressScope } : {}),
    ...(v.brd !== null ? { broadcast: v.brd } : {}),
  };
}

function notifyScripts(n: VrrpSyncGroup | VrrpInstance, masterRxLowerPri: string | null): NotifyScripts {
  return {
    ...(n.notify_master !== null ? { master: n.notify_master } : {}),
    ...(n.notify_backup !== null ? { backup: n.notify_backup } : {}),
    ...(n.notify_fault !== null ? { fault: n.notify_fault } : {}),
    ...(n.notify_stop !== null ? { stop: n.notify_stop } : {}),
    ...(n.notify !== null ? { generic: n.notify } : {}),
    ...(masterRxLowerPri !== null ? { masterRxLowerPri } : {}),
  };
}

function planSyncGroup(g: VrrpSyncGroup): SyncGroupConfig {
  return { name: g.name, members: g.group, notify: notifyScripts(g, null) };
}
