/**
 * A VRRP ADVERTISEMENT as plain values: what the codec decodes and encodes, and what the daemon
 * hands between the wire and the state machine. Field names follow the RFCs; intervals keep the
 * unit of the wire (v2 seconds, v3 centiseconds) so that a decoded advert re-encodes exactly.
 */

import { KeepalivedError } from '../errors.js';
import type { AddressFamily } from '../net/ip-address.js';

/** RFC 3768 §5.3.2 / RFC 5798 §5.2.2: the only type defined. */
export const VRRP_TYPE_ADVERTISEMENT = 1;
/** RFC 3768 §5.3.6: the Authentication Data field is always 8 bytes in VRRPv2. */
export const AUTH_DATA_LENGTH = 8;
/** RFC 5798 §5.2.7: Max Adver Int is a 12-bit count of centiseconds. */
export const MAX_V3_INTERVAL_CS = 0xfff;
/** RFC 3768 §5.2.1 / RFC 5798 §5.1.1.3: adverts travel with TTL / hop limit 255. */
export const VRRP_TTL = 255;
export const VRRP_GROUP_IPV4 = '224.0.0.18';
export const VRRP_GROUP_IPV6 = 'ff02::12';

/** RFC 2338 §5.3.6 authentication types: 0 none, 1 PASS, 2 IP AH (ipsec-ah.ts; keepalived's `auth_type AH`). */
export type V2AuthType = 'none' | 'pass' | 'ah';

export interface VrrpV2Advert {
  readonly version: 2;
  readonly family: 'inet';
  readonly vrid: number;
  readonly priority: number;
  /** Adver Int, whole seconds (1..255). */
  readonly advertInterval: number;
  readonly authType: V2AuthType;
  /** The 8 Authentication Data bytes as sent (zeros for `none`; see `passwordAuthData`). */
  readonly authData: Uint8Array;
  readonly addresses: readonly string[];
}

export interface VrrpV3Advert {
  readonly version: 3;
  readonly family: AddressFamily;
  readonly vrid: number;
  readonly priority: number;
  /** Max Adver Int, centiseconds (1..4095). */
  readonly maxAdvertInterval: number;
  readonly addresses: readonly string[];
}

export type VrrpAdvert = VrrpV2Advert | VrrpV3Advert;

/** What an instance's adverts carry besides the priority: the sender and the receive checks share it. */
export interface AdvertConfig {
  readonly version: 2 | 3;
  readonly family: AddressFamily;
  readonly vrid: number;
  /** `advert_int`: whole seconds for VRRPv2, whole centiseconds for VRRPv3. */
  readonly advertIntervalMs: number;
  readonly virtualAddresses: readonly string[];
  /** VRRPv2 only; default `none`. */
  readonly authType?: V2AuthType;
  /** `auth_pass`: for PASS sent cut to 8 bytes and zero-padded (see `passwordAuthData`); for AH the HMAC key, cut the same way. */
  readonly authPassword?: string;
}

/** The advert an instance sends with `priority` (its effective priority, or 0 when stopping). */
export function makeAdvert(config: AdvertConfig, priority: number): VrrpAdvert {
  const { vrid, family, advertIntervalMs } = config;
  const addresses = config.virtualAddresses;
  if (config.version === 3) {
    if (advertIntervalMs % 10 !== 0) invalidAdvert(`VRRPv3 interval ${advertIntervalMs} ms is not whole centiseconds`);
    return { version: 3, family, vrid, priority, maxAdvertInterval: advertIntervalMs / 10, addresses };
  }
  if (family !== 'inet') invalidAdvert('VRRPv2 is IPv4 only');
  if (advertIntervalMs % 1000 !== 0) invalidAdvert(`VRRPv2 interval ${advertIntervalMs} ms is not whole seconds`);
  const authType = config.authType ?? 'none';
  const authData = authType === 'pass' ? passwordAuthData(config.authPassword ?? '') : new Uint8Array(AUTH_DATA_LENGTH);
  return { version: 2, family, vrid, priority, advertInterval: advertIntervalMs / 1000, authType, authData, addresses };
}

/** Building or encoding an advert from values that cannot go on the wire is a caller's bug. */
export function invalidAdvert(message: string): never {
  throw new KeepalivedError('vrrp-invalid-advert', `cannot build VRRP advertisement: ${message}`);
}

/** The advertised interval in milliseconds, whatever the version. */
export function advertIntervalMs(advert: VrrpAdvert): number {
  return advert.version === 2 ? advert.advertInterval * 1000 : advert.maxAdvertInterval * 10;
}

/**
 * The Authentication Data for `auth_pass`: its UTF-8 bytes, cut to 8 and zero-padded, which is
 * what keepalived puts on the wire (and so what it compares against).
 */
export function passwordAuthData(password: string): Uint8Array {
  const data = new Uint8Array(AUTH_DATA_LENGTH);
  data.set(new TextEncoder().encode(password).subarray(0, AUTH_DATA_LENGTH));
  return data;
}

/** The password in `authData` as text, up to the first zero byte (for logs and status). */
export function authDataText(authData: Uint8Array): string {
  const end = authData.indexOf(0);
  return new TextDecoder().decode(end < 0 ? authData : authData.subarray(0, end));
}
