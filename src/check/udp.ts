/**
 * UDP_CHECK's request and its judgement of the reply (keepalived check_udp.c).
 * Without `require_reply`, silence until the deadline is success and only an ICMP unreachable
 * (ECONNREFUSED on the connected socket) fails it; with it, a reply must come, and when the
 * option names a pattern the reply is judged by check_udp_reply(): its length must lie within
 * min_reply_length..max_reply_length and the octets both have must match the pattern outside
 * its `x` wildcards.
 */
import type { Checker } from '../config/model.js';
import { fillerBytes } from './filler.js';
import { readHexString, type HexPattern } from './hex-string.js';

type UdpChecker = Extract<Checker, { type: 'UDP_CHECK' }>;

/** keepalived's UDP_BUFSIZE: the length of the filler sent when no payload is configured. */
export const DEFAULT_UDP_PAYLOAD_LENGTH = 32;

export interface UdpCheckSpec {
  readonly payload: Uint8Array;
  readonly requireReply: boolean;
  /** The reply pattern; null when any reply will do. */
  readonly pattern: HexPattern | null;
  readonly minReplyLength: number;
  readonly maxReplyLength: number;
}

/** The datagram and reply rules of a checker; an unreadable hex string counts as absent, as keepalived ignores it. */
export function udpCheckSpec(checker: UdpChecker): UdpCheckSpec {
  const payload = checker.payload === null ? null : readHexString(checker.payload, false);
  return {
    payload: payload?.data ?? fillerBytes(DEFAULT_UDP_PAYLOAD_LENGTH),
    requireReply: checker.require_reply !== false,
    pattern: typeof checker.require_reply === 'string' ? readHexString(checker.require_reply, true) : null,
    minReplyLength: checker.min_reply_length,
    maxReplyLength: checker.max_reply_length,
  };
}

export type UdpVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** A reply that arrived. keepalived only looks at lengths when there is a pattern to match. */
export function judgeUdpReply(reply: Uint8Array, spec: UdpCheckSpec): UdpVerdict {
  const { pattern } = spec;
  if (!pattern) return { ok: true };
  if (reply.length < spec.minReplyLength || reply.length > spec.maxReplyLength) {
    return { ok: false, reason: `reply length ${reply.length} outside ${spec.minReplyLength}..${spec.maxReplyLength}` };
  }
  const compared = Math.min(reply.length, pattern.data.length);
  for (let i = 0; i < compared; i++) {
    const care = ~(pattern.mask?.[i] ?? 0) & 0xff;
    if (((reply[i] ?? 0) ^ (pattern.data[i] ?? 0)) & care) return { ok: false, reason: 'reply data mismatch' };
  }
  return { ok: true };
}

/** The deadline passed with no reply and no ICMP error: udp_socket_state()'s read timeout. */
export function judgeUdpSilence(spec: UdpCheckSpec): UdpVerdict {
  return spec.requireReply ? { ok: false, reason: 'no reply' } : { ok: true };
}
