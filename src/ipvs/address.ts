/**
 * IP addresses as IPVS carries them: `union nf_inet_addr`, 16 bytes, an IPv4 address in its
 * first 4. Parsing is src/net/ip-address.ts's; printing follows glibc's inet_ntop (what ipvsadm prints),
 * which is RFC 5952 except that IPv4-mapped and IPv4-compatible addresses keep a dotted tail.
 */
import type { Family } from './types.js';
import { badValue } from './errors.js';
import { formatIpv4, formatIpv6 as formatRfc5952, parseAddress } from '../net/ip-address.js';

export const ADDRESS_BYTES = 16;

const parsedAddresses = new Map<string, Uint8Array>();

/**
 * The 16-byte nf_inet_addr for an address of the given family; throws IPVS_BAD_VALUE.
 * Remembered (callers copy, never write): a 10,000-entry apply parses each address several times.
 */
export function addressBytes(family: Family, text: string): Uint8Array {
  const id = `${family} ${text}`;
  let bytes = parsedAddresses.get(id);
  if (bytes === undefined) {
    const parsed = parseAddress(text, family);
    if (parsed === undefined) throw badValue(family === 'inet' ? 'IPv4 address' : 'IPv6 address', text);
    bytes = new Uint8Array(ADDRESS_BYTES);
    bytes.set(parsed);
    if (parsedAddresses.size >= 100_000) parsedAddresses.clear();
    parsedAddresses.set(id, bytes);
  }
  return bytes;
}

/** glibc inet_ntop6: `::a.b.c.d` when the first 96 bits are zero (but not `::` or `::1`-like 7-word runs), `::ffff:a.b.c.d` when mapped. */
export function formatIPv6(bytes: Uint8Array): string {
  const sixteen = bytes.subarray(0, 16);
  const zeroWords = (from: number, to: number): boolean => sixteen.subarray(from, to).every((b) => b === 0);
  const high = ((sixteen[12] ?? 0) << 8) | (sixteen[13] ?? 0);
  if (zeroWords(0, 10)) {
    const word5 = ((sixteen[10] ?? 0) << 8) | (sixteen[11] ?? 0);
    if (word5 === 0xffff) return `::ffff:${formatIpv4(sixteen.subarray(12))}`;
    if (word5 === 0 && high !== 0) return `::${formatIpv4(sixteen.subarray(12))}`;
  }
  return formatRfc5952(sixteen);
}

export function formatAddress(family: Family, bytes: Uint8Array): string {
  return family === 'inet' ? formatIpv4(bytes) : formatIPv6(bytes);
}

const canonical = new Map<string, string>();

/**
 * The canonical spelling of an address, so `::0001` and `::1` name the same destination.
 * Remembered: the reconciler asks for every address of a 10,000-entry table more than once.
 */
export function canonicalAddress(family: Family, text: string): string {
  const id = `${family} ${text}`;
  let found = canonical.get(id);
  if (found === undefined) {
    found = formatAddress(family, addressBytes(family, text));
    if (canonical.size >= 100_000) canonical.clear();
    canonical.set(id, found);
  }
  return found;
}

/** An IPv4 prefix length as the dotted mask the kernel stores and ipvsadm prints. */
export function ipv4Netmask(prefixLength: number): string {
  const value = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff].join('.');
}
