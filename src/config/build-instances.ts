/**
 * vrrp_instance blocks: defaults from global_defs, and the per-instance checks keepalived makes
 * when it completes an instance (vrrp.c, vrrp_complete_instance), with its wording.
 */
import type { Statement } from './ast.js';
import { readPeer, readRouteOrRule, readVirtualIp } from './data-lines.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { trackedList } from './build-sync-groups.js';
import type { GlobalDefs, VirtualIp, VrrpInstance, VrrpSyncGroup } from './model.js';
import type { Named } from './named-blocks.js';
import { StrictRules, acceptMode, advertInterval, authentication, lastOf, multicastGroup, ownerIgnoresAdverts } from './instance-rules.js';
import { Settings } from './settings.js';
import { ipFamily } from '../net/ip-address.js';

export function buildInstances(named: readonly Named[], global: GlobalDefs, groups: readonly VrrpSyncGroup[], sink: DiagnosticSink): VrrpInstance[] {
  const groupOf = new Map<string, VrrpSyncGroup>();
  for (const group of groups) for (const member of group.group) if (!groupOf.has(member)) groupOf.set(member, group);
  return named.map(({ name, entry }) => buildInstance(name, entry.stmt, new Settings('vrrp_instance', entry.child), global, groupOf.get(name), sink));
}

/** What every step of building one instance reports against. */
interface InstanceSite {
  readonly name: string;
  readonly stmt: Statement;
  readonly s: Settings;
  readonly sink: DiagnosticSink;
  /** Where a keyword of the instance stands (the block itself when it is absent). */
  readonly at: (keyword: string) => { pos: Statement['pos']; keyword: string };
}

/**
 * One vrrp_instance, in the order vrrp_complete_instance checks it (so its diagnostics come out
 * in keepalived's order): identity, addresses and family, version, start-up and preemption,
 * unicast, accept mode, VIPs; then the model with every default filled in.
 */
