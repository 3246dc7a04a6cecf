/**
 * Why a received advertisement was dropped. Every drop has one stable code, so the daemon can
 * count drops by reason (like OpenBSD carp's statistics) and log them with the packet's details.
 * Decoding (`decode-*.ts`) only judges the bytes; `checkAdvert` judges them against an instance.
 */

/** Each code with the one-line meaning a status page or metric help text can show. */
export const REJECT_CODES = {
  // Decoding: the IPv4 header of a packet from the raw socket.
  'short-packet': 'fewer bytes than the fixed IPv4 or VRRP header',
  'ip-bad-version': 'the IP header is not IPv4',
  'ip-bad-header-length': 'the IPv4 header length is under 20 bytes or past the end of the packet',
  'ip-length-mismatch': 'the IPv4 total length differs from the bytes received',
  'ip-bad-checksum': 'the IPv4 header checksum is wrong',
  'ip-bad-protocol': 'the IP protocol is neither VRRP (112) nor AH (51)',
  'ah-bad-header': 'an IPsec AH header that is short, carries another protocol than VRRP, or is not HMAC-MD5-96 sized',
  // Decoding: the VRRP message.
  'bad-version': 'VRRP version other than 2 or 3 (IPv6 carries only version 3)',
  'bad-type': 'VRRP type other than 1 (ADVERTISEMENT)',
  'length-mismatch': 'the message length does not match its address count',
  'bad-checksum': 'the VRRP checksum is wrong',
  'bad-auth-type': 'VRRPv2 authentication type other than 0 (none), 1 (PASS) or 2 (AH)',
  'zero-interval': 'the advertisement interval is 0',
  // Receive checks against the instance.
  'bad-ttl': 'the IPv4 TTL or IPv6 hop limit is not 255',
  'version-mismatch': 'the VRRP version or address family differs from the instance',
  'checksum-mode-mismatch': 'the VRRPv3 checksum covers a pseudo-header where the instance expects none, or the reverse (v3_checksum_as_v2)',
  'vrid-mismatch': 'the virtual router ID is not this instance',
  'local-is-owner': 'this router owns the addresses (priority 255) and ignores adverts',
  'auth-type-mismatch': 'the authentication type differs from the instance',
  'auth-mismatch': 'the password differs from the instance',
  'ah-auth-mismatch': 'the IPsec AH HMAC-MD5-96 is wrong: another auth_pass, or the packet was altered',
  'ah-bad-spi': "the IPsec AH SPI is not the sender's IPv4 address",
  'ah-replayed-sequence': 'the IPsec AH sequence number is not above the last one accepted (a replay)',
  'interval-mismatch': 'the VRRPv2 advertisement interval differs from the instance',
  'cast-mismatch': 'a multicast advert where unicast peers are set, or the reverse',
  'unicast-source-not-peer': 'the source is not one of the unicast peers',
  'address-list-mismatch': 'the virtual addresses differ from the instance',
} as const;

export type RejectCode = keyof typeof REJECT_CODES;

export interface Rejection {
  readonly code: RejectCode;
  /** The specifics for a log line, e.g. `TTL 64, expected 255`. */
  readonly message: string;
}

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reject: Rejection };

export function accept<T>(value: T): Decoded<T> {
  return { ok: true, value };
}

export function reject(code: RejectCode, message: string): { readonly ok: false; readonly reject: Rejection } {
  return { ok: false, reject: { code, message } };
}

/** Drop counts by reason, for the daemon's statistics and status output. */
export class RejectCounters {
  private readonly counts = new Map<RejectCode, number>();

  add(code: RejectCode): void {
    this.counts.set(code, this.get(code) + 1);
  }

  get(code: RejectCode): number {
    return this.counts.get(code) ?? 0;
  }

  total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  /** Every code, zero counts included, in the order of `REJECT_CODES`. */
  snapshot(): Record<RejectCode, number> {
    const codes = Object.keys(REJECT_CODES) as RejectCode[];
    return Object.fromEntries(codes.map((code) => [code, this.get(code)])) as Record<RejectCode, number>;
  }
}
