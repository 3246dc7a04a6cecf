import { describe, expect, it } from 'vitest';
import { checkerOf } from '../support/checkers.js';
import { useCheckerLab, LB_ADDRESS, RS6_ADDRESS, RS_ADDRESS } from './support/checker-lab.js';

const DEADLINE_MS = 1000;
const ping = (over = {}) => checkerOf('PING_CHECK', { connect_ip: RS_ADDRESS, connect_port: 0, ...over });

describe('PING_CHECK against a namespace', () => {
  const lab = useCheckerLab('ckpg');

  it('passes on an echo reply over ICMP and ICMPv6', async () => {
    expect(await lab().probe(ping(), DEADLINE_MS)).toMatchObject({ ok: true, reason: `echo reply from ${RS_ADDRESS}` });
    expect(await lab().probe(ping({ connect_ip: RS6_ADDRESS }), DEADLINE_MS)).toMatchObject({ ok: true, reason: `echo reply from ${RS6_ADDRESS}` });
  });

  it('times out when the echo replies are silently dropped, and recovers', async () => {
    lab().ip(lab().rs, 'route', 'add', 'blackhole', `${LB_ADDRESS}/32`);
    try {
      const result = await lab().probe(ping(), DEADLINE_MS);
      expect(result).toMatchObject({ ok: false, reason: `ICMP connection to address ${RS_ADDRESS} timeout.` });
      expect(result.latencyMs).toBeGreaterThanOrEqual(DEADLINE_MS * 0.9);
    } finally {
      lab().ip(lab().rs, 'route', 'del', 'blackhole', `${LB_ADDRESS}/32`);
    }
    expect((await lab().probe(ping(), DEADLINE_MS)).ok).toBe(true);
  });

  it("times out for IPv6 when the server's address is gone, and recovers", async () => {
    lab().ip(lab().rs, '-6', 'addr', 'del', `${RS6_ADDRESS}/64`, 'dev', 'eth0');
    try {
      expect((await lab().probe(ping({ connect_ip: RS6_ADDRESS }), DEADLINE_MS)).ok).toBe(false);
    } finally {
      lab().ip(lab().rs, '-6', 'addr', 'add', `${RS6_ADDRESS}/64`, 'dev', 'eth0', 'nodad');
    }
    expect((await lab().probe(ping({ connect_ip: RS6_ADDRESS }), DEADLINE_MS)).ok).toBe(true);
  });

  it('fails at once when the route to the server is prohibited', async () => {
    lab().ip(lab().lb, 'route', 'add', 'prohibit', `${RS_ADDRESS}/32`);
    try {
      const result = await lab().probe(ping(), DEADLINE_MS);
      expect(result.ok).toBe(false);
      expect(result.reason).toBe('send ICMP packet fail (sendto: Permission denied)');
      expect(result.latencyMs).toBeLessThan(DEADLINE_MS);
    } finally {
      lab().ip(lab().lb, 'route', 'del', 'prohibit', `${RS_ADDRESS}/32`);
    }
  });
});