function buildInstance(name: string, stmt: Statement, s: Settings, global: GlobalDefs, group: VrrpSyncGroup | undefined, sink: DiagnosticSink): VrrpInstance {
  const site: InstanceSite = { name, stmt, s, sink, at: (keyword) => ({ pos: s.pos(keyword) ?? stmt.pos, keyword }) };
  const vrid = routerId(site);
  const priority = s.numberOr('priority');
  const strict = s.flag('strict_mode') ?? global.vrrp_strict;
  const { vips, excluded, peers, family, sameFamily } = addressing(site);
  const version = instanceVersion(site, family, global);
  const { state, nopreempt, preemptDelay } = startUp(site, priority, strict);
  const strictRules = new StrictRules(name, s, strict, sink);
  checkUnicast(site, peers.length, strict);
  checkStrictAccept(site, priority, strict, version);
  const vipList = virtualAddresses(
    site,
    sameFamily(vips, 'virtual_ipaddress', (v) => v.family),
    strict,
    version,
  );

  const groupNotify = group?.notify_priority_changes ?? null;
  const iface = instanceInterface(name, s, global, sink);
  const onInterface = (v: VirtualIp): VirtualIp => ({ ...v, dev: v.dev ?? iface, scope: v.scope ?? 'global' });
  return {
    name,
    pos: stmt.pos,
    state,
    interface: iface,
    virtual_router_id: vrid,
    priority,
    advert_int: advertInterval(name, s, version, sink),
    version,
    family,
    virtual_ipaddress: vipList.map(onInterface),
    virtual_ipaddress_excluded: sameFamily(excluded, 'virtual_ipaddress_excluded', (v) => v.family).map(onInterface),
    virtual_routes: s.lines('virtual_routes').flatMap((l) => readRouteOrRule(l, sink, 'virtual_routes') ?? []),
    virtual_rules: s.lines('virtual_rules').flatMap((l) => readRouteOrRule(l, sink, 'virtual_rules') ?? []),
    unicast_peer: strict ? [] : sameFamily(peers, 'unicast_peer', (p) => ipFamily(p.ip) ?? 4),
    unicast_src_ip: s.string('unicast_src_ip'),
    mcast_src_ip: s.string('mcast_src_ip'),
    mcast_dst_ip: multicastGroup(name, s, peers.length > 0 && !strict, family, global, sink),
    unicast_ttl: s.numberOr('unicast_ttl'),
    unicast_fault_no_peer: s.flagOr('unicast_fault_no_peer', false),
    check_unicast_src: s.flag('check_unicast_src') ?? global.vrrp_check_unicast_src,
    authentication: authentication(name, s, version, strict, sink),
    track_interface: trackedList(s, 'track_interface', sink),
    track_script: trackedList(s, 'track_script', sink),
    track_file: trackedList(s, 'track_file', sink),
    dont_track_primary: s.flagOr('dont_track_primary', false),
    nopreempt,
    preempt_delay: preemptDelay,
    accept: acceptMode(name, s, priority, strict, version, sink),
    strict_mode: strict,
    skip_check_adv_addr: s.flag('skip_check_adv_addr') ?? global.vrrp_skip_check_adv_addr,
    notify_master: s.string('notify_master'),
    notify_backup: s.string('notify_backup'),
    notify_fault: s.string('notify_fault'),
    notify_stop: s.string('notify_stop'),
    notify: s.string('notify'),
    notify_deleted: s.has('notify_deleted') ? (s.words('notify_deleted') ?? []).join(' ') : null,
    notify_master_rx_lower_pri: s.string('notify_master_rx_lower_pri'),
    smtp_alert: s.flag('smtp_alert') ?? global.smtp_alert_vrrp ?? global.smtp_alert ?? false,
    notify_priority_changes: s.flag('notify_priority_changes') ?? groupNotify ?? global.vrrp_notify_priority_changes,
    garp_master_delay: s.numberOr('garp_master_delay', global.vrrp_garp_master_delay),
    garp_master_repeat: s.numberOr('garp_master_repeat', global.vrrp_garp_master_repeat),
    garp_master_refresh: s.numberOr('garp_master_refresh', global.vrrp_garp_master_refresh),
    garp_master_refresh_repeat: s.numberOr('garp_master_refresh_repeat', global.vrrp_garp_master_refresh_repeat),
    garp_lower_prio_delay: strictRules.number('garp_lower_prio_delay', global.vrrp_garp_lower_prio_delay, 0, 'Strict mode requires no repeat garp delay. resetting'),
    garp_lower_prio_repeat: strictRules.number('garp_lower_prio_repeat', global.vrrp_garp_lower_prio_repeat, 0, 'Strict mode requires no repeat garps. resetting'),
    down_timer_adverts: strictRules.number('down_timer_adverts', global.vrrp_down_timer_adverts, 3, 'down_timer_adverts is incompatible with strict mode - resetting'),
    lower_prio_no_advert: strictRules.flag('lower_prio_no_advert', global.vrrp_lower_prio_no_advert, true, 'Strict mode requires no lower priority advert. resetting'),
    higher_prio_send_advert: strictRules.flag('higher_prio_send_advert', global.vrrp_higher_prio_send_advert, false, 'strict mode requires higher_prio_send_advert to be clear. resetting'),
    owner_ignore_adverts: ownerIgnoresAdverts(name, s, priority, global, sink),
    sync_group: group?.name ?? null,
    at: s.positions(),
    other: s.others(),
  };
}

function routerId({ name, stmt, s, sink }: InstanceSite): number | null {
  const vrid = s.number('virtual_router_id') ?? null;
  if (vrid === null && !s.has('virtual_router_id')) {
    sink.report('vrid-missing', `(${name}) the virtual router id must be set`, { pos: stmt.pos, keyword: 'vrrp_instance' });
  }
  return vrid;
}

type Peer = NonNullable<ReturnType<typeof readPeer>>;

