import { describe, expect, it } from 'vitest';
import { checkerOf } from '../support/checkers.js';
import { useCheckerLab, LB_ADDRESS, RS6_ADDRESS, RS_ADDRESS } from './support/checker-lab.js';

const DEADLINE_MS = 1000;
const udp = (over = {}) => checkerOf('UDP_CHECK', { connect_ip: RS_ADDRESS, connect_port: 7777, ...over });

describe('UDP_CHECK against a real UDP server in a namespace', () => {
  const lab = useCheckerLab('ckud');

  it("sends keepalived's filler without a payload, the payload octets with one", async () => {
    expect((await lab().probe(udp(), DEADLINE_MS)).ok).toBe(true);
    expect((await lab().probe(udp({ payload: 'de ad be ef' }), DEADLINE_MS)).ok).toBe(true);
    expect(await lab().heard()).toEqual([`udp:${Buffer.from('keepalived check - keepalived ch').toString('hex')}`, 'udp:deadbeef']);
  });

  it('without require_reply passes on silence and fails on ICMP port unreachable, then recovers', async () => {
    await lab().set({ udp: 'silent' });
    const silent = await lab().probe(udp(), DEADLINE_MS);
    expect(silent).toMatchObject({ ok: true, reason: 'no ICMP error before the deadline' });
    expect(silent.latencyMs).toBeGreaterThanOrEqual(DEADLINE_MS * 0.9);
    await lab().set({ udp: 'closed' });
    expect(await lab().probe(udp(), DEADLINE_MS)).toMatchObject({ ok: false, reason: 'ICMP unreachable (connection refused)' });
    await lab().set({ udp: 'open' });
    expect((await lab().probe(udp(), DEADLINE_MS)).ok).toBe(true);
  });

  it('with require_reply fails on silence and passes on any reply', async () => {
    await lab().set({ udp: 'silent' });
    expect(await lab().probe(udp({ require_reply: true }), DEADLINE_MS)).toMatchObject({ ok: false, reason: 'no reply' });
    await lab().set({ udp: 'echo' });
    expect(await lab().probe(udp({ require_reply: true, connect_ip: RS6_ADDRESS }), DEADLINE_MS)).toMatchObject({ ok: true, reason: 'reply of 32 octets' });
  });

  it('matches the reply against an x-wildcard pattern and its length bounds', async () => {
    await lab().set({ udp: 'fixed' }); // replies 4f 0a ff 01
    expect((await lab().probe(udp({ require_reply: '4x 0a' }), DEADLINE_MS)).ok).toBe(true);
    expect(await lab().probe(udp({ require_reply: '4x 0b' }), DEADLINE_MS)).toMatchObject({ ok: false, reason: 'reply data mismatch' });
    expect(await lab().probe(udp({ require_reply: '4x', max_reply_length: 3 }), DEADLINE_MS)).toMatchObject({ ok: false, reason: 'reply length 4 outside 0..3' });
    await lab().set({ udp: 'echo' });
    await lab().heard();
  });

  it('with require_reply fails when replies are silently dropped, and recovers', async () => {
    lab().ip(lab().rs, 'route', 'add', 'blackhole', `${LB_ADDRESS}/32`);
    try {
      expect(await lab().probe(udp({ require_reply: true }), DEADLINE_MS)).toMatchObject({ ok: false, reason: 'no reply' });
    } finally {
      lab().ip(lab().rs, 'route', 'del', 'blackhole', `${LB_ADDRESS}/32`);
    }
    expect((await lab().probe(udp({ require_reply: true }), DEADLINE_MS)).ok).toBe(true);
  });
});
