/**
 * Checks across blocks, once every block is built: references between blocks, conflicts between
 * instances, and duplicates inside virtual servers. Some keepalived makes at start-up
 * (duplicate VRID, unknown track_script); some it misses (two instances claiming one VIP, a
 * real server listed twice, a checker with no port).
 */
import { serviceLabel } from './build-virtual-servers.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { KeepalivedConfig, Tracked, VirtualServer, VrrpInstance, VrrpSyncGroup } from './model.js';

/** Reports what is wrong and returns the configuration without what keepalived would ignore. */
export function checkConfig(config: KeepalivedConfig, sink: DiagnosticSink): KeepalivedConfig {
  const tracked = checkTrackingReferences(config, sink);
  const vrrp_sync_groups = checkSyncGroups(config, tracked.vrrp_sync_groups, sink);
  const vrrp_instances = tracked.vrrp_instances.map((vrrp) => checkTrackingWeights(vrrp, config, vrrp_sync_groups, sink));
  checkDuplicateVrids(vrrp_instances, sink);
  checkVipClaims(vrrp_instances, sink);
  checkVirtualServers(config, sink);
  return { ...config, vrrp_instances, vrrp_sync_groups };
}

function checkTrackingReferences(config: KeepalivedConfig, sink: DiagnosticSink): Pick<KeepalivedConfig, 'vrrp_instances' | 'vrrp_sync_groups'> {
  const scripts = new Set(config.vrrp_scripts.map((s) => s.name));
  const files = new Set(config.track_files.map((f) => f.name));
  const used = new Set<string>();
  const known = <T extends VrrpInstance | VrrpSyncGroup>(owner: T): T => {
    const keep = (list: readonly Tracked[], names: ReadonlySet<string>, keyword: 'track_script' | 'track_file'): Tracked[] =>
      list.filter((t) => {
        if (keyword === 'track_script') used.add(t.name);
        if (names.has(t.name)) return true;
        const what = keyword === 'track_script' ? 'track script' : 'track file';
        sink.report(`unknown-${keyword.replace('_', '-')}` as 'unknown-track-script' | 'unknown-track-file', `(${owner.name}) ${what} ${t.name} not found, ignoring...`, {
          pos: t.pos,
          keyword,
        });
        return false;
      });
    return { ...owner, track_script: keep(owner.track_script, scripts, 'track_script'), track_file: keep(owner.track_file, files, 'track_file') };
  };
  const vrrp_sync_groups = config.vrrp_sync_groups.map(known);
  const vrrp_instances = config.vrrp_instances.map(known);
  for (const script of config.vrrp_scripts) {
    if (!used.has(script.name)) {
      sink.report('unused-script', `Warning - script ${script.name} is not used`, { pos: script.pos, keyword: 'vrrp_script' });
    }
  }
  return { vrrp_instances, vrrp_sync_groups };
}

/**
 * Priorities do not float inside a sync group (unless sync_group_tracking_weight) nor for the
 * address owner: keepalived drops weighted tracked scripts and files there and zeroes interface
 * weights (vrrp.c, vrrp_complete_instance). Users rarely expect it, so say it.
 */
function checkTrackingWeights(vrrp: VrrpInstance, config: KeepalivedConfig, groups: readonly VrrpSyncGroup[], sink: DiagnosticSink): VrrpInstance {
  const group = groups.find((g) => g.group.includes(vrrp.name));
  const inGroup = group !== undefined && !group.sync_group_tracking_weight;
  if (!inGroup && vrrp.priority !== 255) return vrrp;
  const why = inGroup ? 'SYNC group' : 'address owner';
  const ignored = (t: Tracked, what: string, weight: number) =>
    sink.report('tracking-weight-ignored', `(${vrrp.name}) ignoring ${what} ${t.name} with weight ${weight} due to ${why}`, { pos: t.pos, keyword: `track_${what.split(' ')[1]}` });
  const scriptWeight = new Map(config.vrrp_scripts.map((s) => [s.name, s.weight]));
  const fileWeight = new Map(config.track_files.map((f) => [f.name, f.weight]));
  const unweighted = (list: readonly Tracked[], weights: ReadonlyMap<string, number>, what: string): Tracked[] =>
    list.filter((t) => {
      const weight = t.weight ?? weights.get(t.name) ?? 0;
      if (weight === 0) return true;
      ignored(t, what, weight);
      return false;
    });
  return {
    ...vrrp,
    track_interface: vrrp.track_interface.map((t) => {
      if (!t.weight) return t;
      ignored(t, 'tracked interface', t.weight);
      return { ...t, weight: 0 };
    }),
    track_script: unweighted(vrrp.track_script, scriptWeight, 'tracked script'),
    // A file tracked with the default weight 1 stays, unweighted (keepalived's reading of "weight not set").
    track_file: unweighted(
      vrrp.track_file.map((t) => ((t.weight ?? fileWeight.get(t.name)) === 1 ? { ...t, weight: 0 } : t)),
      fileWeight,
      'tracked file',
    ),
  };
}

