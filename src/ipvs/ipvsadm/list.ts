/**
 * ipvsadm's table listings, byte for byte: `-L`/`-Ln` and their `--stats`, `--rate`,
 * `--thresholds`, `--persistent-conn`, `--tun-info`, `--exact`, `--nosort` forms, `-S`,
 * `--timeout` and `--daemon`. Everything printed follows a printf format of ipvsadm 1.31.
 */
import type { Destination, Family, Info, Protocol, Service, SyncDaemon, Timeouts } from '../types.js';
import { formatInet4 } from '../../net/inet.js';
import { canonicalIpvsAddress } from '../address.js';
import { pad, signed32 } from './cformat.js';
import type { NameResolver } from './names.js';
import { SVC_F_ONEPACKET, SVC_F_PERSISTENT, SVC_F_SCHED1, SVC_F_SCHED2, SVC_F_SCHED3, TUN_F_CSUM, TUN_F_REMCSUM } from './command.js';
import { ZERO_STATS } from '../types.js';
import type { ListFormat } from './command.js';
import { compareDestinations, compareServices, glibcMergeSort } from './sort.js';

export interface ServiceWithDestinations {
  readonly service: Service;
  readonly destinations: readonly Destination[];
}

/** addrport_to_anyname: `addr:port`, IPv6 in brackets, names unless numeric; cut to 59 bytes. */
export function addressPortName(family: Family, address: string, port: number, protocol: Protocol | null, numeric: boolean, names: NameResolver): string {
  const text = canonicalIpvsAddress(address, family);
  const open = family === 'inet' ? '' : '[';
  const close = family === 'inet' ? '' : ']';
  if (numeric) return `${open}${text}${close}:${port}`.slice(0, 59);
  const host = names.addressToHost(family, text) ?? text;
  const service = protocol === null ? null : names.portToService(port, protocol);
  return `${open}${host}${close}:${service ?? port}`.slice(0, 59);
}

/** print_largenum: right-aligned in 9 columns, scaled to K/M/G/T unless exact. */
export function largeNumber(value: bigint, exact: boolean): string {
  if (exact) {
    const digits = value.toString();
    return pad(digits, digits.length <= 8 ? 9 : digits.length + 1, false);
  }
  if (value < 100_000_000n) return pad(value.toString(), 9, false);
  if (value < 1_000_000_000n) return pad((value / 1000n).toString(), 8, false) + 'K';
  if (value < 100_000_000_000n) return pad((value / 1_000_000n).toString(), 8, false) + 'M';
  if (value < 100_000_000_000_000n) return pad((value / 1_000_000_000n).toString(), 8, false) + 'G';
  return pad((value / 1_000_000_000_000n).toString(), 8, false) + 'T';
}

function schedFlagNames(service: Service): string {
  const f = service.flags;
  const names: string[] = [];
  if (service.scheduler === 'sh') {
    if (f & SVC_F_SCHED1) names.push('sh-fallback');
    if (f & SVC_F_SCHED2) names.push('sh-port');
  } else if (service.scheduler === 'mh') {
    if (f & SVC_F_SCHED1) names.push('mh-fallback');
    if (f & SVC_F_SCHED2) names.push('mh-port');
  } else {
    if (f & SVC_F_SCHED1) names.push('flag-1');
    if (f & SVC_F_SCHED2) names.push('flag-2');
    if (f & SVC_F_SCHED3) names.push('flag-3');
  }
  return names.join(',');
}

/** The persistence mask as ipvsadm prints it, or null when it is the default (/32 or /128). */
function netmaskText(service: Service): string | null {
  if (service.key.family === 'inet') {
    const mask = service.netmask;
    const text = typeof mask === 'number' ? formatInet4(mask >>> 0) : canonicalIpvsAddress(mask, 'inet');
    return text === '255.255.255.255' ? null : text;
  }
  const prefix = typeof service.netmask === 'number' ? service.netmask : Number(service.netmask);
  return prefix === 128 ? null : String(prefix | 0);
}

const FORWARD_NAME: Record<Destination['forward'], string> = {
  masq: 'Masq',
  local: 'Local',
  tunnel: 'Tunnel',
  route: 'Route',
  bypass: '(null)',
};

const FORWARD_SWITCH: Record<Destination['forward'], string> = {
  masq: '-m',
  local: '-g',
  tunnel: '-i',
  route: '-g',
  bypass: '(null)',
};

const TUNNEL_FLAG_SHORT = ['-c', '+c', 'r+c'];
const TUNNEL_FLAG_OPTION = ['--tun-nocsum', '--tun-csum', '--tun-remcsum'];

function tunnelFlagIndex(destination: Destination): number {
  const flags = destination.tunnelFlags ?? 0;
  return flags & TUN_F_REMCSUM ? (flags & TUN_F_CSUM ? 3 : 2) : flags & TUN_F_CSUM ? 1 : 0;
}

