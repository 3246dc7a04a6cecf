import type { GlobalDefs, VrrpScript } from '../../config/model.js';
import { formatVip, STATE_NAME, type InstanceDumpView, type ScriptDumpView } from './view.js';

/**
 * /tmp/keepalived.data as keepalived's VRRP process writes it on SIGUSR1 (dump_global_data,
 * dump_vrrp in vrrp_data.c, dump_vscript in vrrp_track.c): section banners, ` Key = value`
 * lines indented one space for an object and three for its fields, list items at five. Only the
 * lines whose facts keepalived-ts has are written; docs/signals.md lists those left out
 * (sockets, interfaces, SNMP, process priorities and other features it does not have).
 */
export function formatDataFile(global: GlobalDefs, instances: readonly InstanceDumpView[], scripts: readonly ScriptDumpView[]): string {
  const lines = ['------< Global definitions >------', ...globalLines(global), '------< VRRP Topology >------'];
  for (const v of instances) lines.push(...instanceLines(v, global, scripts));
  if (scripts.length > 0) {
    lines.push('------< VRRP Scripts >------');
    for (const s of scripts) lines.push(...scriptLines(s));
  }
  return `${lines.join('\n')}\n`;
}

const bool = (b: boolean): string => (b ? 'true' : 'false');

function globalLines(g: GlobalDefs): string[] {
  return [
    ' Network namespace = (default)',
    ` Router ID = ${g.router_id ?? '(none)'}`,
    ` Default interface = ${g.default_interface}`,
    ` LVS flush = ${bool(g.lvs_flush)}`,
    ` LVS flush on stop = ${g.lvs_flush_on_stop}`,
    ` VRRP notify priority changes = ${bool(g.vrrp_notify_priority_changes)}`,
    ` VRRP IPv4 mcast group = ${g.vrrp_mcast_group4}`,
    ` VRRP IPv6 mcast group = ${g.vrrp_mcast_group6}`,
    ` Gratuitous ARP delay = ${g.vrrp_garp_master_delay}`,
    ` Gratuitous ARP repeat = ${g.vrrp_garp_master_repeat}`,
    ` Gratuitous ARP refresh timer = ${g.vrrp_garp_master_refresh}`,
    ` Gratuitous ARP refresh repeat = ${g.vrrp_garp_master_refresh_repeat}`,
    ` Gratuitous ARP lower priority delay = ${g.vrrp_garp_lower_prio_delay}`,
    ` Gratuitous ARP lower priority repeat = ${g.vrrp_garp_lower_prio_repeat}`,
    ` Num adverts before down = ${g.vrrp_down_timer_adverts}`,
    ` Send advert after receive lower priority advert = ${bool(!g.vrrp_lower_prio_no_advert)}`,
    ` Send advert after receive higher priority advert = ${bool(g.vrrp_higher_prio_send_advert)}`,
    ` VRRP default protocol version = ${g.vrrp_version}`,
    ` VRRP check unicast_src = ${bool(g.vrrp_check_unicast_src)}`,
    ` VRRP skip check advert addresses = ${bool(g.vrrp_skip_check_adv_addr)}`,
    ` VRRP strict mode = ${bool(g.vrrp_strict)}`,
    ` Script security ${g.enable_script_security ? 'enabled' : 'disabled'}`,
  ];
}

/** keepalived's timestamps: `seconds.micros (ctime with micros)`. */
function stamp(unixMs: number): string {
  const d = new Date(unixMs);
  const micros = String(Math.round((unixMs % 1000) * 1000)).padStart(6, '0');
  const ctime = d.toString().slice(0, 24); // e.g. "Mon Dec 07 2026 16:10:04": rebuilt below in ctime's order
  const [weekday, month, day, year, time] = ctime.split(' ');
  return `${Math.floor(unixMs / 1000)}.${micros} (${weekday} ${month} ${String(Number(day)).padStart(2, ' ')} ${time}.${micros} ${year})`;
}