function checkSyncGroups(config: KeepalivedConfig, groups: readonly VrrpSyncGroup[], sink: DiagnosticSink): VrrpSyncGroup[] {
  const instances = new Set(config.vrrp_instances.map((i) => i.name));
  const memberOf = new Map<string, string>();
  const out: VrrpSyncGroup[] = [];
  for (const group of groups) {
    const members: string[] = [];
    const site = { pos: group.pos, keyword: 'vrrp_sync_group' };
    for (const member of group.group) {
      const line = { pos: group.at[member] ?? group.pos, keyword: 'vrrp_sync_group' };
      if (!instances.has(member)) {
        sink.report('sync-group-unknown-instance', `Unable to find vrrp instance ${member} for sync group ${group.name}`, line);
        continue;
      }
      const other = memberOf.get(member);
      if (other !== undefined && other !== group.name) {
        sink.report('instance-in-two-groups', `vrrp instance ${member} is in sync groups ${other} and ${group.name}; it stays in ${other}`, line);
        continue;
      }
      memberOf.set(member, group.name);
      if (!members.includes(member)) members.push(member);
    }
    if (members.length === 0) {
      sink.report('sync-group-empty', `Sync group ${group.name} has no virtual router(s) - removing`, site);
      continue;
    }
    if (members.length === 1) {
      sink.report('sync-group-single', `Sync group ${group.name} has only 1 virtual router(s) - this probably isn't what you want`, site);
    }
    out.push({ ...group, group: members });
  }
  return out;
}

/** keepalived refuses two instances with one VRID and family on one interface, unless unicast to different peers. */
function checkDuplicateVrids(instances: readonly VrrpInstance[], sink: DiagnosticSink): void {
  const seen = new Map<string, VrrpInstance[]>();
  for (const vrrp of instances) {
    if (vrrp.virtual_router_id === null) continue;
    const key = `${vrrp.interface}/${vrrp.family}/${vrrp.virtual_router_id}`;
    const earlier = seen.get(key) ?? [];
    const clash = earlier.find((other) => !disjointUnicast(vrrp, other));
    if (clash) {
      const unicast = vrrp.unicast_peer.length > 0 && clash.unicast_peer.length > 0;
      sink.report(
        'duplicate-vrid',
        unicast
          ? `(${vrrp.name}) duplicate VRID conflict with ${clash.name} VRID ${vrrp.virtual_router_id}`
          : `${clash.name} and ${vrrp.name} both use VRID ${vrrp.virtual_router_id} with IPv${vrrp.family} on interface ${vrrp.interface}`,
        { pos: vrrp.at['virtual_router_id'] ?? vrrp.pos, keyword: 'virtual_router_id' },
        'give one of them another virtual_router_id',
      );
    }
    seen.set(key, [...earlier, vrrp]);
  }
}

function disjointUnicast(a: VrrpInstance, b: VrrpInstance): boolean {
  if (a.unicast_peer.length === 0 || b.unicast_peer.length === 0) return false;
  const peers = new Set(a.unicast_peer.map((p) => p.ip));
  return !b.unicast_peer.some((p) => peers.has(p.ip));
}

function checkVipClaims(instances: readonly VrrpInstance[], sink: DiagnosticSink): void {
  const owner = new Map<string, VrrpInstance>();
  for (const vrrp of instances) {
    const mine = new Set<string>();
    for (const vip of [...vrrp.virtual_ipaddress, ...vrrp.virtual_ipaddress_excluded]) {
      if (mine.has(vip.ip)) continue;
      mine.add(vip.ip);
      const other = owner.get(vip.ip);
      if (other) {
        sink.report('vip-claimed-twice', `(${vrrp.name}) virtual address ${vip.ip} is also held by ${other.name}; whichever becomes master last takes it`, {
          pos: vip.pos,
          keyword: 'virtual_ipaddress',
        });
      } else {
        owner.set(vip.ip, vrrp);
      }
    }
  }
}

function checkVirtualServers(config: KeepalivedConfig, sink: DiagnosticSink): void {
  const groups = new Set(config.virtual_server_groups.map((g) => g.name));
  const files = new Set(config.track_files.map((f) => f.name));
  const services = new Map<string, VirtualServer>();
  for (const vs of config.virtual_servers) {
    const site = { pos: vs.pos, keyword: 'virtual_server' };
    if ('group' in vs && !groups.has(vs.group)) {
      sink.report('unknown-virtual-server-group', `virtual_server_group ${vs.group} not found`, site);
    }
    const key = `${serviceLabel(vs)}/${vs.protocol}`;
    const first = services.get(key);
    if (first) {
      sink.report('duplicate-virtual-server', `virtual server ${serviceLabel(vs)}${vs.protocol ? ` ${vs.protocol}` : ''} is already defined at line ${first.pos.line}`, site);
    } else {
      services.set(key, vs);
    }
    const reals = new Map<string, number>();
    for (const rs of vs.real_servers) {
      const rsKey = `${rs.ip}/${rs.port}`;
      const line = reals.get(rsKey);
      if (line !== undefined) {
        sink.report('duplicate-real-server', `real server ${rs.ip}:${rs.port} is listed twice in virtual server ${serviceLabel(vs)} (first at line ${line})`, { pos: rs.pos, keyword: 'real_server' });
      } else {
        reals.set(rsKey, rs.pos.line);
      }
      for (const checker of rs.checkers) {
        if (checker.type === 'FILE_CHECK' && checker.track_file !== null && !files.has(checker.track_file)) {
          sink.report('unknown-track-file', `FILE_CHECK track file ${checker.track_file} not found`, { pos: checker.pos, keyword: 'track_file' });
        }
      }
    }
  }
}
