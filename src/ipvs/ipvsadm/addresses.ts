/**
 * Address text as glibc reads it, because ipvsadm's input rules are those of inet_aton and
 * inet_pton: `10.1` and `0x0a.1` are valid IPv4 services, `1.2.3.4 ` too. Printing IPv6 is
 * src/ipvs/address.ts's (glibc's inet_ntop form).
 */

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

/** inet_pton(AF_INET): exactly four decimal parts, no leading zeros beyond one digit. */
export function inetPton4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  let value = 0;
  for (let k = 1; k <= 4; k++) {
    const part = m[k] ?? '';
    if (part.length > 1 && part.startsWith('0')) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value >>> 0;
}

export function formatInet4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');
}

/** inet_pton(AF_INET6) as glibc implements it: hex groups, one `::`, an optional dotted IPv4 tail. */
export function inetPton6(text: string): Uint8Array | null {
  const out = new Uint8Array(16);
  let s = text;
  if (s.startsWith(':')) {
    if (!s.startsWith('::')) return null;
    s = s.slice(1);
  }
  let pos = 0;
  let gap = -1;
  let group = '';
  let sawDigit = false;
  let i = 0;
  const flush = (): boolean => {
    if (pos + 2 > 16) return false;
    const v = parseInt(group, 16);
    out[pos++] = (v >> 8) & 0xff;
    out[pos++] = v & 0xff;
    group = '';
    sawDigit = false;
    return true;
  };
  while (i < s.length) {
    const c = s[i] as string;
    if (/[0-9a-fA-F]/.test(c)) {
      if (group.length >= 4) return null;
      group += c;
      sawDigit = true;
      i++;
      continue;
    }
    if (c === ':') {
      if (!sawDigit) {
        if (gap >= 0) return null;
        gap = pos;
        i++;
        continue;
      }
      if (i + 1 >= s.length) return null;
      if (!flush()) return null;
      i++;
      continue;
    }
    if (c === '.') {
      const tail = s.slice(i - group.length);
      const v4 = inetPton4(tail);
      if (v4 === null || pos + 4 > 16) return null;
      out[pos++] = v4 >>> 24;
      out[pos++] = (v4 >>> 16) & 0xff;
      out[pos++] = (v4 >>> 8) & 0xff;
      out[pos++] = v4 & 0xff;
      group = '';
      sawDigit = false;
      i = s.length;
      break;
    }
    return null;
  }
  if (sawDigit && !flush()) return null;
  if (gap >= 0) {
    if (pos === 16) return null;
    const moved = out.slice(gap, pos);
    out.fill(0, gap);
    out.set(moved, 16 - moved.length);
  } else if (pos !== 16) {
    return null;
  }
  return out;
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