/** The VIPs, excluded VIPs and peers as written, the instance's family, and a filter that drops (and reports) those of the other family. */
function addressing({ name, s, sink }: InstanceSite) {
  const vips = addresses(s, 'virtual_ipaddress', sink);
  const excluded = addresses(s, 'virtual_ipaddress_excluded', sink);
  const peers: Peer[] = s.lines('unicast_peer').flatMap((line) => readPeer(line, sink) ?? []);
  const family = instanceFamily(
    s,
    vips,
    excluded,
    peers.map((p) => p.ip),
  );
  const sameFamily = <T extends { ip: string; pos: Statement['pos'] }>(items: T[], keyword: string, familyOf: (t: T) => 4 | 6): T[] =>
    items.filter((item) => {
      if (familyOf(item) === family) return true;
      sink.report('mixed-family', `(${name}) ${item.ip} is IPv${familyOf(item)} but the instance is IPv${family} - ignoring`, {
        pos: item.pos,
        keyword,
      });
      return false;
    });
  return { vips, excluded, peers, family, sameFamily };
}

function instanceVersion({ name, s, sink, at }: InstanceSite, family: 4 | 6, global: GlobalDefs): 2 | 3 {
  const version: 2 | 3 = s.has('version') ? (s.number('version') === 3 ? 3 : 2) : global.vrrp_version;
  if (family === 6 && version === 2) {
    sink.report('ipv6-needs-v3', `(${name}) cannot use IPv6 with VRRP version 2; setting version 3`, at('version'));
    return 3;
  }
  return version;
}

/** The initial state and preemption, with the combinations keepalived resets. */
function startUp({ name, s, sink, at }: InstanceSite, priority: number, strict: boolean) {
  let state = initialState(s, priority);
  if (strict && s.has('state') && (state === 'MASTER') !== (priority === 255)) {
    sink.report('strict-mode-reset', `(${name}) State MASTER must match being address owner`, at('state'));
    state = priority === 255 ? 'MASTER' : 'BACKUP';
  }
  let nopreempt = preemptionOff(s);
  if (nopreempt && priority === 255) {
    sink.report('nopreempt-owner', `(${name}) nopreempt is incompatible with priority 255. resetting nopreempt`, at('nopreempt'));
    nopreempt = false;
  }
  if (nopreempt && state === 'MASTER') {
    sink.report('nopreempt-master', `(${name}) Warning - nopreempt will not work with initial state MASTER - clearing`, at('nopreempt'));
    nopreempt = false;
  }
  let preemptDelay = s.numberOr('preempt_delay');
  if (preemptDelay > 0 && state === 'MASTER') {
    sink.report('preempt-delay-master', `(${name}) Warning - preempt delay will not work with initial state MASTER - clearing`, at('preempt_delay'));
    preemptDelay = 0;
  }
  if (preemptDelay > 0 && strict) {
    sink.report('strict-mode-reset', `(${name}) preempt_delay is incompatible with strict mode - resetting`, at('preempt_delay'));
    preemptDelay = 0;
  }
  if (preemptDelay > 0 && nopreempt) {
    sink.report('preempt-delay-nopreempt', `(${name}) preempt_delay is incompatible with nopreempt mode - resetting`, at('preempt_delay'));
    preemptDelay = 0;
  }
  return { state, nopreempt, preemptDelay };
}

function checkUnicast({ name, s, sink, at }: InstanceSite, peerCount: number, strict: boolean): void {
  if (peerCount > 0 && strict) {
    sink.report('unicast-strict', `(${name}) Unicast peers are not supported in strict mode`, at('unicast_peer'));
  }
  if (peerCount > 0) return;
  const unicastOnly = ['unicast_src_ip', 'unicast_ttl', 'check_unicast_src'].find((k) => s.has(k));
  if (s.has('unicast_peer') && !strict) {
    // keepalived falls back to multicast here without a word; users then wonder why peers never see adverts.
    sink.report(
      'unicast-without-peers',
      `(${name}) unicast_peer lists no usable peer. Defaulting to multicast.`,
      at('unicast_peer'),
      s.has('unicast_fault_no_peer') ? undefined : 'add the peers, or unicast_fault_no_peer to stay in FAULT instead',
    );
  } else if (unicastOnly !== undefined && !s.has('unicast_peer')) {
    sink.report('unicast-without-peers', `(${name}) A unicast keyword has been specified without any unicast peers. Defaulting to multicast.`, at(unicastOnly));
  }
}

