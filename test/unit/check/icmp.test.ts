import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeEchoRequest, judgeEchoMessage, ICMP_DATA_LENGTH } from '../../../src/check/icmp.js';
import { internetChecksum } from '../../../src/vrrp/checksum.js';

const id = { identifier: 0x1234, sequence: 7 };

/** An IPv4 header of 20 octets (IHL 5) in front of `payload`. */
function ipv4(payload: Uint8Array, protocol = 1): Uint8Array {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h[9] = protocol;
  return Buffer.concat([h, payload]);
}

function reply(request: Uint8Array, type: number): Uint8Array {
  const r = Buffer.from(request);
  r[0] = type;
  return r;
}

describe('PING_CHECK echo (keepalived ping_it/recv_it)', () => {
  it('builds an ICMPv4 echo request with a valid checksum and 128 octets of filler', () => {
    const req = encodeEchoRequest('inet', id);
    expect(
      Buffer.from(req.subarray(0, 8))
        .toString('hex')
        .replace(/^(....)..../, '$1xxxx'),
    ).toBe('0800xxxx12340007');
    expect(internetChecksum(req)).toBe(0);
    expect(req.length).toBe(8 + ICMP_DATA_LENGTH);
    expect(Buffer.from(req.subarray(8, 27)).toString()).toBe('keepalived check - ');
  });

  it('leaves the ICMPv6 checksum to the kernel', () => {
    const req = encodeEchoRequest('inet6', id);
    expect(Buffer.from(req.subarray(0, 8)).toString('hex')).toBe('8000000012340007');
  });

  it('accepts our echo reply, behind the IPv4 header for raw IPv4 sockets', () => {
    expect(judgeEchoMessage('inet', ipv4(reply(encodeEchoRequest('inet', id), 0)), id)).toEqual({ kind: 'ok' });
    expect(judgeEchoMessage('inet6', reply(encodeEchoRequest('inet6', id), 129), id)).toEqual({ kind: 'ok' });
  });

  it('ignores replies to other identifiers or sequence numbers, and requests', () => {
    const other = reply(encodeEchoRequest('inet', { identifier: 0x1234, sequence: 8 }), 0);
    expect(judgeEchoMessage('inet', ipv4(other), id)).toEqual({ kind: 'ignore' });
    expect(judgeEchoMessage('inet', ipv4(encodeEchoRequest('inet', id)), id)).toEqual({ kind: 'ignore' });
    expect(judgeEchoMessage('inet6', reply(encodeEchoRequest('inet6', { identifier: 1, sequence: 7 }), 129), id)).toEqual({ kind: 'ignore' });
  });

  it('fails on an ICMP error that quotes our request', () => {
    const quoted = ipv4(encodeEchoRequest('inet', id).subarray(0, 8));
    const unreachable = ipv4(Buffer.concat([Buffer.from('03010000' + '00000000', 'hex'), quoted]));
    expect(judgeEchoMessage('inet', unreachable, id)).toEqual({ kind: 'fail', reason: 'Got ICMP packet with type 0x3 (code 1)' });
    const v6quoted = Buffer.concat([Buffer.alloc(40), encodeEchoRequest('inet6', id).subarray(0, 8)]);
    const v6unreachable = Buffer.concat([Buffer.from('01030000' + '00000000', 'hex'), v6quoted]);
    expect(judgeEchoMessage('inet6', v6unreachable, id)).toEqual({ kind: 'fail', reason: 'Got ICMPv6 packet with type 0x1 (code 3)' });
    const notOurs = ipv4(Buffer.concat([Buffer.from('0301000000000000', 'hex'), ipv4(encodeEchoRequest('inet', { identifier: 9, sequence: 7 }).subarray(0, 8))]));
    expect(judgeEchoMessage('inet', notOurs, id)).toEqual({ kind: 'ignore' });
  });

  it('never throws on random packets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom('inet' as const, 'inet6' as const), (bytes, family) => {
        expect(['ignore', 'ok', 'fail']).toContain(judgeEchoMessage(family, bytes, id).kind);
      }),
    );
  });
});
