/**
 * The IPv4 header of VRRP packets: Linux raw IPv4 sockets hand received packets over with it, and
 * the daemon may build it itself (IP_HDRINCL) as keepalived does.
 */

import { invalidAdvert } from './advert.js';
import { formatChecksum, internetChecksum } from './checksum.js';
import { formatIpv4, IPV4_LENGTH, parseIpv4 } from '../net/ip-address.js';
import { accept, reject, type Decoded } from './reject.js';

export const IPV4_HEADER_LENGTH = 20;
export const IPPROTO_AH = 51;
/** IPTOS_PREC_INTERNETCONTROL: the TOS keepalived sends adverts with. */
export const TOS_INTERNET_CONTROL = 0xc0;

export interface Ipv4Header {
  /** Header length in bytes (IHL × 4), 20 without options. */
  readonly headerLength: number;
  readonly tos: number;
  readonly totalLength: number;
  readonly identification: number;
  /** Flags (3 bits) and fragment offset (13 bits) as one 16-bit field. */
  readonly flagsFragment: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly checksum: number;
  readonly source: string;
  readonly destination: string;
}

/*
 * RFC 791 §3.1:
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version|  IHL  |Type of Service|          Total Length         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Identification        |Flags|      Fragment Offset    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Time to Live |    Protocol   |         Header Checksum       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       Source Address                          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Destination Address                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Options                    |    Padding    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The decoder accepts options (IHL > 5) and skips them; the total length must equal the bytes
 * received, and the header checksum must be right.
 */
export function decodeIpv4Header(packet: Uint8Array): Decoded<Ipv4Header> {
  if (packet.length < IPV4_HEADER_LENGTH) return reject('short-packet', `${packet.length} bytes, an IPv4 header alone is ${IPV4_HEADER_LENGTH}`);
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const first = view.getUint8(0);
  if (first >> 4 !== 4) return reject('ip-bad-version', `IP version ${first >> 4}, expected 4`);
  const headerLength = (first & 0x0f) * 4;
  if (headerLength < IPV4_HEADER_LENGTH || headerLength > packet.length) {
    return reject('ip-bad-header-length', `IPv4 header length ${headerLength} in a ${packet.length}-byte packet`);
  }
  const totalLength = view.getUint16(2);
  if (totalLength !== packet.length) return reject('ip-length-mismatch', `IPv4 total length ${totalLength}, received ${packet.length} bytes`);
  const checksum = view.getUint16(10);
  if (internetChecksum(packet.subarray(0, headerLength)) !== 0) {
    return reject('ip-bad-checksum', `IPv4 header checksum ${formatChecksum(checksum)} is wrong`);
  }
  return accept({
    headerLength,
    tos: view.getUint8(1),
    totalLength,
    identification: view.getUint16(4),
    flagsFragment: view.getUint16(6),
    ttl: view.getUint8(8),
    protocol: view.getUint8(9),
    checksum,
    source: formatIpv4(packet, 12),
    destination: formatIpv4(packet, 16),
  });
}

export interface Ipv4HeaderFields {
  readonly tos: number;
  readonly identification: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly source: string;
  readonly destination: string;
  /** Bytes that follow the header. */
  readonly payloadLength: number;
}

/** A 20-byte header (no options, no fragmentation) with its checksum filled in. */
export function encodeIpv4Header(fields: Ipv4HeaderFields): Uint8Array {
  const header = new Uint8Array(IPV4_HEADER_LENGTH);
  const view = new DataView(header.buffer);
  view.setUint8(0, (4 << 4) | (IPV4_HEADER_LENGTH / 4));
  view.setUint8(1, fields.tos);
  view.setUint16(2, IPV4_HEADER_LENGTH + fields.payloadLength);
  view.setUint16(4, fields.identification);
  view.setUint8(8, fields.ttl);
  view.setUint8(9, fields.protocol);
  header.set(ipv4Bytes(fields.source), 12);
  header.set(ipv4Bytes(fields.destination), 12 + IPV4_LENGTH);
  view.setUint16(10, internetChecksum(header));
  return header;
}

export function ipv4Bytes(text: string): Uint8Array {
  return parseIpv4(text) ?? invalidAdvert(`'${text}' is not an IPv4 address for the IPv4 header`);
}
