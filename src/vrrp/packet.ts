/**
 * What raw sockets hand over, decoded: an IPv4 socket gives the whole IP packet (header
 * included), an IPv6 socket only the VRRP message, with the source from the socket and the
 * destination and hop limit only when recvmsg ancillary data reported them.
 */

import { invalidAdvert, VRRP_TTL, type VrrpAdvert } from './advert.js';
import { decodeAdvert, encodeAdvert, type ChecksumCoverage, type EncodeOptions } from './advert-codec.js';
import { IPPROTO_VRRP } from './checksum.js';
import { canonicalAddress } from '../net/ip-address.js';
import { decodeIpv4Header, encodeIpv4Header, IPPROTO_AH, TOS_INTERNET_CONTROL, type Ipv4Header } from './ipv4-header.js';
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
}

/** A packet from a raw IPv4 protocol-112 socket: IPv4 header, then the VRRP message. */
export function decodeIpv4Packet(packet: Uint8Array): Decoded<ReceivedAdvert> {
  const header = decodeIpv4Header(packet);
  if (!header.ok) return header;
  const ip = header.value;
  if (ip.protocol === IPPROTO_AH) return reject('auth-ah-unsupported', `IPsec AH packet from ${ip.source}`);
  if (ip.protocol !== IPPROTO_VRRP) return reject('ip-bad-protocol', `IP protocol ${ip.protocol} from ${ip.source}, expected ${IPPROTO_VRRP}`);
  const message = decodeAdvert(packet.subarray(ip.headerLength), 'inet', ip);
  if (!message.ok) return message;
  return accept({ ...message.value, source: ip.source, destination: ip.destination, hopLimit: ip.ttl, ip });
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
  /** 0 lets the kernel choose one, as keepalived does. */
  readonly identification?: number;
}

/** A complete IPv4 packet for an IP_HDRINCL socket: header (checksum filled in) and message. */
export function encodeIpv4Packet(advert: VrrpAdvert, options: Ipv4PacketOptions): Uint8Array {
  if (advert.family !== 'inet') invalidAdvert('an IPv6 advertisement cannot go in an IPv4 packet');
  const message = encodeAdvert(advert, options);
  const header = encodeIpv4Header({
    tos: options.tos ?? TOS_INTERNET_CONTROL,
    identification: options.identification ?? 0,
    ttl: options.ttl ?? VRRP_TTL,
    protocol: IPPROTO_VRRP,
    source: options.source,
    destination: options.destination,
    payloadLength: message.length,
  });
  const packet = new Uint8Array(header.length + message.length);
  packet.set(header);
  packet.set(message, header.length);
  return packet;
}
