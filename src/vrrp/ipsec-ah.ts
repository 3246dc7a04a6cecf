/**
 * VRRPv2 `auth_type AH` as keepalived 2.2.7 speaks it (RFC 2338 §5.3.6.3 with RFC 2402's AH):
 * an IPv4 packet of protocol 51 whose AH header carries the VRRP message (next header 112).
 * Pure: bytes in, bytes out; the per-instance sequence counter is a number the caller keeps.
 *
 * RFC 2402 §2, as keepalived fills it (vrrp_build_ipsecah, vrrp_update_pkt):
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | Next Header=112 | Payload Len=4 |          RESERVED (0)          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |        Security Parameters Index = the sender's IPv4 source    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      Sequence Number (1 for the first advert, +1 per advert)   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   Authentication Data: HMAC-MD5-96 (12 bytes), see `ahIcv`     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The VRRP message inside is an ordinary VRRPv2 advert with Auth Type 2 and eight zero bytes of
 * Authentication Data (keepalived copies the password there only for PASS).
 */

import { createHmac } from 'node:crypto';
import { formatIpv4 } from '../net/ip-address.js';
import { IPPROTO_VRRP } from './checksum.js';
import { accept, reject, type Decoded } from './reject.js';

export const AH_HEADER_LENGTH = 24;
/** RFC 2402 §2.2: the AH length in 32-bit words minus 2, for a 96-bit ICV. */
export const AH_PAYLOAD_LEN = 4;
/** HMAC-MD5 truncated to 96 bits (RFC 2403 §2). */
export const AH_ICV_LENGTH = 12;
const ICV_OFFSET = 12;
/** keepalived stops counting here (vrrp_update_pkt); 2^32 - 3 one-second adverts is 136 years. */
export const AH_MAX_SEQUENCE = 0xfffffffd;

export interface AhHeader {
  readonly nextHeader: number;
  readonly spi: number;
  readonly sequence: number;
  readonly icv: Uint8Array;
}

/** The AH header at `offset` (right after the IPv4 header); only the layout keepalived sends passes. */
export function decodeAhHeader(packet: Uint8Array, offset: number, source: string): Decoded<AhHeader> {
  if (packet.length < offset + AH_HEADER_LENGTH) {
    return reject('ah-bad-header', `AH packet from ${source}: ${packet.length - offset} bytes after the IPv4 header, AH alone is ${AH_HEADER_LENGTH}`);
  }
  const view = new DataView(packet.buffer, packet.byteOffset + offset, AH_HEADER_LENGTH);
  const nextHeader = view.getUint8(0);
  // keepalived drops AH packets for other protocols silently (VRRP_PACKET_DROP); we count them
  if (nextHeader !== IPPROTO_VRRP) return reject('ah-bad-header', `AH packet from ${source} carries protocol ${nextHeader}, not VRRP (112)`);
  const payloadLen = view.getUint8(1);
  if (payloadLen !== AH_PAYLOAD_LEN) return reject('ah-bad-header', `AH payload length ${payloadLen} from ${source}, expected ${AH_PAYLOAD_LEN} (HMAC-MD5-96)`);
  return accept({
    nextHeader,
    spi: view.getUint32(4),
    sequence: view.getUint32(8),
    icv: packet.slice(offset + ICV_OFFSET, offset + AH_HEADER_LENGTH),
  });
}

/** The AH header for a packet from `source` (its ICV still zero: `signAhPacket` fills it). */
export function encodeAhHeader(source: Uint8Array, sequence: number): Uint8Array {
  const ah = new Uint8Array(AH_HEADER_LENGTH);
  ah[0] = IPPROTO_VRRP;
  ah[1] = AH_PAYLOAD_LEN;
  ah.set(source, 4);
  new DataView(ah.buffer).setUint32(8, sequence);
  return ah;
}

