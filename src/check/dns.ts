/**
 * DNS_CHECK's query and its judgement of the answer (keepalived check_dns.c: dns_make_query,
 * dns_recv_thread). One question, recursion desired, class IN; a reply counts only when its id
 * is the query's and its QR bit says "response" (anything else is ignored and the wait goes
 * on, as keepalived re-arms its read); then RCODE 0 is success and any other RCODE a failure.
 *
 * Header (RFC 1035 §4.1.1):
 *
 *                                     1  1  1  1  1  1
 *       0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
 *     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *     |                      ID                       |
 *     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *     |QR|   Opcode  |AA|TC|RD|RA|   Z    |   RCODE   |
 *     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *     |                    QDCOUNT                    |
 *     |                    ANCOUNT                    |
 *     |                    NSCOUNT                    |
 *     |                    ARCOUNT                    |
 *     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *
 * followed by the question: QNAME as length-prefixed labels ending in a zero octet, QTYPE, QCLASS.
 */

export const DNS_HEADER_LENGTH = 12;
const FLAG_QR = 0x8000;
const FLAG_RD = 0x0100;
const CLASS_IN = 1;

/** The types keepalived's `type` keyword knows (check_dns.c DNS_TYPE[]). */
export const DNS_TYPES: Readonly<Record<string, number>> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  RRSIG: 46,
  DNSKEY: 48,
};

/** The code of a type name (any case), SOA (keepalived's default) when the name is unknown. */
export function dnsTypeCode(name: string): number {
  return DNS_TYPES[name.toUpperCase()] ?? (DNS_TYPES.SOA as number);
}

/**
 * QNAME as dns_make_query() writes it: each dot-separated label with its length, then the root's
 * zero octet. "" and "." are the root alone; a trailing dot adds no empty label. A label is
 * cut at 63 octets, the most its length octet may say (RFC 1035 §2.3.4).
 */
export function encodeQname(name: string): Uint8Array {
  const out: number[] = [];
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  const labels = trimmed === '' ? [] : trimmed.split('.');
  for (const label of labels) {
    const bytes = new TextEncoder().encode(label);
    out.push(Math.min(bytes.length, 63), ...bytes.subarray(0, 63));
  }
  out.push(0);
  return Uint8Array.from(out);
}

export function encodeDnsQuery(id: number, name: string, type: number): Uint8Array {
  const qname = encodeQname(name);
  const out = new Uint8Array(DNS_HEADER_LENGTH + qname.length + 4);
  const view = new DataView(out.buffer);
  view.setUint16(0, id & 0xffff);
  view.setUint16(2, FLAG_RD);
  view.setUint16(4, 1);
  out.set(qname, DNS_HEADER_LENGTH);
  view.setUint16(DNS_HEADER_LENGTH + qname.length, type & 0xffff);
  view.setUint16(DNS_HEADER_LENGTH + qname.length + 2, CLASS_IN);
  return out;
}

export type DnsVerdict =
  /** Not the answer to our query (too short, another id, or a query): keep waiting. */
  { readonly kind: 'ignore'; readonly why: string } | { readonly kind: 'ok' } | { readonly kind: 'fail'; readonly rcode: number; readonly reason: string };

export function judgeDnsReply(queryId: number, reply: Uint8Array): DnsVerdict {
  if (reply.length < DNS_HEADER_LENGTH) return { kind: 'ignore', why: `too small message. (${reply.length} bytes)` };
  const view = new DataView(reply.buffer, reply.byteOffset, reply.byteLength);
  const id = view.getUint16(0);
  if (id !== (queryId & 0xffff)) return { kind: 'ignore', why: 'ID does not match.' };
  const flags = view.getUint16(2);
  if ((flags & FLAG_QR) === 0) return { kind: 'ignore', why: 'receive query message?' };
  const rcode = flags & 0x000f;
  if (rcode !== 0) return { kind: 'fail', rcode, reason: `read error occurred. (rcode = ${rcode})` };
  return { kind: 'ok' };
}
