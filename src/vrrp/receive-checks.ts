/**
 * The receive checks that need an instance's configuration, applied to an advert that decoded
 * cleanly. Whatever passes here is what the state machine's "advert received" event may see.
 */

import { authDataText, passwordAuthData, VRRP_TTL, type AdvertConfig } from './advert.js';
import { canonicalAddress, familyName, isMulticast, type AddressFamily } from '../net/ip-address.js';
import { verifyAh } from './ipsec-ah.js';
import type { ReceivedAdvert } from './packet.js';
import type { Rejection, RejectCode } from './reject.js';

/** What one instance expects of the adverts for its virtual router. */
export interface ReceiveExpectations extends AdvertConfig {
  /** Priority 255: RFC 3768/5798 §7.1 have the address owner discard adverts. Default false. */
  readonly addressOwner?: boolean;
  /** False with `vrrp_skip_check_adv_addr`. Default true. */
  readonly checkAddresses?: boolean;
  /** `unicast_peer` addresses; empty (the default) means multicast. */
  readonly unicastPeers?: readonly string[];
  /** `check_unicast_src`: the source must be one of the unicast peers. Default false. */
  readonly checkUnicastSource?: boolean;
  /** keepalived's `v3_checksum_as_v2` (VRRPv3 over IPv4 only). Default false. */
  readonly v3ChecksumAsV2?: boolean;
  /** `auth_type AH`: the instance's sequence counter; an AH advert must carry a higher number. Default 0. */
  readonly ahSequence?: number;
}

export type CheckResult =
  /** Accepted; `warnings` are logged but do not drop (an owner's differing address list). */
  { readonly ok: true; readonly warnings: readonly Rejection[] } | { readonly ok: false; readonly reject: Rejection };

/**
 * RFC 3768 §7.1 (VRRPv2) and RFC 5798 §7.1 / RFC 9568 §7.1 (VRRPv3), in their order, for the
 * checks that need the instance (its `advertIntervalMs` is compared for VRRPv2 only: VRRPv3
 * backups learn the master's); decoding already did version, length and checksum. keepalived's
 * extras follow its behaviour: no TTL check for unicast peers, multicast versus unicast, and
 * `check_unicast_src`.
 */
export function checkAdvert(received: ReceivedAdvert, expected: ReceiveExpectations): CheckResult {
  const { advert } = received;
  const unicastPeers = expected.unicastPeers ?? [];
  const fail = (code: RejectCode, message: string): CheckResult => ({ ok: false, reject: { code, message } });

  if (unicastPeers.length === 0 && received.hopLimit !== undefined && received.hopLimit !== VRRP_TTL) {
    return fail('bad-ttl', `TTL/hop limit ${received.hopLimit} from ${received.source}, expected ${VRRP_TTL}`);
  }
  if (advert.version !== expected.version || advert.family !== expected.family) {
    return fail('version-mismatch', `VRRPv${advert.version} over ${familyName(advert.family)}, instance is VRRPv${expected.version} over ${familyName(expected.family)}`);
  }
  if (advert.version === 3 && advert.family === 'inet') {
    const wanted = expected.v3ChecksumAsV2 ? 'message' : 'pseudo-header';
    if (received.coverage !== wanted) {
      return fail('checksum-mode-mismatch', `checksum from ${received.source} covers ${coverageText(received.coverage)}, the instance expects ${coverageText(wanted)}`);
    }
  }
  if (advert.vrid !== expected.vrid) return fail('vrid-mismatch', `VRID ${advert.vrid}, instance is VRID ${expected.vrid}`);
  if (expected.addressOwner) return fail('local-is-owner', `advert from ${received.source} for VRID ${advert.vrid}, which this router owns`);
  const authType = advert.version === 2 ? (expected.authType ?? 'none') : 'none';
  // keepalived's vrrp_check_packet: "Received AH header but auth type not AH" and the reverse
  if ((received.ah !== undefined) !== (authType === 'ah')) {
    return fail(
      'auth-type-mismatch',
      received.ah ? `AH header from ${received.source}, the instance does not use auth_type AH` : `no AH header from ${received.source}, the instance uses auth_type AH`,
    );
  }
  if (advert.version === 2) {
    if (advert.authType !== authType) return fail('auth-type-mismatch', `authentication ${advert.authType} from ${received.source}, instance uses ${authType}`);
    if (authType === 'pass' && !sameBytes(advert.authData, passwordAuthData(expected.authPassword ?? ''))) {
      return fail('auth-mismatch', `wrong password '${authDataText(advert.authData)}' from ${received.source}`);
    }
    if (received.ah) {
      const key = passwordAuthData(expected.authPassword ?? '');
      const verdict = verifyAh(received.ah, key, unicastPeers.length > 0, expected.ahSequence ?? 0, received.source);
      if (!verdict.ok) return fail(verdict.code, verdict.message);
    }
  }
  if (received.destination !== undefined && isMulticast(received.destination, advert.family) !== (unicastPeers.length === 0)) {
    return fail(
      'cast-mismatch',
      unicastPeers.length === 0 ? `unicast advert from ${received.source} to ${received.destination}, instance uses multicast` : `multicast advert from ${received.source}, instance has unicast peers`,
    );
  }
  if (unicastPeers.length > 0 && expected.checkUnicastSource && !containsAddress(unicastPeers, received.source, advert.family)) {
    return fail('unicast-source-not-peer', `advert from ${received.source}, which is not a unicast peer`);
  }
  const warnings: Rejection[] = [];
  if (expected.checkAddresses ?? true) {
    const mismatch = addressMismatch(advert.addresses, expected.virtualAddresses, advert.family);
    if (mismatch !== undefined) {
      const problem: Rejection = { code: 'address-list-mismatch', message: `advert from ${received.source} (priority ${advert.priority}): ${mismatch}` };
      if (advert.priority !== 255) return { ok: false, reject: problem };
      warnings.push(problem);
    }
  }
  if (advert.version === 2 && advert.advertInterval * 1000 !== expected.advertIntervalMs) {
    return fail('interval-mismatch', `advert interval ${advert.advertInterval} s from ${received.source}, instance uses ${expected.advertIntervalMs / 1000} s`);
  }
  return { ok: true, warnings };
}

/** Why the advertised list differs from the configured one (order does not matter), or undefined. */
function addressMismatch(advertised: readonly string[], configured: readonly string[], family: AddressFamily): string | undefined {
  if (advertised.length !== configured.length) return `${advertised.length} address(es), instance has ${configured.length}`;
  const missing = configured.filter((address) => !containsAddress(advertised, address, family));
  return missing.length === 0 ? undefined : `missing ${missing.join(', ')}`;
}

function containsAddress(list: readonly string[], address: string, family: AddressFamily): boolean {
  const wanted = canonicalAddress(address, family);
  return wanted !== undefined && list.some((entry) => canonicalAddress(entry, family) === wanted);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function coverageText(coverage: string): string {
  return coverage === 'message' ? 'the message only (v3_checksum_as_v2)' : coverage === 'pseudo-header' ? 'the pseudo-header and message' : 'nothing verified';
}