function checkStrictAccept({ name, s, sink, at }: InstanceSite, priority: number, strict: boolean, version: 2 | 3): void {
  if (!strict || priority === 255 || s.has('accept') || s.has('no_accept')) return;
  sink.report(
    'strict-no-accept',
    `(${name}) strict mode turns accept mode off: as master, this node drops packets addressed to its VIPs (ping, connections) unless priority is 255`,
    at('strict_mode'),
    version === 3 ? 'add accept to the instance if the VIPs must answer' : 'VRRPv2 in strict mode cannot accept; use version 3 with accept, or drop strict mode',
  );
}

/** The VIPs of the instance's family; none is a warning, or an error where keepalived requires one. */
function virtualAddresses({ name, stmt, s, sink, at }: InstanceSite, vipList: VirtualIp[], strict: boolean, version: 2 | 3): VirtualIp[] {
  let noVipsAllowed = s.has('no_virtual_ipaddress');
  if (noVipsAllowed && strict) {
    sink.report('strict-mode-reset', `(${name}) no_virtual_ipaddress and strict mode incompatible, clearing no_virtual_ipaddress`, at('no_virtual_ipaddress'));
    noVipsAllowed = false;
  }
  if (vipList.length === 0 && !noVipsAllowed) {
    const site = { pos: stmt.pos, keyword: 'vrrp_instance' };
    if (strict || version === 3) sink.report('no-vip-strict', `(${name}) No VIP specified; at least one is required`, site);
    else sink.report('no-vip', `(${name}) No VIP specified; at least one is sensible`, site);
  }
  return vipList;
}

/** IFNAMSIZ is 16 bytes including the terminating NUL. */
export const IFNAME_MAX = 15;

function instanceInterface(instance: string, s: Settings, global: GlobalDefs, sink: DiagnosticSink): string {
  const name = s.string('interface');
  const site = { pos: s.pos('interface'), keyword: 'interface' };
  if (name !== null && name.length > IFNAME_MAX) {
    sink.report('interface-name-too-long', `Interface name '${name}' too long - ignoring`, site);
    return global.default_interface;
  }
  // Adverts on loopback reach nobody; keepalived refuses the loopback device (judged by name here).
  if (name === 'lo') {
    sink.report('loopback-interface', `(${instance}) cannot use a loopback interface (lo) for vrrp - ignoring`, site);
    return global.default_interface;
  }
  return name ?? global.default_interface;
}

function addresses(s: Settings, keyword: string, sink: DiagnosticSink): VirtualIp[] {
  return s.lines(keyword).flatMap((line) => readVirtualIp(line, sink, keyword) ?? []);
}

/** keepalived takes the family from the first VIP (else excluded VIP, else peer); native_ipv6 forces 6. */
function instanceFamily(s: Settings, vips: readonly VirtualIp[], excluded: readonly VirtualIp[], peers: readonly string[]): 4 | 6 {
  if (s.has('native_ipv6')) return 6;
  const first = vips[0] ?? excluded[0];
  if (first) return first.family;
  return ipFamily(peers[0] ?? '') ?? 4;
}

function initialState(s: Settings, priority: number): 'MASTER' | 'BACKUP' {
  const state = s.string('state');
  if (state === 'MASTER' || state === 'BACKUP') return state;
  return priority === 255 ? 'MASTER' : 'BACKUP';
}

/** The later of `preempt` and `nopreempt` wins. */
function preemptionOff(s: Settings): boolean {
  return lastOf(s, ['preempt', 'nopreempt']) === 'nopreempt';
}
