/**
 * The IPVS generic-netlink codec: the attributes of linux/ip_vs.h for services, destinations,
 * sync daemons, timeouts, info and stats, and the request payloads of every command. Pure: bytes
 * in, values out; src/linux/ipvs-netlink.ts moves the bytes.
 *
 * A request payload is a genetlink header followed by attributes:
 *
 *   0       8       16              32
 *   +-------+-------+---------------+
 *   |  cmd  |version|   reserved    |   struct genlmsghdr
 *   +-------+-------+---------------+
 *   | IPVS_CMD_ATTR_SERVICE (nested)|   service key, or the full service
 *   | IPVS_CMD_ATTR_DEST    (nested)|   destination, for destination commands
 *   | ...                           |
 *   +-------------------------------+
 *
 * Byte order, as ip_vs_ctl.c puts and gets them: ports (service, destination, tunnel) are
 * network order in a u16 attribute; an IPv4 netmask is the mask's network-order bytes in a u32
 * attribute, an IPv6 "netmask" is the prefix length in host order; addresses are 16-byte
 * nf_inet_addr; the daemon's multicast port is host order; everything else is host order.
 */
import type { Destination, DestinationKey, Family, ForwardMethod, Info, Protocol, Service, ServiceKey, Stats, SyncDaemon, Timeouts, TunnelType } from './types.js';
import {
  AF_INET,
  AF_INET6,
  IPPROTO_SCTP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPVS_CMD,
  IPVS_CMD_ATTR,
  IPVS_DAEMON_ATTR,
  IPVS_DEST_ATTR,
  IPVS_GENL_VERSION,
  IPVS_INFO_ATTR,
  IPVS_STATS_ATTR,
  IPVS_SVC_ATTR,
  IP_VS_CONN_F,
  IP_VS_CONN_F_TUNNEL_TYPE,
  IP_VS_STATE,
  IP_VS_SVC_F,
  IP_VS_IFNAME_MAXLEN,
  IP_VS_PENAME_MAXLEN,
  IP_VS_SCHEDNAME_MAXLEN,
  formatIpvsVersion,
} from './ip-vs-header.js';
import { Attributes, attribute, be16, concat, nested, required, string, u16, u32, u8 } from './nlattr.js';
import { inetNtop, ipv4Netmask } from '../net/inet.js';
import { addressBytes } from './address.js';
import { familyOf, formatIpv4 } from '../net/ip-address.js';
import { badReply, badValue } from './errors.js';
import { isFwmarkKey } from './keys.js';

export * from './ip-vs-header.js';

const FAMILY_TO_AF: Record<Family, number> = { inet: AF_INET, inet6: AF_INET6 };
const PROTOCOL_NUMBER: Record<Protocol, number> = { tcp: IPPROTO_TCP, udp: IPPROTO_UDP, sctp: IPPROTO_SCTP };
const FORWARD_BITS: Record<ForwardMethod, number> = {
  masq: IP_VS_CONN_F.MASQ,
  local: IP_VS_CONN_F.LOCALNODE,
  tunnel: IP_VS_CONN_F.TUNNEL,
  route: IP_VS_CONN_F.DROUTE,
  bypass: IP_VS_CONN_F.BYPASS,
};
const TUNNEL_TYPE_NUMBER: Record<TunnelType, number> = {
  ipip: IP_VS_CONN_F_TUNNEL_TYPE.IPIP,
  gue: IP_VS_CONN_F_TUNNEL_TYPE.GUE,
  gre: IP_VS_CONN_F_TUNNEL_TYPE.GRE,
};

function reverse<K extends string>(table: Record<K, number>): Map<number, K> {
  return new Map((Object.entries(table) as [K, number][]).map(([name, value]) => [value, name]));
}
const AF_TO_FAMILY = reverse(FAMILY_TO_AF);
const PROTOCOL_NAME = reverse(PROTOCOL_NUMBER);
const FORWARD_NAME = reverse(FORWARD_BITS);
const TUNNEL_TYPE_NAME = reverse(TUNNEL_TYPE_NUMBER);

