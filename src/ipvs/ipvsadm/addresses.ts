/**
 * Address text as glibc reads it, because ipvsadm's input rules are those of inet_aton and
 * inet_pton: `10.1` and `0x0a.1` are valid IPv4 services, `1.2.3.4 ` too. Printing IPv6 is
 * src/ipvs/address.ts's (glibc's inet_ntop form).
 */
import { parseIpv4, parseIpv6 } from '../../net/ip-address.js';

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

/** inet_aton: 1 to 4 parts in decimal, octal (leading 0) or hex (0x); returns the host-order value. */
export function inetAton(text: string): number | null {
  const parts: number[] = [];
  let i = 0;
  for (;;) {
    const first = text[i];
    if (first === undefined || !/[0-9]/.test(first)) return null;
    let base = 10;
    if (first === '0') {
      const next = text[i + 1];
      if (next === 'x' || next === 'X') {
        base = 16;
        i += 2;
      } else {
        base = 8;
        i += 1;
      }
    }
    let value = 0;
    for (;;) {
      const c = text[i];
      if (c === undefined) break;
      const digit = base === 16 ? '0123456789abcdef'.indexOf(c.toLowerCase()) : c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : -1;
      if (digit < 0 || digit >= base) break;
      value = value * base + digit;
      if (value > 0xffffffff) return null;
      i++;
    }
    parts.push(value);
    const c = text[i];
    if (c === '.') {
      if (parts.length >= 4 || value > 0xff) return null;
      i++;
      continue;
    }
    if (c !== undefined && !isSpace(c)) return null;
    break;
  }
  const last = parts[parts.length - 1] ?? 0;
  const limits = [0xffffffff, 0xffffff, 0xffff, 0xff];
  if (last > (limits[parts.length - 1] ?? 0)) return null;
  let result = last;
  for (let k = 0; k < parts.length - 1; k++) result += (parts[k] ?? 0) * 2 ** (8 * (3 - k));
  return result >>> 0;
}

/**
 * glibc's inet_pton refuses a dotted part with a leading zero (`01`, `00`), which would be octal
 * to inet_aton; the shared parser takes such parts as decimal.
 */
function hasLeadingZeroPart(dotted: string): boolean {
  return dotted.split('.').some((part) => /^0\d/.test(part));
}

/** inet_pton(AF_INET): exactly four decimal parts, no leading zeros. */
export function inetPton4(text: string): number | null {
  const bytes = parseIpv4(text);
  if (bytes === undefined || hasLeadingZeroPart(text)) return null;
  return (((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)) >>> 0;
}

export function formatInet4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');
}

/** inet_pton(AF_INET6): hex groups, one `::`, an optional dotted IPv4 tail. */
export function inetPton6(text: string): Uint8Array | null {
  const bytes = parseIpv6(text);
  const tail = text.slice(text.lastIndexOf(':') + 1);
  if (bytes === undefined || (tail.includes('.') && hasLeadingZeroPart(tail))) return null;
  return bytes;
}

/** The address as 32-bit words in network order, for ipvsadm's sort comparisons. */
export function addressWords(family: 'inet' | 'inet6', address: string): number[] {
  if (family === 'inet') return [inetPton4(address) ?? inetAton(address) ?? 0];
  const bytes = inetPton6(address) ?? new Uint8Array(16);
  const words: number[] = [];
  for (let k = 0; k < 4; k++) {
    words.push((((bytes[4 * k] ?? 0) << 24) | ((bytes[4 * k + 1] ?? 0) << 16) | ((bytes[4 * k + 2] ?? 0) << 8) | (bytes[4 * k + 3] ?? 0)) >>> 0);
  }
  return words;
}