function instanceLines(v: InstanceDumpView, g: GlobalDefs, scripts: readonly ScriptDumpView[]): string[] {
  const c = v.config;
  const unicast = c.unicast_peer.length > 0;
  const out = [` VRRP Instance = ${c.name}`, `   VRRP Version = ${c.version}`];
  if (c.sync_group !== null) out.push(`   Sync group = ${c.sync_group}`);
  if (c.family === 6) out.push('   Using Native IPv6');
  out.push(`   State = ${STATE_NAME[v.state]}`);
  if (v.state === 'BACKUP' && v.master !== null) {
    out.push(`   Master router = ${v.master.address}`, `   Master priority = ${v.master.priority}`);
    if (c.version === 3) out.push(`   Master advert int = ${(v.master.advertIntervalMs / 1000).toFixed(2)} sec`);
  }
  if (unicast) out.push('   Flags:', '     Using unicast', ...(c.unicast_fault_no_peer ? ['     If unicast go to fault state if no peers'] : []));
  else out.push('   Flags: none');
  out.push(
    `   Wantstate = ${STATE_NAME[v.wantState]}`,
    '   Number of config faults = 0',
    `   Number of interface and track script faults = ${v.faults}`,
    `   Number of track scripts init = ${v.pendingScripts}`,
    `   Last transition = ${stamp(v.lastTransitionUnixMs)}`,
    `   Read timeout = ${v.nextTimerUnixMs === null ? 'DISABLED' : stamp(v.nextTimerUnixMs)}`,
    `   Master down timer = ${Math.round(v.masterDownIntervalMs * 1000)} usecs`,
    `   Interface = ${c.interface}`,
  );
  if (c.dont_track_primary) out.push('   VRRP interface tracking disabled');
  if (c.skip_check_adv_addr) out.push('   Skip checking advert IP addresses');
  if (c.strict_mode) out.push('   Enforcing strict VRRP compliance');
  const configuredSource = unicast ? c.unicast_src_ip : c.mcast_src_ip;
  out.push(`   Using src_ip = ${v.sourceAddress}${configuredSource !== null ? ' (from configuration)' : ''}`);
  if (!unicast) out.push(`   Multicast address ${c.mcast_dst_ip}${c.family === 6 ? `, ifindex 0` : ''}`);
  out.push(
    `   Gratuitous ARP delay = ${c.garp_master_delay}`,
    `   Gratuitous ARP repeat = ${c.garp_master_repeat}`,
    `   Gratuitous ARP refresh = ${c.garp_master_refresh}`,
    `   Gratuitous ARP refresh repeat = ${c.garp_master_refresh_repeat}`,
    `   Gratuitous ARP lower priority delay = ${c.garp_lower_prio_delay}`,
    `   Gratuitous ARP lower priority repeat = ${c.garp_lower_prio_repeat}`,
    `   Down timer adverts = ${c.down_timer_adverts}`,
    `   Send advert after receive lower priority advert = ${bool(!c.lower_prio_no_advert)}`,
    `   Send advert after receive higher priority advert = ${bool(c.higher_prio_send_advert)}`,
    `   Virtual Router ID = ${c.virtual_router_id}`,
    `   Priority = ${c.priority}`,
    `   Effective priority = ${v.effectivePriority}`,
    `   Total priority = ${v.totalPriority}`,
    c.version === 2 ? `   Advert interval = ${v.advertIntervalMs / 1000} sec` : `   Advert interval = ${v.advertIntervalMs} milli-sec`,
  );
  if (v.state === 'BACKUP' && c.version === 3) out.push(`   Master advert interval = ${v.master?.advertIntervalMs ?? v.advertIntervalMs} milli-sec`);
  out.push(`   Accept = ${c.accept ? 'enabled' : 'disabled'}`, `   Preempt = ${c.nopreempt ? 'disabled' : 'enabled'}`);
  if (c.preempt_delay > 0) out.push(`   Preempt delay = ${c.preempt_delay} secs`);
  out.push('   Promote_secondaries = disabled');
  if (c.authentication !== null) {
    out.push(`   Authentication type = ${c.authentication.auth_type === 'PASS' ? 'SIMPLE_PASSWORD' : 'IPSEC_AH'}`);
    if (c.authentication.auth_type === 'PASS') out.push(`   Password = ${c.authentication.auth_pass}`);
  } else if (c.version === 2) out.push('   Authentication type = none');
  if (c.virtual_ipaddress.length > 0) out.push(`   Virtual IP (${c.virtual_ipaddress.length}):`, ...c.virtual_ipaddress.map((ip) => `     ${formatVip(ip, c.interface, v.vipsSet)}`));
  if (c.virtual_ipaddress_excluded.length > 0) out.push('   Virtual IP Excluded :', ...c.virtual_ipaddress_excluded.map((ip) => `     ${formatVip(ip, c.interface, v.vipsSet)}`));
  if (unicast) {
    out.push(`   Unicast TTL = ${c.unicast_ttl}`, `   Check unicast src : ${c.check_unicast_src || g.vrrp_check_unicast_src ? 'yes' : 'no'}`, '   Unicast Peer :');
    out.push(...c.unicast_peer.map((p) => `     ${p.ip}`));
  }
  if (c.track_interface.length > 0) out.push('   Tracked interfaces :', ...c.track_interface.map((t) => `     ${t.name} weight ${t.weight ?? 0}${t.reverse ? ' reverse' : ''}`));
  if (c.track_script.length > 0) out.push('   Tracked scripts :', ...c.track_script.map((t) => `     ${t.name} weight ${t.weight ?? scripts.find((s) => s.config.name === t.name)?.config.weight ?? 0}${t.reverse ? ' reverse' : ''}`));
  out.push(`   Using smtp notification = ${c.smtp_alert ? 'yes' : 'no'}`, '   Notify deleted = Fault');
  const notify: [string, string | null][] = [
    ['Backup', c.notify_backup], ['Master', c.notify_master], ['Fault', c.notify_fault], ['Stop', c.notify_stop],
    ['Deleted', c.notify_deleted], ['Generic', c.notify], ['Master rx lower pri', c.notify_master_rx_lower_pri],
  ];
  for (const [type, line] of notify) if (line !== null) out.push(`   ${type} state transition script = ${line}`);
  out.push(`   Notify priority changes = ${bool(c.notify_priority_changes)}`);
  return out;
}

function scriptLines(s: ScriptDumpView): string[] {
  const c: VrrpScript = s.config;
  return [
    ` VRRP Script = ${c.name}`,
    `   Command = '${c.script ?? ''}'`,
    `   Interval = ${c.interval} sec`,
    `   Timeout = ${c.timeout} sec`,
    `   Weight = ${c.weight}${c.weight_reverse ? ' reverse' : ''}`,
    `   Rise = ${c.rise}`,
    `   Fall = ${c.fall}`,
    `   Insecure = no`,
    `   Init state = ${s.status === 'INIT' ? 'init' : 'unknown'}`,
    `   Status = ${s.status}`,
    '   VRRP instances :',
    '   Tracking instances :',
    ...s.trackedBy.map((t) => `     ${t.instance}, weight ${t.weight}`),
  ];
}
