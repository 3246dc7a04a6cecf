/**
 * PING_CHECK's ICMP echo (keepalived check_ping.c ping_it/recv_it; RFC 792, RFC 4443 §4).
 * keepalived sends 128 octets of filler after the header and counts the check good when the
 * reply is an echo reply with its sequence number. We send from a raw socket, which sees every
 * ICMP message reaching the host, so a reply must also carry our identifier and come from the
 * address we pinged; an ICMP error quoting our request fails the check at once instead of
 * waiting for the deadline.
 *
 * Echo request and reply (ICMPv4 type 8/0, ICMPv6 type 128/129):
 *
 *     0                   1                   2                   3
 *     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |     Type      |     Code      |          Checksum             |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |           Identifier          |        Sequence Number        |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |     Data ...
 *
 * An error message (destination unreachable, time exceeded, ...) has the same first 8 octets
 * with an unused word, then as much of the offending packet as fits: for ICMPv4 its IP header
 * and at least 8 octets, for ICMPv6 its 40-octet header and as much as fits.
 */
import type { AddressFamily } from '../net/ip-address.js';
import { internetChecksum } from '../vrrp/checksum.js';
import { fillerBytes } from './filler.js';

/** keepalived's ICMP_BUFSIZE: filler octets after the echo header. */
export const ICMP_DATA_LENGTH = 128;
const ECHO_HEADER_LENGTH = 8;
const IPV6_HEADER_LENGTH = 40;

const TYPES = {
  inet: { request: 8, reply: 0, errors: new Set([3, 4, 5, 11, 12]) },
  inet6: { request: 128, reply: 129, errors: new Set([1, 2, 3, 4]) },
} as const;

export interface EchoId {
  readonly identifier: number;
  readonly sequence: number;
}

/** An echo request; for IPv4 with its checksum, for IPv6 with 0 there, since the kernel fills it in for raw ICMPv6 sockets (RFC 3542 §3.1). */
export function encodeEchoRequest(family: AddressFamily, id: EchoId): Uint8Array {
  const out = new Uint8Array(ECHO_HEADER_LENGTH + ICMP_DATA_LENGTH);
  const view = new DataView(out.buffer);
  out[0] = TYPES[family].request;
  view.setUint16(4, id.identifier & 0xffff);
  view.setUint16(6, id.sequence & 0xffff);
  out.set(fillerBytes(ICMP_DATA_LENGTH), ECHO_HEADER_LENGTH);
  if (family === 'inet') view.setUint16(2, internetChecksum(out));
  return out;
}

export type EchoVerdict =
  /** Someone else's ICMP: keep waiting. */
  { readonly kind: 'ignore' } | { readonly kind: 'ok' } | { readonly kind: 'fail'; readonly reason: string };

/**
 * Judges one ICMP message from a raw socket: for IPv4 it starts with the IP header (the kernel
 * hands raw IPv4 sockets the whole datagram), for IPv6 with the ICMPv6 header.
 */
export function judgeEchoMessage(family: AddressFamily, packet: Uint8Array, id: EchoId): EchoVerdict {
  const icmp = family === 'inet' ? afterIpv4Header(packet) : packet;
  if (!icmp || icmp.length < ECHO_HEADER_LENGTH) return { kind: 'ignore' };
  const type = icmp[0] ?? -1;
  if (type === TYPES[family].reply) return sameEcho(icmp, id) ? { kind: 'ok' } : { kind: 'ignore' };
  if (!TYPES[family].errors.has(type)) return { kind: 'ignore' };
  const quoted = family === 'inet' ? afterIpv4Header(icmp.subarray(ECHO_HEADER_LENGTH)) : icmp.subarray(ECHO_HEADER_LENGTH + IPV6_HEADER_LENGTH);
  if (!quoted || quoted.length < ECHO_HEADER_LENGTH || quoted[0] !== TYPES[family].request || !sameEcho(quoted, id)) return { kind: 'ignore' };
  const label = family === 'inet' ? 'ICMP' : 'ICMPv6';
  return { kind: 'fail', reason: `Got ${label} packet with type 0x${type.toString(16)} (code ${icmp[1] ?? 0})` };
}

function sameEcho(icmp: Uint8Array, id: EchoId): boolean {
  const view = new DataView(icmp.buffer, icmp.byteOffset, icmp.byteLength);
  return view.getUint16(4) === (id.identifier & 0xffff) && view.getUint16(6) === (id.sequence & 0xffff);
}

/** The payload of an IPv4 datagram, or undefined when it is not one. */
function afterIpv4Header(packet: Uint8Array): Uint8Array | undefined {
  const first = packet[0];
  if (first === undefined || first >> 4 !== 4) return undefined;
  const headerLength = (first & 0x0f) * 4;
  if (headerLength < 20 || packet.length < headerLength) return undefined;
  return packet.subarray(headerLength);
}