/**
 * keepalived's ICV (vrrp_update_pkt on send, vrrp_in_chk_ipsecah on receive): HMAC-MD5 keyed
 * with the 8 bytes of `auth_pass` (cut and zero-padded as for PASS), over the IPv4 header with
 * its mutable fields zeroed (TOS, flags and fragment offset, header checksum, and the TTL for
 * unicast peers only), then the AH header with its Authentication Data zeroed, then the VRRP
 * message; the first 12 bytes of the digest.
 */
export function ahIcv(packet: Uint8Array, ipHeaderLength: number, key: Uint8Array, unicast: boolean): Uint8Array {
  const signed = Uint8Array.from(packet);
  signed[1] = 0;
  signed.fill(0, 6, 8);
  signed.fill(0, 10, 12);
  if (unicast) signed[8] = 0;
  signed.fill(0, ipHeaderLength + ICV_OFFSET, ipHeaderLength + AH_HEADER_LENGTH);
  return createHmac('md5', key).update(signed).digest().subarray(0, AH_ICV_LENGTH);
}

/** Writes the ICV into a complete packet (IPv4 header, AH header, VRRP message) in place. */
export function signAhPacket(packet: Uint8Array, ipHeaderLength: number, key: Uint8Array, unicast: boolean): void {
  packet.set(ahIcv(packet, ipHeaderLength, key, unicast), ipHeaderLength + ICV_OFFSET);
}

/** What a received AH packet needs for its checks against an instance (receive-checks.ts). */
export interface ReceivedAh extends AhHeader {
  /** The whole packet as received, for the ICV. */
  readonly packet: Uint8Array;
  readonly ipHeaderLength: number;
}

export type AhVerdict = { readonly ok: true } | { readonly ok: false; readonly code: 'ah-auth-mismatch' | 'ah-bad-spi' | 'ah-replayed-sequence'; readonly message: string };

/**
 * keepalived's vrrp_in_chk_ipsecah, in its order: the ICV (a wrong key or altered bytes), the
 * SPI (must equal the IPv4 source), then anti-replay: the sequence number must be above
 * `lastSequence`, the counter the instance keeps (see `ahSequenceAfter`).
 */
export function verifyAh(ah: ReceivedAh, key: Uint8Array, unicast: boolean, lastSequence: number, source: string): AhVerdict {
  const icv = ahIcv(ah.packet, ah.ipHeaderLength, key, unicast);
  if (!icv.every((byte, i) => byte === ah.icv[i])) {
    return { ok: false, code: 'ah-auth-mismatch', message: `IPSEC-AH: invalid HMAC-MD5 value from ${source} (wrong auth_pass or altered packet)` };
  }
  const ipSource = new DataView(ah.packet.buffer, ah.packet.byteOffset).getUint32(12);
  if (ah.spi !== ipSource) {
    const spi = formatIpv4(ah.packet, ah.ipHeaderLength + 4);
    return { ok: false, code: 'ah-bad-spi', message: `IPSEC-AH: SPI ${spi} from ${source}, expected the source address` };
  }
  if (ah.sequence <= lastSequence) {
    return { ok: false, code: 'ah-replayed-sequence', message: `IPSEC-AH: sequence number ${ah.sequence} from ${source} already processed (local ${lastSequence})` };
  }
  return { ok: true };
}

/**
 * keepalived keeps one counter per instance for both directions (ipsecah_counter): an accepted
 * advert's sequence number becomes the counter, and a Master that hears a lower-priority
 * Master moves it one past that advert's number (vrrp_state_master_rx), so that its own next
 * adverts are above what the other side has seen. Sending takes the counter plus one.
 */
export function ahSequenceAfter(counter: number, accepted: number, masterHearsLower: boolean): number {
  return masterHearsLower ? accepted + 1 : Math.max(counter, accepted);
}

/**
 * The sequence number of the next advert, and the counter after it. keepalived stops counting
 * past AH_MAX_SEQUENCE and then gives up Master; we only stop counting (136 years at 1 s).
 */
export function nextAhSequence(counter: number): { readonly sequence: number; readonly counter: number } {
  const next = Math.min(counter + 1, AH_MAX_SEQUENCE + 1);
  return { sequence: next, counter: next };
}