/** fwd_tun_info: the TunnelInfo column, or n/a. */
function tunnelInfo(destination: Destination): string {
  if (destination.forward !== 'tunnel') return 'n/a';
  const type = destination.tunnelType ?? 'ipip';
  const flags = TUNNEL_FLAG_SHORT[tunnelFlagIndex(destination)] ?? '';
  if (type === 'ipip') return 'ipip';
  if (type === 'gue') return `gue:${destination.tunnelPort ?? 0}:${flags}`.slice(0, 15);
  return `gre:${flags}`;
}

/** print_title: the column headings of a listing (none for -S). */
export function listTitle(format: ListFormat): string {
  const head = pad('Prot LocalAddress:Port', 33);
  if (format.stats) {
    return `${head} ${['Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes'].map((c) => pad(c, 8, false)).join(' ')}\n  -> RemoteAddress:Port\n`;
  }
  if (format.rate) {
    return `${head} ${['CPS', 'InPPS', 'OutPPS', 'InBPS', 'OutBPS'].map((c) => pad(c, 8, false)).join(' ')}\n  -> RemoteAddress:Port\n`;
  }
  if (format.thresholds) {
    return `${head} ${['Uthreshold', 'Lthreshold', 'ActiveConn', 'InActConn'].map((c) => pad(c, 10)).join(' ')}\n  -> RemoteAddress:Port\n`;
  }
  if (format.persistentConn) {
    return `${head} ${pad('Weight', 9)} ${pad('PersistConn', 11)} ${pad('ActiveConn', 10)} ${pad('InActConn', 10)}\n  -> RemoteAddress:Port\n`;
  }
  if (format.tunInfo) {
    return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n';
  }
  if (!format.rule) {
    return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';
  }
  return '';
}

const PROTOCOL_SWITCH: Record<Protocol, string> = { tcp: '-t', udp: '-u', sctp: '--sctp-service' };
const PROTOCOL_NAME: Record<Protocol, string> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };

function serviceName(service: Service, format: ListFormat, names: NameResolver): string {
  const key = service.key;
  if ('fwmark' in key) {
    const mark = signed32(key.fwmark);
    if (format.rule) return key.family === 'inet6' ? `-f ${mark} -6` : `-f ${mark}`;
    return key.family === 'inet6' ? `FWM  ${mark} IPv6` : `FWM  ${mark}`;
  }
  const where = addressPortName(key.family, key.address, key.port, key.protocol, format.numeric, names);
  if (format.rule) return `${PROTOCOL_SWITCH[key.protocol]} ${where}`;
  const name = `${pad(PROTOCOL_NAME[key.protocol], 4)} ${where}`;
  return key.family === 'inet6' ? name : name.slice(0, 33);
}

function serviceLine(service: Service, svcName: string, format: ListFormat): string {
  const stats = service.stats ?? ZERO_STATS;
  const large = (v: bigint): string => largeNumber(v, format.exact);
  const hasSchedFlags = (service.flags & (SVC_F_SCHED1 | SVC_F_SCHED2 | SVC_F_SCHED3)) !== 0;
  const persistent = (service.flags & SVC_F_PERSISTENT) !== 0;
  const mask = netmaskText(service);
  if (format.rule) {
    let line = `-A ${svcName} -s ${service.scheduler}`;
    if (persistent) {
      line += ` -p ${service.timeout >>> 0}`;
      if (mask !== null) line += ` -M ${mask}`;
    }
    if (service.pe) line += ` --pe ${service.pe}`;
    if (service.flags & SVC_F_ONEPACKET) line += ' -o';
    if (hasSchedFlags) line += ` -b ${schedFlagNames(service)}`;
    return `${line}\n`;
  }
  if (format.stats) {
    return `${pad(svcName, 33)}${[stats.conns, stats.inPackets, stats.outPackets, stats.inBytes, stats.outBytes].map(large).join('')}\n`;
  }
  if (format.rate) {
    return `${pad(svcName, 33)}${[stats.cps, stats.inPps, stats.outPps, stats.inBps, stats.outBps].map(large).join('')}\n`;
  }
  let line = `${svcName} ${service.scheduler}`;
  if (hasSchedFlags) line += ` (${schedFlagNames(service)})`;
  if (persistent) {
    line += ` persistent ${service.timeout >>> 0}`;
    if (mask !== null) line += ` mask ${mask}`;
    if (service.pe) line += ` pe ${service.pe}`;
  }
  if (service.flags & SVC_F_ONEPACKET) line += ' ops';
  return `${line}\n`;
}

