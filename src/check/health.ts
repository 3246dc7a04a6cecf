/**
 * How checker results leave the checker service: one event per change of one checker of one
 * real server of one virtual server. The LVS controller turns them into the IPVS table
 * (a real server is alive only while all its checkers are up, as keepalived's
 * update_svr_checker_state() counts). Keys are keepalived's own identities, so a reload can
 * match old and new objects by what they are, not by their position in the file.
 */
import type { RealServer, VirtualServer } from '../config/model.js';

/** `TCP:[10.0.0.1]:80`, `FWM:1`, `GROUP:name:TCP`: protocol, address and port, or fwmark, or group. */
export type VirtualServerKey = string;
/** `[192.168.1.10]:80` */
export type RealServerKey = string;

export interface CheckerRef {
  readonly vs: VirtualServerKey;
  readonly rs: RealServerKey;
  /** Position of the checker among its real server's checkers. */
  readonly checker: number;
}

export type HealthEvent = {
  readonly type: 'checker';
  readonly ref: CheckerRef;
  readonly up: boolean;
  /** misc_dynamic: the weight the script asked for (exit code − 2), applied only while up. */
  readonly weight?: number;
  /** Why, in words, for logs and status ("connection refused", "HTTP status 503"). */
  readonly reason: string;
};

const bracket = (ip: string): string => `[${ip}]`;

export function virtualServerKey(vs: VirtualServer): VirtualServerKey {
  if ('fwmark' in vs) return `FWM:${vs.fwmark}`;
  if ('group' in vs) return `GROUP:${vs.group}:${vs.protocol ?? 'FWM'}`;
  return `${vs.protocol ?? 'TCP'}:${bracket(vs.ip)}:${vs.port}`;
}

export function realServerKey(rs: RealServer): RealServerKey {
  return `${bracket(rs.ip)}:${rs.port}`;
}
