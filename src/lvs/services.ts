/**
 * A virtual_server as IPVS services: one for an address or a fwmark, one per address of each
 * range and one per fwmark of a virtual_server_group. Settings follow keepalived's
 * ipvs_set_srule() and ipvs_group_cmd() (check/ipvswrapper.c); persistence applies only with a
 * persistence_timeout, as there.
 */
import type { RealServer, TunnelOptions, VirtualServer, VirtualServerGroup, VsgEntry } from '../config/model.js';
import { IP_VS_SVC_F, IP_VS_TUNNEL_ENCAP_FLAG } from '../ipvs/ip-vs-header.js';
import type { Destination, Family, ForwardMethod, Protocol, Service, ServiceKey } from '../ipvs/types.js';
import { familyOf, formatIpv4, formatIpv6, parseAddress } from '../net/ip-address.js';
import { configuredPort } from './names.js';

/** lvs_flags keywords as IP_VS_SVC_F bits (check_parser.c, lbflags_handler). */
const FLAG_BITS: Readonly<Record<string, number>> = {
  hashed: IP_VS_SVC_F.HASHED,
  ops: IP_VS_SVC_F.ONEPACKET,
  'flag-1': IP_VS_SVC_F.SCHED1,
  'flag-2': IP_VS_SVC_F.SCHED2,
  'flag-3': IP_VS_SVC_F.SCHED3,
  'sh-fallback': IP_VS_SVC_F.SH_FALLBACK,
  'sh-port': IP_VS_SVC_F.SH_PORT,
  'mh-fallback': IP_VS_SVC_F.MH_FALLBACK,
  'mh-port': IP_VS_SVC_F.MH_PORT,
};

const FORWARD: Readonly<Record<RealServer['lvs_method'], ForwardMethod>> = { NAT: 'masq', DR: 'route', TUN: 'tunnel' };

/** One IPVS service of a virtual server, and the port its DR/TUN destinations take. */
export interface ServicePart {
  readonly key: ServiceKey;
  /** The port of the address entry; 0 for fwmark services. */
  readonly port: number;
}

/**
 * The family of a fwmark service: its real servers' (rs_end_handler sets the virtual server's
 * from the first), else IPv4, keepalived's default when it cannot tell.
 */
function fwmarkFamily(vs: VirtualServer): Family {
  const first = vs.real_servers[0] ?? vs.sorry_server;
  return first === undefined || first === null ? 'inet' : familyOf(first.ip);
}

/** Every address of `IP-LAST`: the last byte of IPv4, the last 16-bit group of IPv6 (ipvs_group_range_cmd). */
export function rangeAddresses(entry: Extract<VsgEntry, { ip: string }>): string[] {
  if (entry.range_end === null) return [entry.ip];
  const v6 = familyOf(entry.ip) === 'inet6';
  const bytes = parseAddress(entry.ip, v6 ? 'inet6' : 'inet');
  if (bytes === undefined) return [];
  const last = Number.parseInt(entry.range_end, v6 ? 16 : 10);
  const first = v6 ? ((bytes[14] ?? 0) << 8) | (bytes[15] ?? 0) : (bytes[3] ?? 0);
  const addresses: string[] = [];
  for (let n = first; n <= last; n++) {
    const next = Uint8Array.from(bytes);
    if (v6) {
      next[14] = n >> 8;
      next[15] = n & 0xff;
      addresses.push(formatIpv6(next));
    } else {
      next[3] = n;
      addresses.push(formatIpv4(next));
    }
  }
  return addresses;
}

function protocolOf(vs: VirtualServer): Protocol {
  return (vs.protocol ?? 'TCP').toLowerCase() as Protocol;
}

/** The IPVS services a virtual server stands for, in configuration order. */
export function serviceParts(vs: VirtualServer, groups: readonly VirtualServerGroup[]): ServicePart[] {
  if ('fwmark' in vs) return [{ key: { family: fwmarkFamily(vs), fwmark: vs.fwmark }, port: 0 }];
  if ('ip' in vs) return [{ key: { family: familyOf(vs.ip), protocol: protocolOf(vs), address: vs.ip, port: vs.port }, port: vs.port }];
  const group = groups.find((g) => g.name === vs.group);
  if (group === undefined) return [];
  return group.entries.flatMap((entry): ServicePart[] =>
    'fwmark' in entry
      ? [{ key: { family: fwmarkFamily(vs), fwmark: entry.fwmark }, port: 0 }]
      : rangeAddresses(entry).map((address) => ({
          key: { family: familyOf(address), protocol: protocolOf(vs), address, port: entry.port },
          port: entry.port,
        })),
  );
}

/** The service's settings (ipvs_set_srule): scheduler, flags, and persistence when it has a timeout. */
export function serviceSettings(vs: VirtualServer, key: ServiceKey): Service {
  let flags = 0;
  for (const flag of vs.lvs_flags) flags |= FLAG_BITS[flag] ?? 0;
  const netmask = key.family === 'inet6' ? 128 : '255.255.255.255';
  if (vs.persistence_timeout === null || vs.persistence_timeout === 0) return { key, scheduler: vs.lvs_sched, flags, timeout: 0, netmask };
  const granularity = vs.persistence_granularity;
  const engine = vs.persistence_engine;
  return {
    key,
    scheduler: vs.lvs_sched,
    flags: flags | IP_VS_SVC_F.PERSISTENT,
    timeout: vs.persistence_timeout,
    netmask: granularity === null ? netmask : key.family === 'inet6' ? Number(granularity) : granularity,
    ...(engine !== null && engine !== '' ? { pe: engine } : {}),
  };
}

const CSUM_FLAGS: Readonly<Record<TunnelOptions['csum'], number>> = {
  nocsum: IP_VS_TUNNEL_ENCAP_FLAG.NOCSUM,
  csum: IP_VS_TUNNEL_ENCAP_FLAG.CSUM,
  remcsum: IP_VS_TUNNEL_ENCAP_FLAG.REMCSUM,
};

/** A server as a destination of one service part (ipvs_set_drule, ipvs_cmd, ipvs_group_cmd); a tunnel's type, port and checksum flags as ipvs_set_drule() sets them. */
export function destination(
  server: { readonly ip: string; readonly port: number; readonly lvs_method: RealServer['lvs_method']; readonly tunnel?: TunnelOptions | undefined },
  thresholds: { readonly uthreshold: number; readonly lthreshold: number },
  weight: number,
  vs: VirtualServer,
  part: ServicePart,
): Destination {
  const port = server.lvs_method === 'NAT' ? configuredPort(server.port, 'NAT', vs) : part.port;
  const forward = FORWARD[server.lvs_method];
  return {
    family: familyOf(server.ip),
    address: server.ip,
    port,
    forward,
    weight,
    upperThreshold: thresholds.uthreshold,
    lowerThreshold: thresholds.lthreshold,
    ...(forward === 'tunnel' ? { tunnelType: server.tunnel?.type ?? 'ipip', tunnelPort: server.tunnel?.port ?? 0, tunnelFlags: CSUM_FLAGS[server.tunnel?.csum ?? 'nocsum'] } : {}),
  };
}
