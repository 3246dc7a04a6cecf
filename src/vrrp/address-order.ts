import { KeepalivedError } from '../errors.js';

function ipv4Bytes(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : undefined;
}

function ipv6Bytes(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = groups(halves[1] ?? '');
  const last = tail.length ? tail : head;
  const v4 = last.length && last[last.length - 1]!.includes('.') ? ipv4Bytes(last.pop()!) : undefined;
  const words = (list: string[]) => list.map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN));
  const v4words = v4 ? [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!] : [];
  const fixed = head.length + tail.length + v4words.length;
  if (halves.length === 1 ? fixed !== 8 : fixed > 7) return undefined;
  const all = [...words(head), ...new Array<number>(8 - fixed).fill(0), ...words(tail), ...v4words];
  if (all.some((w) => Number.isNaN(w))) return undefined;
  return all.flatMap((w) => [w >> 8, w & 0xff]);
}

/**
 * Orders two addresses of one family as unsigned integers in network byte order, which is how
 * RFC 5798 §6.4.3 compares primary addresses when priorities are equal.
 */
export function compareAddresses(a: string, b: string): number {
  const x = ipv4Bytes(a) ?? ipv6Bytes(a);
  const y = ipv4Bytes(b) ?? ipv6Bytes(b);
  if (!x || !y || x.length !== y.length) {
    throw new KeepalivedError('VRRP_BAD_ADDRESS', `cannot compare addresses ${a} and ${b}`);
  }
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return 0;
}