function decodeFamily(af: number): Family {
  const family = AF_TO_FAMILY.get(af);
  if (family === undefined) throw badReply(`unknown address family ${af}`);
  return family;
}

function address(type: number, family: Family, text: string): Uint8Array {
  return attribute(type, addressBytes(text, family));
}

function decodeAddress(attrs: Attributes, type: number, family: Family, what: string): string {
  const bytes = required(attrs.bytes(type), what);
  const needed = family === 'inet' ? 4 : 16;
  if (bytes.length < needed) throw badReply(`${what} has ${bytes.length} bytes`);
  return inetNtop(bytes, family);
}

function checkUint(what: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) throw badValue(what, value);
  return value;
}

/** Zero is no mark: the kernel would take such a key for a protocol/address/port service. */
function checkFwmark(fwmark: number): number {
  if (fwmark === 0) throw badValue('firewall mark', fwmark);
  return checkUint('firewall mark', fwmark, 0xffffffff);
}

// ---------------------------------------------------------------- flags

/** struct ip_vs_flags: the kernel keeps the service's bits outside `mask` and takes ours inside. */
export interface FlagsWithMask {
  readonly flags: number;
  readonly mask: number;
}

export function encodeFlags(type: number, value: FlagsWithMask): Uint8Array {
  const payload = new Uint8Array(8);
  const view = new DataView(payload.buffer);
  view.setUint32(0, value.flags >>> 0, true);
  view.setUint32(4, value.mask >>> 0, true);
  return attribute(type, payload);
}

export function decodeFlags(attrs: Attributes, type: number): FlagsWithMask | undefined {
  const payload = attrs.bytes(type);
  if (payload === undefined) return undefined;
  if (payload.length < 8) throw badReply(`flags attribute has ${payload.length} bytes`);
  const view = new DataView(payload.buffer, payload.byteOffset, 8);
  return { flags: view.getUint32(0, true), mask: view.getUint32(4, true) };
}

// ---------------------------------------------------------------- netmask

/** Persistence netmask: a dotted quad (or prefix length) for IPv4, a prefix length for IPv6. */
export function encodeNetmask(family: Family, netmask: string | number): Uint8Array {
  if (family === 'inet6') {
    if (typeof netmask !== 'number') throw badValue('IPv6 persistence prefix length', netmask);
    return u32(IPVS_SVC_ATTR.NETMASK, checkUint('IPv6 persistence prefix length', netmask, 128));
  }
  if (typeof netmask === 'number') {
    netmask = ipv4Netmask(checkUint('IPv4 persistence prefix length', netmask, 32));
  }
  return attribute(IPVS_SVC_ATTR.NETMASK, addressBytes(netmask, 'inet').subarray(0, 4));
}

function decodeNetmask(attrs: Attributes, family: Family): string | number {
  if (family === 'inet6') return required(attrs.u32(IPVS_SVC_ATTR.NETMASK), 'service netmask');
  const bytes = required(attrs.bytes(IPVS_SVC_ATTR.NETMASK), 'service netmask');
  if (bytes.length < 4) throw badReply(`netmask has ${bytes.length} bytes`);
  return formatIpv4(bytes);
}

// ---------------------------------------------------------------- stats

const STATS_FIELDS: ReadonlyArray<readonly [keyof Stats, number, 32 | 64]> = [
  ['conns', IPVS_STATS_ATTR.CONNS, 32],
  ['inPackets', IPVS_STATS_ATTR.INPKTS, 32],
  ['outPackets', IPVS_STATS_ATTR.OUTPKTS, 32],
  ['inBytes', IPVS_STATS_ATTR.INBYTES, 64],
  ['outBytes', IPVS_STATS_ATTR.OUTBYTES, 64],
  ['cps', IPVS_STATS_ATTR.CPS, 32],
  ['inPps', IPVS_STATS_ATTR.INPPS, 32],
  ['outPps', IPVS_STATS_ATTR.OUTPPS, 32],
  ['inBps', IPVS_STATS_ATTR.INBPS, 32],
  ['outBps', IPVS_STATS_ATTR.OUTBPS, 32],
];

