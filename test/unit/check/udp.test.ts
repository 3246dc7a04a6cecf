import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Checker } from '../../../src/config/model.js';
import { checkerOf } from '../../support/checkers.js';
import { judgeUdpReply, judgeUdpSilence, udpCheckSpec } from '../../../src/check/udp.js';
import { fillerBytes } from '../../../src/check/filler.js';

const checker = (over: Partial<Extract<Checker, { type: 'UDP_CHECK' }>>) => checkerOf('UDP_CHECK', { connect_ip: '192.0.2.1', connect_port: 53, ...over });

describe('UDP_CHECK request and reply (keepalived check_udp.c)', () => {
  it('sends 32 octets of "keepalived check - " filler without a payload, else the payload octets', () => {
    expect(Buffer.from(udpCheckSpec(checker({})).payload).toString()).toBe('keepalived check - keepalived ch');
    expect(Buffer.from(udpCheckSpec(checker({ payload: '0102ff' })).payload).toString('hex')).toBe('0102ff');
    expect(fillerBytes(40).length).toBe(40);
  });

  it('counts silence as success unless a reply is required', () => {
    expect(judgeUdpSilence(udpCheckSpec(checker({})))).toEqual({ ok: true });
    expect(judgeUdpSilence(udpCheckSpec(checker({ require_reply: true })))).toEqual({ ok: false, reason: 'no reply' });
    expect(judgeUdpSilence(udpCheckSpec(checker({ require_reply: '01' })))).toEqual({ ok: false, reason: 'no reply' });
  });

  it('accepts any reply when require_reply names no pattern, lengths unchecked as in keepalived', () => {
    const spec = udpCheckSpec(checker({ require_reply: true, min_reply_length: 10 }));
    expect(judgeUdpReply(Buffer.from('ab'), spec)).toEqual({ ok: true });
  });

  it('matches a pattern with x wildcards over the octets both have', () => {
    const spec = udpCheckSpec(checker({ require_reply: '4x 0a ff' }));
    expect(judgeUdpReply(Buffer.from('4f0aff', 'hex'), spec).ok).toBe(true);
    expect(judgeUdpReply(Buffer.from('400a', 'hex'), spec).ok).toBe(true);
    expect(judgeUdpReply(Buffer.from('4f0aff9999', 'hex'), spec).ok).toBe(true);
    expect(judgeUdpReply(Buffer.from('5f0aff', 'hex'), spec)).toEqual({ ok: false, reason: 'reply data mismatch' });
    expect(judgeUdpReply(Buffer.from('4f0bff', 'hex'), spec)).toEqual({ ok: false, reason: 'reply data mismatch' });
  });

  it('bounds the reply length when there is a pattern', () => {
    const spec = udpCheckSpec(checker({ require_reply: '01', min_reply_length: 2, max_reply_length: 3 }));
    expect(judgeUdpReply(Buffer.from('01', 'hex'), spec)).toEqual({ ok: false, reason: 'reply length 1 outside 2..3' });
    expect(judgeUdpReply(Buffer.from('0102', 'hex'), spec).ok).toBe(true);
    expect(judgeUdpReply(Buffer.from('01020304', 'hex'), spec)).toEqual({ ok: false, reason: 'reply length 4 outside 2..3' });
  });

  it('a pattern of only wildcards accepts every reply within the lengths; random replies never throw', () => {
    const all = udpCheckSpec(checker({ require_reply: 'xx xx xx', max_reply_length: 65535 }));
    const strict = udpCheckSpec(checker({ require_reply: 'de ad', max_reply_length: 8 }));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (reply) => {
        expect(judgeUdpReply(reply, all).ok).toBe(true);
        const verdict = judgeUdpReply(reply, strict);
        const expected = reply.length <= 8 && (reply.length < 1 || reply[0] === 0xde) && (reply.length < 2 || reply[1] === 0xad);
        expect(verdict.ok).toBe(expected);
      }),
    );
  });
});
