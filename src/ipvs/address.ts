/**
 * IP addresses as IPVS carries them: `union nf_inet_addr`, 16 bytes, an IPv4 address in its
 * first 4. Parsing is src/net/ip-address.ts's; printing is glibc's inet_ntop (src/net/inet.ts),
 * which is what ipvsadm prints.
 */
import type { Family } from './types.js';
import { badValue } from './errors.js';
import { parseAddress } from '../net/ip-address.js';
import { inetNtop } from '../net/inet.js';

export const ADDRESS_BYTES = 16;

const parsedAddresses = new Map<string, Uint8Array>();

/**
 * The 16-byte nf_inet_addr for an address of the given family; throws IPVS_BAD_VALUE.
 * Remembered (callers copy, never write): a 10,000-entry apply parses each address several times.
 */
export function addressBytes(text: string, family: Family): Uint8Array {
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

const canonical = new Map<string, string>();

/**
 * The spelling ipvsadm prints for an address, so `::0001` and `::1` name the same destination;
 * throws IPVS_BAD_VALUE. Remembered: the reconciler asks for every address of a 10,000-entry
 * table more than once.
 */
export function canonicalIpvsAddress(text: string, family: Family): string {
  const id = `${family} ${text}`;
  let found = canonical.get(id);
  if (found === undefined) {
    found = inetNtop(addressBytes(text, family), family);
    if (canonical.size >= 100_000) canonical.clear();
    canonical.set(id, found);
  }
  return found;
}
