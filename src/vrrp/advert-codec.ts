/**
 * The VRRP message codec: bytes after the IP header <-> `VrrpAdvert`. Pure; the IPv4 header
 * around it is `ipv4-header.ts`, and receive checks against an instance are `receive-checks.ts`.
 */

import {
  AUTH_DATA_LENGTH,
  invalidAdvert,
  MAX_V3_INTERVAL_CS,
  VRRP_TYPE_ADVERTISEMENT,
  type V2AuthType,
  type VrrpAdvert,
} from './advert.js';
import { formatChecksum, internetChecksum, pseudoHeader } from './checksum.js';
import { addressLength, familyName, formatAddress, parseAddress, type AddressFamily } from '../net/ip-address.js';
import { accept, reject, type Decoded } from './reject.js';

/** Version/Type, VRID, Priority, Count, then Auth Type + Adver Int (v2) or rsvd + Max Adver Int (v3), Checksum. */
const FIXED_LENGTH = 8;
const CHECKSUM_OFFSET = 6;
const AUTH_TYPE_CODES: Record<V2AuthType, number> = { none: 0, pass: 1, ah: 2 };

/** What the checksum of a received message covered. */
export type ChecksumCoverage =
  /** The message alone: VRRPv2, or VRRPv3 over IPv4 as RFC 9568 §5.2.8 has it (`v3_checksum_as_v2`). */
  | 'message'
  /** The message and the pseudo-header: IPv6, or VRRPv3 over IPv4 as RFC 5798 read (keepalived's default). */
  | 'pseudo-header'
  /** Not verified: an IPv6 message whose destination the socket did not report (the kernel checks it). */
  | 'unverified';

/** The IP addresses the message travelled between, as text. */
export interface AdvertEndpoints {
  readonly source: string;
  /** Needed for the pseudo-header; IPv6 raw sockets without recvmsg cannot tell it. */
  readonly destination?: string;
}

export interface DecodedAdvert {
  readonly advert: VrrpAdvert;
  /** The Checksum field as received. */
  readonly checksum: number;
  readonly coverage: ChecksumCoverage;
}

export interface EncodeOptions {
  readonly source: string;
  readonly destination: string;
  /** keepalived's `v3_checksum_as_v2`: a VRRPv3/IPv4 checksum without the pseudo-header. */
  readonly v3ChecksumAsV2?: boolean;
}

/** Bytes a message with `count` addresses occupies. */
export function advertLength(version: 2 | 3, family: AddressFamily, count: number): number {
  return FIXED_LENGTH + count * addressLength(family) + (version === 2 ? AUTH_DATA_LENGTH : 0);
}

/*
 * RFC 3768 §5.1, VRRPv2:
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version| Type  | Virtual Rtr ID|   Priority    | Count IP Addrs|
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   Auth Type   |   Adver Int   |          Checksum             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         IP Address (1)                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                              ...                              |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         IP Address (n)                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Authentication Data (1)                   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Authentication Data (2)                   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * RFC 5798 §5.1 / RFC 9568 §5.1, VRRPv3 (IPvX: 4-byte IPv4 or 16-byte IPv6 addresses):
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version| Type  | Virtual Rtr ID|   Priority    |Count IPvX Addr|
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |(rsvd) |     Max Adver Int     |          Checksum             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |
 *  +                                                               +
 *  |                       IPvX Address(es)                        |
 *  +                                                               +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Checksum: RFC 1071 over the message (v2, RFC 3768 §5.3.8), plus for v3 a pseudo-header with
 * protocol 112. RFC 5798 §5.2.8 read as covering it for IPv4 too, which keepalived does (the
 * captures show it); RFC 9568 §5.2.8 prepends it for IPv6 only, which is keepalived's
 * `v3_checksum_as_v2`. rsvd is sent as zero and ignored on receipt.
 */
export function encodeAdvert(advert: VrrpAdvert, options: EncodeOptions): Uint8Array {
  const { family, addresses } = advert;
  checkField('vrid', advert.vrid, 0, 255);
  checkField('priority', advert.priority, 0, 255);
  checkField('address count', addresses.length, 0, 255);
  const bytes = new Uint8Array(advertLength(advert.version, family, addresses.length));
  const view = new DataView(bytes.buffer);
  bytes[0] = (advert.version << 4) | VRRP_TYPE_ADVERTISEMENT;
  bytes[1] = advert.vrid;
  bytes[2] = advert.priority;
  bytes[3] = addresses.length;
  if (advert.version === 2) {
    checkField('advertInterval', advert.advertInterval, 0, 255);
    if (advert.authData.length !== AUTH_DATA_LENGTH) invalidAdvert(`authData must be ${AUTH_DATA_LENGTH} bytes, got ${advert.authData.length}`);
    bytes[4] = AUTH_TYPE_CODES[advert.authType];
    bytes[5] = advert.advertInterval;
    bytes.set(advert.authData, bytes.length - AUTH_DATA_LENGTH);
  } else {
    checkField('maxAdvertInterval', advert.maxAdvertInterval, 0, MAX_V3_INTERVAL_CS);
    view.setUint16(4, advert.maxAdvertInterval);
  }
  const width = addressLength(family);
  addresses.forEach((address, i) => bytes.set(addressBytes(address, family), FIXED_LENGTH + i * width));
  const pseudo =
    advert.version === 3 && !(family === 'inet' && options.v3ChecksumAsV2)
      ? pseudoHeader(family, addressBytes(options.source, family), addressBytes(options.destination, family), bytes.length)
      : new Uint8Array(0);
  view.setUint16(CHECKSUM_OFFSET, internetChecksum(pseudo, bytes));
  return bytes;
}

