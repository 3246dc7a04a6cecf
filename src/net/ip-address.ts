/**
 * IPv4 and IPv6 addresses as the codecs carry them: text in the API, bytes on the wire. Text is
 * always canonical (dotted quad; RFC 5952 for IPv6), so two spellings of one address compare equal
 * once they have been through `canonicalAddress`.
 */

import { KeepalivedError } from '../errors.js';

export type AddressFamily = 'inet' | 'inet6';

export const IPV4_LENGTH = 4;
export const IPV6_LENGTH = 16;

export function familyName(family: AddressFamily): string {
  return family === 'inet' ? 'IPv4' : 'IPv6';
}

export function addressLength(family: AddressFamily): number {
  return family === 'inet' ? IPV4_LENGTH : IPV6_LENGTH;
}

/** The 4 bytes of a dotted quad, or undefined when `text` is not one. */
export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(IPV4_LENGTH);
  for (const [i, part] of parts.entries()) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

/** The 16 bytes of an IPv6 address in any RFC 4291 §2.2 spelling, or undefined. */
export function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = groupsOf(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '', true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(IPV6_LENGTH);
  groups.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

/** 16-bit groups of one side of `::`; a dotted quad may end the last side, as two groups. */
function groupsOf(side: string, last: boolean): number[] | undefined {
  if (side === '') return [];
  const words = side.split(':');
  const groups: number[] = [];
  for (const [i, word] of words.entries()) {
    if (last && i === words.length - 1 && word.includes('.')) {
      const v4 = parseIpv4(word);
      if (v4 === undefined) return undefined;
      groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(word)) return undefined;
      groups.push(parseInt(word, 16));
    }
  }
  return groups;
}

export function parseAddress(text: string, family: AddressFamily): Uint8Array | undefined {
  return family === 'inet' ? parseIpv4(text) : parseIpv6(text);
}

export function formatIpv4(bytes: Uint8Array, offset = 0): string {
  // no array per address: a read-back formats thousands
  return `${bytes[offset] ?? 0}.${bytes[offset + 1] ?? 0}.${bytes[offset + 2] ?? 0}.${bytes[offset + 3] ?? 0}`;
}

/** RFC 5952 §4: lower case, no leading zeros, the longest run (2+) of zero groups as `::`. */
export function formatIpv6(bytes: Uint8Array, offset = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((bytes[offset + 2 * i] ?? 0) << 8) | (bytes[offset + 2 * i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8;) {
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end === start ? start + 1 : end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function formatAddress(bytes: Uint8Array, family: AddressFamily, offset = 0): string {
  return family === 'inet' ? formatIpv4(bytes, offset) : formatIpv6(bytes, offset);
}

/** The canonical text of `text`, or undefined when it is not an address of `family`. */
export function canonicalAddress(text: string, family: AddressFamily): string | undefined {
  const bytes = parseAddress(text, family);
  return bytes === undefined ? undefined : formatAddress(bytes, family);
}

/**
 * The family of text already known to be an address (the validated configuration's, the
 * kernel's): IPv6 text always has a colon and IPv4 text never does, so nothing is parsed.
 */
export function familyOf(address: string): AddressFamily {
  return address.includes(':') ? 'inet6' : 'inet';
}

/** The family of an address as the configuration model numbers it, or undefined when `text` is no address. */
export function ipFamily(text: string): 4 | 6 | undefined {
  if (parseIpv4(text)) return 4;
  if (parseIpv6(text)) return 6;
  return undefined;
}

/**
 * The canonical spelling of an address of either family, or undefined when `text` is not one, so
 * that `2001:DB8::1` and `2001:db8:0::1` are recognised as one address.
 */
export function canonicalIp(text: string): string | undefined {
  const v4 = parseIpv4(text);
  if (v4) return formatIpv4(v4);
  const v6 = parseIpv6(text);
  return v6 ? formatIpv6(v6) : undefined;
}

/** 224.0.0.0/4 or ff00::/8. */
export function isMulticast(text: string, family: AddressFamily): boolean {
  const bytes = parseAddress(text, family);
  if (bytes === undefined) return false;
  const first = bytes[0] ?? 0;
  return family === 'inet' ? first >= 224 && first <= 239 : first === 0xff;
}

/** The family and bytes of an address of either family; throws when `text` is neither. */
export function ipToBytes(text: string): { family: AddressFamily; bytes: Buffer } {
  for (const family of ['inet', 'inet6'] as const) {
    const bytes = parseAddress(text, family);
    if (bytes !== undefined) return { family, bytes: Buffer.from(bytes) };
  }
  throw new KeepalivedError('ERR_BAD_ADDRESS', `not an IP address: ${text}`);
}

/** The canonical text of 4 or 16 address bytes. */
export function bytesToIp(bytes: Uint8Array): string {
  if (bytes.length === IPV4_LENGTH) return formatIpv4(bytes);
  if (bytes.length === IPV6_LENGTH) return formatIpv6(bytes);
  throw new KeepalivedError('ERR_BAD_ADDRESS', `an IP address has 4 or 16 bytes, not ${bytes.length}`);
}
