import { isIPv4, isIPv6 } from 'node:net';
import { KeepalivedError } from '../errors.js';

export type IpFamily = 4 | 6;

/** An address's family and its network-order bytes (4 or 16). */
export function ipToBytes(address: string): { family: IpFamily; bytes: Buffer } {
  if (isIPv4(address)) return { family: 4, bytes: Buffer.from(address.split('.').map(Number)) };
  if (!isIPv6(address)) throw new KeepalivedError('ERR_BAD_ADDRESS', `not an IP address: ${address}`);
  const bytes = Buffer.alloc(16);
  const [head = '', tail] = address.split('::');
  const words = (part: string): number[] => {
    if (part === '') return [];
    const groups = part.split(':');
    const last = groups.at(-1) ?? '';
    // an embedded IPv4 tail (::ffff:1.2.3.4) is two 16-bit words
    if (isIPv4(last)) {
      const [a = 0, b = 0, c = 0, d = 0] = last.split('.').map(Number);
      groups.splice(-1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
    }
    return groups.map((g) => parseInt(g, 16));
  };
  const front = words(head);
  const back = tail === undefined ? [] : words(tail);
  front.forEach((w, i) => bytes.writeUInt16BE(w, i * 2));
  back.forEach((w, i) => bytes.writeUInt16BE(w, 16 - (back.length - i) * 2));
  return { family: 6, bytes };
}

/** The textual form of 4 or 16 network-order bytes; IPv6 in RFC 5952 canonical form. */
export function bytesToIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) throw new KeepalivedError('ERR_BAD_ADDRESS', `an IP address has 4 or 16 bytes, not ${bytes.length}`);
  const words = Array.from({ length: 8 }, (_, i) => ((bytes[i * 2] ?? 0) << 8) | (bytes[i * 2 + 1] ?? 0));
  // RFC 5952 §4.2: the longest run of two or more zero words becomes '::', the first on a tie
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLength).join(':')}`;
}
