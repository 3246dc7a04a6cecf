/**
 * ipvsadm's listing order. Its comparators subtract unsigned 32-bit values and read the result
 * as a signed int, so 200.0.0.1 sorts before 10.0.0.1; glibc 2.36's qsort is a top-down merge
 * sort. Both are reproduced, so that even those orders come out as Debian's ipvsadm prints them.
 */
import type { Destination, Family, Protocol, Service } from '../types.js';
import { inetAton, inetPton4, inetPton6 } from '../../net/inet.js';

type Comparator<T> = (a: T, b: T) => number;

/** glibc msort: split in halves (the first gets n/2 rounded down), merge taking the left on ties. */
export function glibcMergeSort<T>(items: readonly T[], compare: Comparator<T>): T[] {
  if (items.length <= 1) return [...items];
  const half = Math.floor(items.length / 2);
  const left = glibcMergeSort(items.slice(0, half), compare);
  const right = glibcMergeSort(items.slice(half), compare);
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    if (compare(left[i] as T, right[j] as T) <= 0) out.push(left[i++] as T);
    else out.push(right[j++] as T);
  }
  while (i < left.length) out.push(left[i++] as T);
  while (j < right.length) out.push(right[j++] as T);
  return out;
}

/** `(int)(a - b)` for two unsigned 32-bit values. */
function signedDifference(a: number, b: number): number {
  return ((a - b) >>> 0) | 0;
}

const AF_NUMBER: Record<Family, number> = { inet: 2, inet6: 10 };
const PROTOCOL_NUMBER: Record<Protocol, number> = { tcp: 6, udp: 17, sctp: 132 };

/** An address as the four words of the kernel's nf_inet_addr union (IPv4 fills the first). */
function unionWords(family: Family, address: string): number[] {
  const words = addressWords(address, family);
  while (words.length < 4) words.push(0);
  return words;
}

/** Compares addresses the way libipvs does: as many words as the first operand's family has. */
function compareAddresses(familyA: Family, a: string, familyB: Family, b: string): number {
  const wa = unionWords(familyA, a);
  const wb = unionWords(familyB, b);
  const count = familyA === 'inet6' ? 4 : 1;
  for (let k = 0; k < count; k++) {
    const r = signedDifference(wa[k] ?? 0, wb[k] ?? 0);
    if (r !== 0) return r;
  }
  return 0;
}

/** ipvs_cmp_services: fwmark, family, protocol, address, port. */
export function compareServices(a: Service, b: Service): number {
  const ka = a.key;
  const kb = b.key;
  const markA = 'fwmark' in ka ? ka.fwmark : 0;
  const markB = 'fwmark' in kb ? kb.fwmark : 0;
  let r = signedDifference(markA, markB);
  if (r !== 0) return r;
  r = AF_NUMBER[ka.family] - AF_NUMBER[kb.family];
  if (r !== 0) return r;
  const protoA = 'protocol' in ka ? PROTOCOL_NUMBER[ka.protocol] : 0;
  const protoB = 'protocol' in kb ? PROTOCOL_NUMBER[kb.protocol] : 0;
  r = protoA - protoB;
  if (r !== 0) return r;
  r = compareAddresses(ka.family, 'address' in ka ? ka.address : '0.0.0.0', kb.family, 'address' in kb ? kb.address : '0.0.0.0');
  if (r !== 0) return r;
  return ('port' in ka ? ka.port : 0) - ('port' in kb ? kb.port : 0);
}

/** ipvs_cmp_dests: address, then port. */
export function compareDestinations(a: Destination, b: Destination): number {
  const r = compareAddresses(a.family, a.address, b.family, b.address);
  return r !== 0 ? r : a.port - b.port;
}

/** The address as 32-bit words in network order, for ipvsadm's sort comparisons. */
function addressWords(address: string, family: Family): number[] {
  if (family === 'inet') return [inetPton4(address) ?? inetAton(address) ?? 0];
  const bytes = inetPton6(address) ?? new Uint8Array(16);
  const words: number[] = [];
  for (let k = 0; k < 4; k++) {
    words.push((((bytes[4 * k] ?? 0) << 24) | ((bytes[4 * k + 1] ?? 0) << 16) | ((bytes[4 * k + 2] ?? 0) << 8) | (bytes[4 * k + 3] ?? 0)) >>> 0);
  }
  return words;
}
