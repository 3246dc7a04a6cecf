/**
 * What raw sockets hand over, decoded: an IPv4 socket gives the whole IP packet (header
 * included), an IPv6 socket only the VRRP message, with the source from the socket and the
 * destination and hop limit only when recvmsg ancillary data reported them.
 */

import { invalidAdvert, VRRP_TTL, type VrrpAdvert } from './advert.js';
import { decodeAdvert, encodeAdvert, type ChecksumCoverage, type EncodeOptions } from './advert-codec.js';
import { IPPROTO_VRRP } from './checksum.js';
import { canonicalAddress } from '../net/ip-address.js';
import { decodeIpv4Header, encodeIpv4Header, ipv4Bytes, IPPROTO_AH, TOS_INTERNET_CONTROL, type Ipv4Header } from './ipv4-header.js';
import { AH_HEADER_LENGTH, decodeAhHeader, encodeAhHeader, signAhPacket, type ReceivedAh } from './ipsec-ah.js';
import { accept, reject, type Decoded } from './reject.js';

export interface ReceivedAdvert {
  readonly advert: VrrpAdvert;
  readonly source: string;
  /** Unknown for IPv6 without recvmsg. */
  readonly destination?: string;
  /** The IPv4 TTL or IPv6 hop limit; unknown for IPv6 without recvmsg. */
  readonly hopLimit?: number;
  /** The Checksum field as received. */
  readonly checksum: number;
  readonly coverage: ChecksumCoverage;
  /** IPv4 only: the header as received. */
  readonly ip?: Ipv4Header;
  /** IPv4 with `auth_type AH` only: the AH header, checked against the instance in receive-checks.ts. */
  readonly ah?: ReceivedAh;
}

/**
 * A packet from a raw IPv4 socket of protocol 112 (VRRP) or 51 (AH): IPv4 header, the AH
 * header for `auth_type AH` (ipsec-ah.ts), then the VRRP message.
 */
export function decodeIpv4Packet(packet: Uint8Array): Decoded<ReceivedAdvert> {
  const header = decodeIpv4Header(packet);
  if (!header.ok) return header;
  const ip = header.value;
  let start = ip.headerLength;
  let ah: ReceivedAh | undefined;
  if (ip.protocol === IPPROTO_AH) {
    const decoded = decodeAhHeader(packet, ip.headerLength, ip.source);
    if (!decoded.ok) return decoded;
    ah = { ...decoded.value, packet, ipHeaderLength: ip.headerLength };
    start += AH_HEADER_LENGTH;
  } else if (ip.protocol !== IPPROTO_VRRP) {
    return reject('ip-bad-protocol', `IP protocol ${ip.protocol} from ${ip.source}, expected ${IPPROTO_VRRP} or ${IPPROTO_AH}`);
  }
  const message = decodeAdvert(packet.subarray(start), 'inet', ip);
  if (!message.ok) return message;
  return accept({ ...message.value, source: ip.source, destination: ip.destination, hopLimit: ip.ttl, ip, ...(ah ? { ah } : {}) });
}

/** What an IPv6 socket reports beside the payload. */
export interface Ipv6ReceiveInfo {
  readonly source: string;
  readonly destination?: string;
  readonly hopLimit?: number;
}

/** A payload from a raw IPv6 protocol-112 socket: the VRRP message alone. */
export function decodeIpv6Advert(payload: Uint8Array, info: Ipv6ReceiveInfo): Decoded<ReceivedAdvert> {
  const source = canonicalAddress(info.source, 'inet6') ?? info.source;
  const destination = info.destination === undefined ? undefined : (canonicalAddress(info.destination, 'inet6') ?? info.destination);
  const message = decodeAdvert(payload, 'inet6', { source, destination });
  if (!message.ok) return message;
  return accept({ ...message.value, source, destination, hopLimit: info.hopLimit });
}

export interface Ipv4PacketOptions extends EncodeOptions {
  /** 255 unless unicast_ttl says otherwise. */
  readonly ttl?: number;
  readonly tos?: number;
  /** 0 lets the kernel choose one, as keepalived does without AH. */
  readonly identification?: number;
  /**
   * `auth_type AH`: the packet becomes IPv4 + AH + VRRP, signed with `key`; keepalived sets the
   * IP identification itself then (the ICV covers it), so `identification` must not be 0.
   */
  readonly ah?: { readonly key: Uint8Array; readonly sequence: number; readonly unicast: boolean };
}

/** A complete IPv4 packet for an IP_HDRINCL socket: header (checksum filled in) and message. */
export function encodeIpv4Packet(advert: VrrpAdvert, options: Ipv4PacketOptions): Uint8Array {
  if (advert.family !== 'inet') invalidAdvert('an IPv6 advertisement cannot go in an IPv4 packet');
  const message = encodeAdvert(advert, options);
  const ah = options.ah;
  if (ah && (options.identification ?? 0) === 0) invalidAdvert('an AH packet needs a non-zero IP identification: the kernel would change it after signing');
  const source = ipv4Bytes(options.source);
  const ahHeader = ah ? encodeAhHeader(source, ah.sequence) : new Uint8Array(0);
  const header = encodeIpv4Header({
    tos: options.tos ?? TOS_INTERNET_CONTROL,
    identification: options.identification ?? 0,
    ttl: options.ttl ?? VRRP_TTL,
    protocol: ah ? IPPROTO_AH : IPPROTO_VRRP,
    source: options.source,
    destination: options.destination,
    payloadLength: ahHeader.length + message.length,
  });
  const packet = new Uint8Array(header.length + ahHeader.length + message.length);
  packet.set(header);
  packet.set(ahHeader, header.length);
  packet.set(message, header.length + ahHeader.length);
  if (ah) signAhPacket(packet, header.length, ah.key, ah.unicast);
  return packet;
}