/**
 * Decodes the VRRP message `bytes` that arrived over `family` between `endpoints`. Only checks
 * that need nothing but the packet are done here (RFC 3768 §7.1 / RFC 5798 §7.1: version,
 * complete message, checksum; plus type and authentication type).
 */
export function decodeAdvert(bytes: Uint8Array, family: AddressFamily, endpoints: AdvertEndpoints): Decoded<DecodedAdvert> {
  if (bytes.length < FIXED_LENGTH) return reject('short-packet', `VRRP message of ${bytes.length} bytes, the fixed header alone is ${FIXED_LENGTH}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = view.getUint8(0);
  const version = first >> 4;
  if (!(version === 3 || (version === 2 && family === 'inet'))) {
    return reject('bad-version', `VRRP version ${version} over ${familyName(family)}`);
  }
  const type = first & 0x0f;
  if (type !== VRRP_TYPE_ADVERTISEMENT) return reject('bad-type', `VRRP type ${type}, expected ${VRRP_TYPE_ADVERTISEMENT} (ADVERTISEMENT)`);
  const count = view.getUint8(3);
  const expected = advertLength(version, family, count);
  if (bytes.length !== expected) {
    return reject('length-mismatch', `${count} address(es) make a ${expected}-byte VRRPv${version} message, received ${bytes.length} bytes`);
  }
  const coverage = verifyChecksum(bytes, version, family, endpoints);
  if (coverage === undefined) {
    return reject('bad-checksum', `VRRPv${version} checksum ${formatChecksum(view.getUint16(CHECKSUM_OFFSET))} is wrong (from ${endpoints.source})`);
  }
  const vrid = view.getUint8(1);
  const priority = view.getUint8(2);
  const width = addressLength(family);
  const addresses = Array.from({ length: count }, (_, i) => formatAddress(bytes, family, FIXED_LENGTH + i * width));
  const checksum = view.getUint16(CHECKSUM_OFFSET);
  if (version === 2) {
    const authCode = view.getUint8(4);
    const authType = (Object.keys(AUTH_TYPE_CODES) as V2AuthType[]).find((name) => AUTH_TYPE_CODES[name] === authCode);
    if (authType === undefined) return reject('bad-auth-type', `VRRPv2 authentication type ${authCode}`);
    const advertInterval = view.getUint8(5);
    if (advertInterval === 0) return reject('zero-interval', 'VRRPv2 advertisement interval 0');
    const authData = bytes.slice(bytes.length - AUTH_DATA_LENGTH);
    return accept({
      advert: { version, family: 'inet', vrid, priority, advertInterval, authType, authData, addresses },
      checksum,
      coverage,
    });
  }
  const maxAdvertInterval = view.getUint16(4) & MAX_V3_INTERVAL_CS;
  if (maxAdvertInterval === 0) return reject('zero-interval', 'VRRPv3 maximum advertisement interval 0');
  return accept({ advert: { version: 3, family, vrid, priority, maxAdvertInterval, addresses }, checksum, coverage });
}

/** Which checksum the message satisfies, or undefined when it satisfies none it may carry. */
function verifyChecksum(bytes: Uint8Array, version: number, family: AddressFamily, endpoints: AdvertEndpoints): ChecksumCoverage | undefined {
  const messageOnly = family === 'inet' && internetChecksum(bytes) === 0;
  if (version === 2) return messageOnly ? 'message' : undefined;
  const source = parseAddress(endpoints.source, family);
  const destination = endpoints.destination === undefined ? undefined : parseAddress(endpoints.destination, family);
  if (destination === undefined) return family === 'inet6' ? 'unverified' : messageOnly ? 'message' : undefined;
  if (source !== undefined && internetChecksum(pseudoHeader(family, source, destination, bytes.length), bytes) === 0) return 'pseudo-header';
  return messageOnly ? 'message' : undefined;
}

function addressBytes(text: string, family: AddressFamily): Uint8Array {
  return parseAddress(text, family) ?? invalidAdvert(`'${text}' is not an ${familyName(family)} address`);
}

function checkField(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) invalidAdvert(`${name} ${value} is outside ${min}..${max}`);
}