function destinationLine(destination: Destination, svcName: string, protocol: Protocol | null, format: ListFormat, names: NameResolver): string {
  let dname = addressPortName(destination.family, destination.address, destination.port, protocol, format.numeric, names);
  if (!format.rule && destination.family !== 'inet6') dname = dname.slice(0, 28);
  const weight = signed32(destination.weight);
  const active = String((destination.activeConns ?? 0) >>> 0);
  const inactive = String((destination.inactiveConns ?? 0) >>> 0);
  const stats = destination.stats ?? ZERO_STATS;
  const large = (v: bigint): string => largeNumber(v, format.exact);
  if (format.rule) {
    const base = `-a ${svcName} -r ${dname} ${FORWARD_SWITCH[destination.forward]} -w ${weight}`;
    if (destination.forward !== 'tunnel') return `${base}\n`;
    const type = destination.tunnelType ?? 'ipip';
    const flagOption = TUNNEL_FLAG_OPTION[tunnelFlagIndex(destination)] ?? '(null)';
    if (type === 'gre') return `${base} --tun-type gre ${flagOption}\n`;
    if (type === 'gue') return `${base} --tun-type gue --tun-port ${destination.tunnelPort ?? 0} ${flagOption}\n`;
    return `${base} --tun-type ipip\n`;
  }
  const arrow = `  -> ${pad(dname, 28)}`;
  if (format.stats) {
    return `${arrow}${[stats.conns, stats.inPackets, stats.outPackets, stats.inBytes, stats.outBytes].map(large).join('')}\n`;
  }
  if (format.rate) {
    return `${arrow} ${[stats.cps, stats.inPps, stats.outPps].map((v) => pad(v.toString(), 8, false)).join(' ')}${large(stats.inBps)}${large(stats.outBps)}\n`;
  }
  if (format.thresholds) {
    const cols = [destination.upperThreshold, destination.lowerThreshold, destination.activeConns ?? 0, destination.inactiveConns ?? 0];
    return `${arrow} ${cols.map((v) => pad(String(v >>> 0), 10)).join(' ')}\n`;
  }
  if (format.persistentConn) {
    return `${arrow} ${pad(String(destination.weight >>> 0), 9)} ${pad(String((destination.persistConns ?? 0) >>> 0), 11)} ${pad(active, 10)} ${pad(inactive, 10)}\n`;
  }
  if (format.tunInfo) {
    return `${arrow} ${pad(FORWARD_NAME[destination.forward], 7)} ${pad(tunnelInfo(destination), 13)} ${pad(weight, 6)} ${pad(active, 10)} ${pad(inactive, 10)}\n`;
  }
  return `${arrow} ${pad(FORWARD_NAME[destination.forward], 7)} ${pad(weight, 6)} ${pad(active, 10)} ${pad(inactive, 10)}\n`;
}

/** print_service_entry: the service line, then its destinations (sorted unless --nosort). */
export function formatServiceEntry(entry: ServiceWithDestinations, format: ListFormat, names: NameResolver): string {
  const svcName = serviceName(entry.service, format, names);
  const key = entry.service.key;
  const protocol = 'protocol' in key ? key.protocol : null;
  const destinations = format.nosort ? entry.destinations : glibcMergeSort(entry.destinations, compareDestinations);
  return serviceLine(entry.service, svcName, format) + destinations.map((d) => destinationLine(d, svcName, protocol, format, names)).join('');
}

/** list_all: the version banner (not for -S), the title, then every service. */
export function formatListAll(info: Info, entries: readonly ServiceWithDestinations[], format: ListFormat, names: NameResolver): string {
  const banner = format.rule ? '' : `IP Virtual Server version ${info.version} (size=${info.connTableSize})\n`;
  const ordered = format.nosort ? entries : glibcMergeSort(entries, (a, b) => compareServices(a.service, b.service));
  return banner + listTitle(format) + ordered.map((e) => formatServiceEntry(e, format, names)).join('');
}

/** list_service: one service, titled, without the banner. */
export function formatListService(entry: ServiceWithDestinations, format: ListFormat, names: NameResolver): string {
  return listTitle(format) + formatServiceEntry(entry, format, names);
}

export function formatTimeouts(timeouts: Timeouts): string {
  return `Timeout (tcp tcpfin udp): ${signed32(timeouts.tcp)} ${signed32(timeouts.tcpFin)} ${signed32(timeouts.udp)}\n`;
}

/** list_daemon: one line per running sync daemon. */
export function formatDaemons(daemons: readonly SyncDaemon[]): string {
  return daemons
    .map((d) => {
      let line = `${d.state} sync daemon (mcast=${d.mcastInterface}, syncid=${signed32(d.syncId)}`;
      if (d.maxLen) line += `, maxlen=${d.maxLen >>> 0}`;
      if (d.group !== undefined) line += `, group=${d.group}`;
      if (d.port) line += `, port=${d.port >>> 0}`;
      if (d.ttl) line += `, ttl=${d.ttl >>> 0}`;
      return `${line})\n`;
    })
    .join('');
}
