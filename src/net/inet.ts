/**
 * Address text as glibc reads and prints it (inet_aton, inet_pton, inet_ntop), for the tools whose
 * behaviour is glibc's: ipvsadm takes `10.1` and `0x0a.1` as IPv4 services, `1.2.3.4 ` too, and
 * prints IPv4-mapped IPv6 addresses with a dotted tail. Arguments: the address first, then its family.
 */
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6, type AddressFamily } from './ip-address.js';

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

/** glibc inet_ntop6: `::a.b.c.d` when the first 96 bits are zero (but not `::` or `::1`-like 7-word runs), `::ffff:a.b.c.d` when mapped. */
export function inetNtop6(bytes: Uint8Array): string {
  const sixteen = bytes.subarray(0, 16);
  const zeroWords = (from: number, to: number): boolean => sixteen.subarray(from, to).every((b) => b === 0);
  const high = ((sixteen[12] ?? 0) << 8) | (sixteen[13] ?? 0);
  if (zeroWords(0, 10)) {
    const word5 = ((sixteen[10] ?? 0) << 8) | (sixteen[11] ?? 0);
    if (word5 === 0xffff) return `::ffff:${formatIpv4(sixteen.subarray(12))}`;
    if (word5 === 0 && high !== 0) return `::${formatIpv4(sixteen.subarray(12))}`;
  }
  return formatIpv6(sixteen);
}

/** glibc inet_ntop for either family. */
export function inetNtop(bytes: Uint8Array, family: AddressFamily): string {
  return family === 'inet' ? formatIpv4(bytes) : inetNtop6(bytes);
}

/** An IPv4 prefix length as the dotted mask the kernel stores and ipvsadm prints. */
export function ipv4Netmask(prefixLength: number): string {
  const value = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff].join('.');
}