/**
 * IPVS_*_ATTR_STATS carries struct ip_vs_stats_user (u32 counters, u64 byte counts);
 * IPVS_*_ATTR_STATS64 (kernel 4.1+) carries every counter as u64.
 */
export function decodeStats(attrs: Attributes, wide: boolean): Stats {
  const entries = STATS_FIELDS.map(([name, type, width]) => {
    const value = wide || width === 64 ? attrs.u64(type) : attrs.u32(type);
    return [name, BigInt(value ?? 0)] as const;
  });
  return Object.fromEntries(entries) as unknown as Stats;
}

/** The 64-bit counters when the kernel sent them, else the 32-bit ones. */
function decodeEitherStats(attrs: Attributes, narrowType: number, wideType: number): Stats | undefined {
  const wide = attrs.nested(wideType);
  if (wide !== undefined) return decodeStats(wide, true);
  const narrow = attrs.nested(narrowType);
  return narrow === undefined ? undefined : decodeStats(narrow, false);
}

// ---------------------------------------------------------------- services

/** The attributes that name a service: AF plus fwmark, or AF plus protocol, address and port. */
export function serviceKeyAttributes(key: ServiceKey): Uint8Array[] {
  const af = u16(IPVS_SVC_ATTR.AF, FAMILY_TO_AF[key.family]);
  if (isFwmarkKey(key)) return [af, u32(IPVS_SVC_ATTR.FWMARK, checkFwmark(key.fwmark))];
  return [af, u16(IPVS_SVC_ATTR.PROTOCOL, PROTOCOL_NUMBER[key.protocol]), address(IPVS_SVC_ATTR.ADDR, key.family, key.address), be16(IPVS_SVC_ATTR.PORT, checkUint('port', key.port, 0xffff))];
}

/**
 * Every attribute of a service, as NEW_SERVICE and SET_SERVICE need them. HASHED is the kernel's
 * own bookkeeping bit: sending it on an add makes ip_vs_svc_hash() refuse the service, so it is
 * cleared, and the mask covers every other bit so the kernel keeps none of its old flags.
 */
export function serviceAttributes(service: Service): Uint8Array[] {
  const scheduler = service.scheduler;
  // the kernel's policy: scheduler names leave room for a NUL in 16 bytes, engine names may use all 16
  if (scheduler.length === 0 || scheduler.length > IP_VS_SCHEDNAME_MAXLEN - 1) throw badValue('scheduler name', scheduler);
  if (service.pe !== undefined && service.pe.length > IP_VS_PENAME_MAXLEN) throw badValue('persistence engine name', service.pe);
  return [
    ...serviceKeyAttributes(service.key),
    string(IPVS_SVC_ATTR.SCHED_NAME, scheduler),
    ...(service.pe === undefined || service.pe === '' ? [] : [string(IPVS_SVC_ATTR.PE_NAME, service.pe)]),
    encodeFlags(IPVS_SVC_ATTR.FLAGS, { flags: service.flags & ~IP_VS_SVC_F.HASHED, mask: 0xffffffff }),
    u32(IPVS_SVC_ATTR.TIMEOUT, checkUint('persistence timeout', service.timeout, 0xffffffff)),
    encodeNetmask(service.key.family, service.netmask),
  ];
}

export function decodeServiceKey(attrs: Attributes): ServiceKey {
  const family = decodeFamily(required(attrs.u16(IPVS_SVC_ATTR.AF), 'service address family'));
  const fwmark = attrs.u32(IPVS_SVC_ATTR.FWMARK);
  if (fwmark !== undefined && fwmark !== 0) return { family, fwmark };
  const number = required(attrs.u16(IPVS_SVC_ATTR.PROTOCOL), 'service protocol');
  const protocol = PROTOCOL_NAME.get(number);
  if (protocol === undefined) throw badReply(`unknown service protocol ${number}`);
  return {
    family,
    protocol,
    address: decodeAddress(attrs, IPVS_SVC_ATTR.ADDR, family, 'service address'),
    port: required(attrs.be16(IPVS_SVC_ATTR.PORT), 'service port'),
  };
}

