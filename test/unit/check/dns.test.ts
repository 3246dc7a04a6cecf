import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dnsTypeCode, encodeDnsQuery, encodeQname, judgeDnsReply } from '../../../src/check/dns.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A reply header: id, flags, then zero counts. */
function reply(id: number, flags: number, extra = ''): Uint8Array {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(flags, 2);
  return Buffer.concat([b, Buffer.from(extra, 'hex')]);
}

describe('DNS_CHECK query (keepalived dns_make_query)', () => {
  it('writes the header with RD set, one question, and QNAME/QTYPE/QCLASS', () => {
    expect(hex(encodeDnsQuery(0x1234, 'example.com', dnsTypeCode('a')))).toBe('1234' + '0100' + '0001' + '0000' + '0000' + '0000' + '076578616d706c6503636f6d00' + '0001' + '0001');
  });

  it('writes the root for "", "." and ignores a trailing dot', () => {
    expect(hex(encodeQname(''))).toBe('00');
    expect(hex(encodeQname('.'))).toBe('00');
    expect(hex(encodeQname('a.b.'))).toBe(hex(encodeQname('a.b')));
    expect(hex(encodeDnsQuery(1, '.', dnsTypeCode('SOA'))).slice(24)).toBe('00' + '0006' + '0001');
  });

  it("knows keepalived's types and falls back to SOA", () => {
    expect(['A', 'NS', 'CNAME', 'SOA', 'MX', 'TXT', 'AAAA', 'RRSIG', 'DNSKEY'].map(dnsTypeCode)).toEqual([1, 2, 5, 6, 15, 16, 28, 46, 48]);
    expect(dnsTypeCode('PTR')).toBe(6);
  });
});

describe('DNS_CHECK reply (keepalived dns_recv_thread)', () => {
  it('succeeds on our id with QR set and RCODE 0', () => {
    expect(judgeDnsReply(0xbeef, reply(0xbeef, 0x8180))).toEqual({ kind: 'ok' });
  });

  it("fails on a non-zero RCODE with keepalived's text", () => {
    expect(judgeDnsReply(7, reply(7, 0x8182))).toEqual({ kind: 'fail', rcode: 2, reason: 'read error occurred. (rcode = 2)' });
    expect(judgeDnsReply(7, reply(7, 0x8185))).toMatchObject({ kind: 'fail', rcode: 5 });
  });

  it('ignores another id, a query (QR clear) and a short message, to keep waiting', () => {
    expect(judgeDnsReply(7, reply(8, 0x8180)).kind).toBe('ignore');
    expect(judgeDnsReply(7, reply(7, 0x0100)).kind).toBe('ignore');
    expect(judgeDnsReply(7, reply(7, 0x8180).subarray(0, 11))).toEqual({ kind: 'ignore', why: 'too small message. (11 bytes)' });
  });

  it('obeys the id/QR/RCODE rule for any header and never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 64 }), (id, bytes) => {
        const verdict = judgeDnsReply(id, bytes);
        if (bytes.length < 12) {
          expect(verdict.kind).toBe('ignore');
          return;
        }
        const view = Buffer.from(bytes);
        const sameId = view.readUInt16BE(0) === id;
        const qr = (view.readUInt16BE(2) & 0x8000) !== 0;
        const rcode = view.readUInt16BE(2) & 0xf;
        expect(verdict.kind).toBe(!sameId || !qr ? 'ignore' : rcode === 0 ? 'ok' : 'fail');
      }),
    );
  });
});
