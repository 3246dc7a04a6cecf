/**
 * How keepalived names virtual and real servers in its checker log lines and FIFO lines:
 * check_data.c format_vs()/format_rs() and lib/utils.c inet_sockaddrtotrio_r().
 */
import type { RealServer, VirtualServer } from '../config/model.js';

/** `[ip]:tcp:port`; an IPv6 address keeps its brackets too. */
export function trio(ip: string, protocol: string, port: number): string {
  return `[${ip}]:${protocol}:${port}`;
}

/** The service type keepalived puts in a trio: the virtual server's protocol (fwmark services have none set, so TCP). */
export function serviceType(vs: VirtualServer): string {
  return (vs.protocol ?? 'TCP').toLowerCase();
}

/** FMT_VS: `[ip]:tcp:port`, `FWM 1`, or `[group]:port` (a group's port is 0). */
export function formatVs(vs: VirtualServer): string {
  if ('fwmark' in vs) return `FWM ${vs.fwmark}`;
  if ('group' in vs) return `[${vs.group}]:0`;
  return trio(vs.ip, serviceType(vs), vs.port);
}

/** FMT_RS, and FMT_CHK of each of its checkers. */
export function formatRs(rs: RealServer, vs: VirtualServer): string {
  return trio(rs.ip, serviceType(vs), rs.port);
}