/** What a decoder may skip: the counters (`stats: false`), which a read-back never compares. */
export interface DecodeOptions {
  readonly stats?: boolean;
}

/** A service from the attributes nested in IPVS_CMD_ATTR_SERVICE. */
export function decodeService(attrs: Attributes, options: DecodeOptions = {}): Service {
  const key = decodeServiceKey(attrs);
  const pe = attrs.string(IPVS_SVC_ATTR.PE_NAME);
  const stats = options.stats === false ? undefined : decodeEitherStats(attrs, IPVS_SVC_ATTR.STATS, IPVS_SVC_ATTR.STATS64);
  return {
    key,
    scheduler: required(attrs.string(IPVS_SVC_ATTR.SCHED_NAME), 'scheduler name'),
    flags: required(decodeFlags(attrs, IPVS_SVC_ATTR.FLAGS), 'service flags').flags,
    timeout: required(attrs.u32(IPVS_SVC_ATTR.TIMEOUT), 'service timeout'),
    netmask: decodeNetmask(attrs, key.family),
    ...(pe === undefined || pe === '' ? {} : { pe }),
    ...(stats === undefined ? {} : { stats }),
  };
}

// ---------------------------------------------------------------- destinations

export function destinationKeyAttributes(destination: DestinationKey): Uint8Array[] {
  return [
    u16(IPVS_DEST_ATTR.ADDR_FAMILY, FAMILY_TO_AF[destination.family]),
    address(IPVS_DEST_ATTR.ADDR, destination.family, destination.address),
    be16(IPVS_DEST_ATTR.PORT, checkUint('port', destination.port, 0xffff)),
  ];
}

/** Every attribute of a destination, as NEW_DEST and SET_DEST need them. */
export function destinationAttributes(destination: Destination): Uint8Array[] {
  if (!Number.isInteger(destination.weight) || destination.weight < -0x80000000 || destination.weight > 0x7fffffff) {
    throw badValue('weight', destination.weight);
  }
  const tunnel =
    destination.forward === 'tunnel'
      ? [
          u8(IPVS_DEST_ATTR.TUN_TYPE, TUNNEL_TYPE_NUMBER[destination.tunnelType ?? 'ipip']),
          be16(IPVS_DEST_ATTR.TUN_PORT, checkUint('tunnel port', destination.tunnelPort ?? 0, 0xffff)),
          u16(IPVS_DEST_ATTR.TUN_FLAGS, checkUint('tunnel flags', destination.tunnelFlags ?? 0, 0xffff)),
        ]
      : [];
  return [
    ...destinationKeyAttributes(destination),
    u32(IPVS_DEST_ATTR.FWD_METHOD, FORWARD_BITS[destination.forward]),
    u32(IPVS_DEST_ATTR.WEIGHT, destination.weight),
    u32(IPVS_DEST_ATTR.U_THRESH, checkUint('upper threshold', destination.upperThreshold, 0xffffffff)),
    u32(IPVS_DEST_ATTR.L_THRESH, checkUint('lower threshold', destination.lowerThreshold, 0xffffffff)),
    ...tunnel,
  ];
}

/**
 * A destination from the attributes nested in IPVS_CMD_ATTR_DEST. Kernels before 3.18 send no
 * ADDR_FAMILY: the destination then has its service's family. Tunnel settings are reported only
 * for tunnel destinations (the kernel keeps, and dumps, whatever was last sent).
 */
