import { describe, expect, it } from 'vitest';
import { checkerOf } from '../support/checkers.js';
import { useCheckerLab, LB_ADDRESS, RS6_ADDRESS, RS_ADDRESS } from './support/checker-lab.js';

const DEADLINE_MS = 1000;
const dns = (over = {}) => checkerOf('DNS_CHECK', { connect_ip: RS_ADDRESS, connect_port: 53, ...over });

describe('DNS_CHECK against a real DNS responder in a namespace', () => {
  const lab = useCheckerLab('ckdn');

  it('passes on an answer with our id, QR set and RCODE 0, over IPv4 and IPv6', async () => {
    expect(await lab().probe(dns({ query_type: 'A', name: 'www.example.com' }), DEADLINE_MS)).toMatchObject({ ok: true });
    expect(await lab().probe(dns({ connect_ip: RS6_ADDRESS }), DEADLINE_MS)).toMatchObject({ ok: true });
  });

  it.each([
    ['servfail', 'read error occurred. (rcode = 2)'],
    ['refused', 'read error occurred. (rcode = 5)'],
    ['closed', 'failed to read socket; errno 111 (Connection refused)'],
  ])("fails when the server answers %s, in keepalived's words, and recovers", async (mode, reason) => {
    await lab().set({ dns: mode });
    expect(await lab().probe(dns(), DEADLINE_MS)).toMatchObject({ ok: false, reason });
    await lab().set({ dns: 'open' });
    expect((await lab().probe(dns(), DEADLINE_MS)).ok).toBe(true);
  });

  it.each(['silent', 'wrong-id', 'query'])('ignores a %s server and times out at the deadline', async (mode) => {
    await lab().set({ dns: mode });
    const result = await lab().probe(dns(), DEADLINE_MS);
    expect(result).toMatchObject({ ok: false, reason: 'read timeout from socket' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(DEADLINE_MS * 0.9);
    await lab().set({ dns: 'open' });
  });

  it('times out when the answers are silently dropped, and recovers', async () => {
    lab().ip(lab().rs, 'route', 'add', 'blackhole', `${LB_ADDRESS}/32`);
    try {
      expect(await lab().probe(dns(), DEADLINE_MS)).toMatchObject({ ok: false, reason: 'read timeout from socket' });
    } finally {
      lab().ip(lab().rs, 'route', 'del', 'blackhole', `${LB_ADDRESS}/32`);
    }
    expect((await lab().probe(dns(), DEADLINE_MS)).ok).toBe(true);
  });
});
