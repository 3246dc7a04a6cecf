/**
 * Readers for the values of ipvsadm's options, each after the C function of ipvsadm 1.31 it
 * reproduces; they fail (exit 2) with that function's message.
 */
import type { Family, Protocol } from '../types.js';
import { formatInet4, inetAton, inetNtop6, inetPton4, inetPton6 } from '../../net/inet.js';
import { SVC_F_SCHED1, SVC_F_SCHED2, SVC_F_SCHED3 } from './command.js';
import { fail } from './exit.js';
import type { NameResolver } from './names.js';
import { stringToNumber } from './numbers.js';

/** 31 days: the longest timeout ipvsadm accepts. */
export const MAX_TIMEOUT = 86400 * 31;
/** `-p` without a value: IPVS_SVC_PERSISTENT_TIMEOUT. */
const DEFAULT_PERSISTENT_TIMEOUT = 6 * 60;

/** parse_service's result bits: which parts of `host[:port]` were found. */
export const SERVICE_ADDR = 1;
export const SERVICE_PORT = 2;

/**
 * parse_service: `host[:port]`, `[v6]:port` or a bare IPv6 address; returns which parts were
 * found (0 when the text is not a service address).
 */
export function parseServiceAddress(text: string, target: { family: Family | null; address: string; port: number; protocol: Protocol; netmask?: number }, names: NameResolver): number {
  if (/^\d*$/.test(text)) return 0;
  let body = text;
  let portText: string | null = null;
  if (body.startsWith('[')) {
    body = body.slice(1);
    const close = body.indexOf(']');
    if (close < 0) return 0;
    if (body[close + 1] !== ':') return 0;
    portText = body.slice(close + 2);
    body = body.slice(0, close);
  }
  const v6 = inetPton6(body);
  if (v6 !== null) {
    target.family = 'inet6';
    target.address = inetNtop6(v6);
    if (target.netmask !== undefined) target.netmask = 128;
  } else {
    const colon = body.lastIndexOf(':');
    portText = colon >= 0 ? body.slice(colon + 1) : null;
    const host = colon >= 0 ? body.slice(0, colon) : body;
    const v4 = inetAton(host);
    const resolved = v4 !== null ? formatInet4(v4) : names.hostToIPv4(host);
    if (resolved === null) return 0;
    target.family = 'inet';
    target.address = resolved;
  }
  if (portText === null) return SERVICE_ADDR;
  const number = stringToNumber(portText, 0, 65535);
  const port = number !== -1 ? number : names.serviceToPort(portText, target.protocol);
  if (port === null) return 0;
  target.port = port;
  return SERVICE_ADDR | SERVICE_PORT;
}

/** parse_netmask: a dotted mask (inet_aton) or a name that resolves to one. */
export function parseNetmask(text: string, names: NameResolver): number | null {
  const direct = inetAton(text);
  if (direct !== null) return direct;
  const resolved = names.hostToIPv4(text);
  return resolved === null ? null : inetPton4(resolved);
}

/** parse_timeout: absent means the default persistence timeout. */
export function parseTimeout(text: string | null, min: number, max: number): number {
  if (text === null) return DEFAULT_PERSISTENT_TIMEOUT;
  const value = stringToNumber(text, min, max);
  if (value === -1) fail(`invalid timeout value \`${text}' specified`);
  return value;
}

/** parse_sched_flags: comma-separated names, the sh-/mh- ones only for their own scheduler. */
export function parseSchedFlags(scheduler: string, text: string): number {
  const sched = scheduler === '' ? 'wlc' : scheduler;
  const names = text.split(',').filter((name) => name !== '');
  if (names.length === 0) fail("invalid scheduler flag `(null)'");
  let flags = 0;
  for (const name of names) {
    const own: Record<string, [number, string | null]> = {
      'flag-1': [SVC_F_SCHED1, null],
      'flag-2': [SVC_F_SCHED2, null],
      'flag-3': [SVC_F_SCHED3, null],
      'sh-fallback': [SVC_F_SCHED1, 'sh'],
      'sh-port': [SVC_F_SCHED2, 'sh'],
      'mh-fallback': [SVC_F_SCHED1, 'mh'],
      'mh-port': [SVC_F_SCHED2, 'mh'],
    };
    const entry = Object.hasOwn(own, name) ? own[name] : undefined;
    if (entry === undefined) fail(`invalid scheduler flag \`${name}'`);
    flags |= entry[0];
    if (entry[1] !== null && entry[1] !== sched) fail(`incompatible scheduler flag \`${name}'`);
  }
  return flags;
}

/** IN6_IS_ADDR_MULTICAST. */
export function isMulticastV6(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff;
}