export function decodeDestination(attrs: Attributes, serviceFamily: Family, options: DecodeOptions = {}): Destination {
  const af = attrs.u16(IPVS_DEST_ATTR.ADDR_FAMILY);
  const family = af === undefined ? serviceFamily : decodeFamily(af);
  const forwardBits = required(attrs.u32(IPVS_DEST_ATTR.FWD_METHOD), 'forwarding method') & IP_VS_CONN_F.FWD_MASK;
  const forward = FORWARD_NAME.get(forwardBits);
  if (forward === undefined) throw badReply(`unknown forwarding method ${forwardBits}`);
  const stats = options.stats === false ? undefined : decodeEitherStats(attrs, IPVS_DEST_ATTR.STATS, IPVS_DEST_ATTR.STATS64);
  let tunnel = {};
  if (forward === 'tunnel') {
    const typeNumber = attrs.u8(IPVS_DEST_ATTR.TUN_TYPE) ?? IP_VS_CONN_F_TUNNEL_TYPE.IPIP;
    const tunnelType = TUNNEL_TYPE_NAME.get(typeNumber);
    if (tunnelType === undefined) throw badReply(`unknown tunnel type ${typeNumber}`);
    tunnel = { tunnelType, tunnelPort: attrs.be16(IPVS_DEST_ATTR.TUN_PORT) ?? 0, tunnelFlags: attrs.u16(IPVS_DEST_ATTR.TUN_FLAGS) ?? 0 };
  }
  return {
    family,
    address: decodeAddress(attrs, IPVS_DEST_ATTR.ADDR, family, 'destination address'),
    port: required(attrs.be16(IPVS_DEST_ATTR.PORT), 'destination port'),
    forward,
    weight: required(attrs.s32(IPVS_DEST_ATTR.WEIGHT), 'destination weight'),
    upperThreshold: required(attrs.u32(IPVS_DEST_ATTR.U_THRESH), 'upper threshold'),
    lowerThreshold: required(attrs.u32(IPVS_DEST_ATTR.L_THRESH), 'lower threshold'),
    ...tunnel,
    activeConns: attrs.u32(IPVS_DEST_ATTR.ACTIVE_CONNS) ?? 0,
    inactiveConns: attrs.u32(IPVS_DEST_ATTR.INACT_CONNS) ?? 0,
    persistConns: attrs.u32(IPVS_DEST_ATTR.PERSIST_CONNS) ?? 0,
    ...(stats === undefined ? {} : { stats }),
  };
}

// ---------------------------------------------------------------- sync daemons

const STATE_NUMBER: Record<SyncDaemon['state'], number> = { master: IP_VS_STATE.MASTER, backup: IP_VS_STATE.BACKUP };
const STATE_NAME = reverse(STATE_NUMBER);

/** NEW_DAEMON attributes; optional settings left out take the kernel's defaults. */
export function daemonAttributes(daemon: SyncDaemon): Uint8Array[] {
  if (daemon.mcastInterface.length === 0 || daemon.mcastInterface.length > IP_VS_IFNAME_MAXLEN - 1) throw badValue('interface name', daemon.mcastInterface);
  const group = daemon.group;
  const groupAttr =
    group === undefined
      ? []
      : familyOf(group) === 'inet6'
        ? [address(IPVS_DAEMON_ATTR.MCAST_GROUP6, 'inet6', group)]
        : [attribute(IPVS_DAEMON_ATTR.MCAST_GROUP, addressBytes(group, 'inet').subarray(0, 4))];
  return [
    u32(IPVS_DAEMON_ATTR.STATE, STATE_NUMBER[daemon.state]),
    string(IPVS_DAEMON_ATTR.MCAST_IFN, daemon.mcastInterface),
    u32(IPVS_DAEMON_ATTR.SYNC_ID, checkUint('sync id', daemon.syncId, 255)),
    ...(daemon.maxLen ? [u16(IPVS_DAEMON_ATTR.SYNC_MAXLEN, checkUint('sync maxlen', daemon.maxLen, 0xffff))] : []),
    ...groupAttr,
    ...(daemon.port ? [u16(IPVS_DAEMON_ATTR.MCAST_PORT, checkUint('multicast port', daemon.port, 0xffff))] : []),
    ...(daemon.ttl ? [u8(IPVS_DAEMON_ATTR.MCAST_TTL, checkUint('multicast ttl', daemon.ttl, 255))] : []),
  ];
}

