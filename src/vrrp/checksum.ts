/**
 * The Internet checksum (RFC 1071) and the pseudo-headers VRRPv3 adds to it. VRRP is IP protocol
 * 112 and both pseudo-headers name it.
 */

import { IPV4_LENGTH, IPV6_LENGTH, type AddressFamily } from '../net/ip-address.js';

export const IPPROTO_VRRP = 112;

/** Ones'-complement sum of 16-bit big-endian words, an odd last byte padded with zero. */
function onesComplementSum(data: Uint8Array, initial: number): number {
  let sum = initial;
  for (let i = 0; i + 1 < data.length; i += 2) sum += ((data[i] ?? 0) << 8) | (data[i + 1] ?? 0);
  if (data.length % 2 === 1) sum += (data[data.length - 1] ?? 0) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/**
 * The checksum over the concatenation of `parts` (each of even length except the last). Put it
 * in a zeroed checksum field to send; over a received message whose checksum is right it is 0.
 */
export function internetChecksum(...parts: Uint8Array[]): number {
  const sum = parts.reduce((acc, part) => onesComplementSum(part, acc), 0);
  return ~sum & 0xffff;
}

/** `0x1a2b`, for log messages. */
export function formatChecksum(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}

/*
 * IPv4 pseudo-header (the one TCP and UDP use, RFC 9293 §3.1):
 *
 *  +--------+--------+--------+--------+
 *  |           Source Address          |
 *  +--------+--------+--------+--------+
 *  |         Destination Address       |
 *  +--------+--------+--------+--------+
 *  |  zero  |  112   |   VRRP Length   |
 *  +--------+--------+--------+--------+
 *
 * IPv6 pseudo-header (RFC 8200 §8.1):
 *
 *  +-----------------------------------+
 *  |     Source Address (16 bytes)     |
 *  +-----------------------------------+
 *  |  Destination Address (16 bytes)   |
 *  +--------+--------+--------+--------+
 *  |     Upper-Layer Packet Length     |
 *  +--------+--------+--------+--------+
 *  |          zero            |  112   |
 *  +--------+--------+--------+--------+
 */
export function pseudoHeader(family: AddressFamily, source: Uint8Array, destination: Uint8Array, length: number): Uint8Array {
  if (family === 'inet') {
    const header = new Uint8Array(2 * IPV4_LENGTH + 4);
    header.set(source, 0);
    header.set(destination, IPV4_LENGTH);
    header[9] = IPPROTO_VRRP;
    new DataView(header.buffer).setUint16(10, length);
    return header;
  }
  const header = new Uint8Array(2 * IPV6_LENGTH + 8);
  header.set(source, 0);
  header.set(destination, IPV6_LENGTH);
  new DataView(header.buffer).setUint32(32, length);
  header[39] = IPPROTO_VRRP;
  return header;
}
