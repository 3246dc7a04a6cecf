/**
 * How keepalived names services in the log lines operators grep for: format_vs() and format_rs()
 * in keepalived's check/check_data.c, over inet_sockaddrtotrio() (lib/utils.c):
 * `[10.0.0.1]:tcp:80`, `FWM 7`, `[group]:0`.
 */
import type { RealServer, VirtualServer } from '../config/model.js';

function protocolName(vs: VirtualServer): string {
  return vs.protocol === null ? 'none' : vs.protocol.toLowerCase();
}

/** format_vs(): a group prints its name and the virtual server's port, which a group has none of (0). */
export function formatVs(vs: VirtualServer): string {
  if ('group' in vs) return `[${vs.group}]:0`;
  if ('fwmark' in vs) return `FWM ${vs.fwmark}`;
  return `[${vs.ip}]:${protocolName(vs)}:${vs.port}`;
}

/** format_rs(): the address and port as programmed (see destinationPort), with the service's protocol. */
export function formatRs(address: string, port: number, vs: VirtualServer): string {
  return `[${address}]:${protocolName(vs)}:${port}`;
}

export function formatRealServer(rs: RealServer, vs: VirtualServer): string {
  return formatRs(rs.ip, configuredPort(rs.port, rs.lvs_method, vs), vs);
}

/**
 * The port keepalived gives a real or sorry server of a plain or fwmark service once it has
 * validated the config (check_data.c, validate_check_config): NAT keeps its own port (or takes
 * the service's when it has none); DR and TUN take the service's port, 0 for fwmark services.
 */
export function configuredPort(port: number, method: RealServer['lvs_method'], vs: VirtualServer): number {
  if ('group' in vs) return port;
  const servicePort = 'ip' in vs ? vs.port : 0;
  if (method === 'NAT') return port === 0 ? servicePort : port;
  return servicePort;
}