export function decodeDaemon(attrs: Attributes): SyncDaemon {
  const stateNumber = required(attrs.u32(IPVS_DAEMON_ATTR.STATE), 'daemon state');
  const state = STATE_NAME.get(stateNumber);
  if (state === undefined) throw badReply(`unknown daemon state ${stateNumber}`);
  const group4 = attrs.bytes(IPVS_DAEMON_ATTR.MCAST_GROUP);
  const group6 = attrs.bytes(IPVS_DAEMON_ATTR.MCAST_GROUP6);
  const group = group6 !== undefined ? inetNtop(group6, 'inet6') : group4 !== undefined ? formatIpv4(group4) : undefined;
  const maxLen = attrs.u16(IPVS_DAEMON_ATTR.SYNC_MAXLEN);
  const port = attrs.u16(IPVS_DAEMON_ATTR.MCAST_PORT);
  const ttl = attrs.u8(IPVS_DAEMON_ATTR.MCAST_TTL);
  return {
    state,
    mcastInterface: required(attrs.string(IPVS_DAEMON_ATTR.MCAST_IFN), 'daemon interface'),
    syncId: required(attrs.u32(IPVS_DAEMON_ATTR.SYNC_ID), 'daemon sync id'),
    ...(maxLen === undefined ? {} : { maxLen }),
    ...(group === undefined ? {} : { group }),
    ...(port === undefined ? {} : { port }),
    ...(ttl === undefined ? {} : { ttl }),
  };
}

// ---------------------------------------------------------------- timeouts and info

export function timeoutAttributes(timeouts: Timeouts): Uint8Array[] {
  return [
    u32(IPVS_CMD_ATTR.TIMEOUT_TCP, checkUint('tcp timeout', timeouts.tcp, 0x7fffffff)),
    u32(IPVS_CMD_ATTR.TIMEOUT_TCP_FIN, checkUint('tcpfin timeout', timeouts.tcpFin, 0x7fffffff)),
    u32(IPVS_CMD_ATTR.TIMEOUT_UDP, checkUint('udp timeout', timeouts.udp, 0x7fffffff)),
  ];
}

export function decodeTimeouts(attrs: Attributes): Timeouts {
  return {
    tcp: attrs.u32(IPVS_CMD_ATTR.TIMEOUT_TCP) ?? 0,
    tcpFin: attrs.u32(IPVS_CMD_ATTR.TIMEOUT_TCP_FIN) ?? 0,
    udp: attrs.u32(IPVS_CMD_ATTR.TIMEOUT_UDP) ?? 0,
  };
}

export function decodeInfo(attrs: Attributes): Info {
  return {
    version: formatIpvsVersion(required(attrs.u32(IPVS_INFO_ATTR.VERSION), 'IPVS version')),
    connTableSize: required(attrs.u32(IPVS_INFO_ATTR.CONN_TAB_SIZE), 'connection table size'),
  };
}

// ---------------------------------------------------------------- messages

export const GENL_HDRLEN = 4;

/** One IPVS request: the command, whether it is a dump, and the genetlink payload. */
export interface IpvsRequest {
  readonly cmd: number;
  readonly dump: boolean;
  readonly payload: Uint8Array;
}

function request(cmd: number, attributes: readonly Uint8Array[], dump = false): IpvsRequest {
  return { cmd, dump, payload: concat([new Uint8Array([cmd, IPVS_GENL_VERSION, 0, 0]), ...attributes]) };
}

/** Encoded once per key object: an apply sends the same service key with each of its destinations. */
const keyNests = new WeakMap<ServiceKey, Uint8Array>();
function serviceKeyNest(key: ServiceKey): Uint8Array {
  let nest = keyNests.get(key);
  if (nest === undefined) {
    // copied out of the shared block (nlattr's zeroed): it lives as long as the key
    nest = nested(IPVS_CMD_ATTR.SERVICE, serviceKeyAttributes(key)).slice();
    keyNests.set(key, nest);
  }
  return nest;
}

