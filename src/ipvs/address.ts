/**
 * IP addresses as IPVS carries them: `union nf_inet_addr`, 16 bytes, an IPv4 address in its
 * first 4. Text output follows glibc's inet_ntop (what ipvsadm prints), so `::ffff:10.0.0.1`
 * stays dotted and the longest run of zero groups collapses to `::`.
 */
import type { Family } from './types.js';
import { badValue } from './errors.js';

export const ADDRESS_BYTES = 16;

export function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] ?? '';
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

export function parseIPv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const words: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] ?? '';
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (v4 === undefined) return undefined;
        words.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        words.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return words;
  };
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const words = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return bytes;
}

/** The 16-byte nf_inet_addr for an address of the given family; throws IPVS_BAD_VALUE. */
export function addressBytes(family: Family, text: string): Uint8Array {
  const parsed = family === 'inet' ? parseIPv4(text) : parseIPv6(text);
  if (parsed === undefined) throw badValue(family === 'inet' ? 'IPv4 address' : 'IPv6 address', text);
  const bytes = new Uint8Array(ADDRESS_BYTES);
  bytes.set(parsed);
  return bytes;
}

export function formatIPv4(bytes: Uint8Array): string {
  return `${bytes[0] ?? 0}.${bytes[1] ?? 0}.${bytes[2] ?? 0}.${bytes[3] ?? 0}`;
}

export function formatIPv6(bytes: Uint8Array): string {
  const words = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestLength < 2) bestStart = -1;
  const embedsIPv4 = bestStart === 0 && (bestLength === 6 || (bestLength === 5 && words[5] === 0xffff));
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      text += ':';
      i += bestLength - 1;
      if (i === 7) text += ':';
      continue;
    }
    if (i > 0) text += ':';
    if (i === 6 && embedsIPv4) {
      text += formatIPv4(bytes.subarray(12, 16));
      break;
    }
    text += (words[i] ?? 0).toString(16);
  }
  return text;
}

export function formatAddress(family: Family, bytes: Uint8Array): string {
  return family === 'inet' ? formatIPv4(bytes) : formatIPv6(bytes);
}

/** The canonical spelling of an address, so `::0001` and `::1` name the same destination. */
export function canonicalAddress(family: Family, text: string): string {
  return formatAddress(family, addressBytes(family, text));
}