/** The request for each IpvsClient operation. */
export const ipvsRequests = {
  info: () => request(IPVS_CMD.GET_INFO, []),
  services: () => request(IPVS_CMD.GET_SERVICE, [], true),
  service: (key: ServiceKey) => request(IPVS_CMD.GET_SERVICE, [serviceKeyNest(key)]),
  addService: (service: Service) => request(IPVS_CMD.NEW_SERVICE, [nested(IPVS_CMD_ATTR.SERVICE, serviceAttributes(service))]),
  editService: (service: Service) => request(IPVS_CMD.SET_SERVICE, [nested(IPVS_CMD_ATTR.SERVICE, serviceAttributes(service))]),
  deleteService: (key: ServiceKey) => request(IPVS_CMD.DEL_SERVICE, [serviceKeyNest(key)]),
  destinations: (key: ServiceKey) => request(IPVS_CMD.GET_DEST, [serviceKeyNest(key)], true),
  addDestination: (key: ServiceKey, destination: Destination) => request(IPVS_CMD.NEW_DEST, [serviceKeyNest(key), nested(IPVS_CMD_ATTR.DEST, destinationAttributes(destination))]),
  editDestination: (key: ServiceKey, destination: Destination) => request(IPVS_CMD.SET_DEST, [serviceKeyNest(key), nested(IPVS_CMD_ATTR.DEST, destinationAttributes(destination))]),
  deleteDestination: (key: ServiceKey, destination: DestinationKey) => request(IPVS_CMD.DEL_DEST, [serviceKeyNest(key), nested(IPVS_CMD_ATTR.DEST, destinationKeyAttributes(destination))]),
  flush: () => request(IPVS_CMD.FLUSH, []),
  zero: (key?: ServiceKey) => request(IPVS_CMD.ZERO, key === undefined ? [] : [serviceKeyNest(key)]),
  timeouts: () => request(IPVS_CMD.GET_CONFIG, []),
  setTimeouts: (timeouts: Timeouts) => request(IPVS_CMD.SET_CONFIG, timeoutAttributes(timeouts)),
  daemons: () => request(IPVS_CMD.GET_DAEMON, [], true),
  startDaemon: (daemon: SyncDaemon) => request(IPVS_CMD.NEW_DAEMON, [nested(IPVS_CMD_ATTR.DAEMON, daemonAttributes(daemon))]),
  stopDaemon: (state: SyncDaemon['state']) => request(IPVS_CMD.DEL_DAEMON, [nested(IPVS_CMD_ATTR.DAEMON, [u32(IPVS_DAEMON_ATTR.STATE, STATE_NUMBER[state])])]),
};

/** A reply payload split into its genetlink command and top-level attributes. */
export function parseReply(payload: Uint8Array): { cmd: number; attrs: Attributes } {
  if (payload.length < GENL_HDRLEN) throw badReply(`genetlink message of ${payload.length} bytes`);
  return { cmd: payload[0] ?? 0, attrs: new Attributes(payload.subarray(GENL_HDRLEN)) };
}

export function decodeServiceReply(payload: Uint8Array, options?: DecodeOptions): Service {
  return decodeService(required(parseReply(payload).attrs.nested(IPVS_CMD_ATTR.SERVICE), 'service attribute'), options);
}

export function decodeDestinationReply(payload: Uint8Array, serviceFamily: Family, options?: DecodeOptions): Destination {
  return decodeDestination(required(parseReply(payload).attrs.nested(IPVS_CMD_ATTR.DEST), 'destination attribute'), serviceFamily, options);
}

export function decodeDaemonReply(payload: Uint8Array): SyncDaemon {
  return decodeDaemon(required(parseReply(payload).attrs.nested(IPVS_CMD_ATTR.DAEMON), 'daemon attribute'));
}

export function decodeTimeoutsReply(payload: Uint8Array): Timeouts {
  return decodeTimeouts(parseReply(payload).attrs);
}

export function decodeInfoReply(payload: Uint8Array): Info {
  return decodeInfo(parseReply(payload).attrs);
}
