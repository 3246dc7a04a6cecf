import { describe, expect, it } from 'vitest';
import { checkerOf } from '../support/checkers.js';
import { useCheckerLab, LB_ADDRESS, RS6_ADDRESS, RS_ADDRESS } from './support/checker-lab.js';

const DEADLINE_MS = 1000;
const smtp = (over = {}) => checkerOf('SMTP_CHECK', { connect_ip: RS_ADDRESS, connect_port: 25, ...over });
const server = `[${RS_ADDRESS}]:25`;

describe('SMTP_CHECK against a real SMTP responder in a namespace', () => {
  const lab = useCheckerLab('cksm');

  it("passes on 220, HELO, 250, QUIT, sending keepalived's default HELO name or helo_name", async () => {
    expect(await lab().probe(smtp(), DEADLINE_MS)).toMatchObject({ ok: true, reason: `HELO accepted by server ${server}` });
    expect(await lab().heard()).toEqual(['HELO smtpchecker.keepalived.org', 'QUIT']);
    expect((await lab().probe(smtp({ helo_name: 'lb1.example' }), DEADLINE_MS)).ok).toBe(true);
    expect(await lab().heard()).toEqual(['HELO lb1.example', 'QUIT']);
  });

  it('speaks IPv6 too', async () => {
    expect(await lab().probe(smtp({ connect_ip: RS6_ADDRESS }), DEADLINE_MS)).toMatchObject({ ok: true, reason: `HELO accepted by server [${RS6_ADDRESS}]:25` });
    await lab().heard();
  });

  it.each([
    ['bad-banner', `Bad greeting banner from server ${server}`],
    ['bad-helo', `Bad HELO response from server ${server}`],
    ['close', `Read failure from server ${server}`],
    ['closed', `Error connecting to server ${server}`],
  ])("fails when the server is %s, in keepalived's words, and recovers", async (mode, reason) => {
    await lab().set({ smtp: mode });
    expect(await lab().probe(smtp(), DEADLINE_MS)).toMatchObject({ ok: false, reason });
    await lab().set({ smtp: 'open' });
    expect((await lab().probe(smtp(), DEADLINE_MS)).ok).toBe(true);
    await lab().heard();
  });

  it('fails a server that accepts but never greets at the one overall deadline', async () => {
    await lab().set({ smtp: 'silent' });
    const result = await lab().probe(smtp(), DEADLINE_MS);
    expect(result).toMatchObject({ ok: false, reason: `Read timeout from server ${server}` });
    expect(result.latencyMs).toBeGreaterThanOrEqual(DEADLINE_MS * 0.9);
    await lab().set({ smtp: 'open' });
  });

  it("fails with a connection timeout when the server's answers are silently dropped, and recovers", async () => {
    lab().ip(lab().rs, 'route', 'add', 'blackhole', `${LB_ADDRESS}/32`);
    try {
      const result = await lab().probe(smtp(), DEADLINE_MS);
      expect(result).toMatchObject({ ok: false, reason: `Connection timeout to server ${server}` });
      expect(result.latencyMs).toBeGreaterThanOrEqual(DEADLINE_MS * 0.9);
    } finally {
      lab().ip(lab().rs, 'route', 'del', 'blackhole', `${LB_ADDRESS}/32`);
    }
    expect((await lab().probe(smtp(), DEADLINE_MS)).ok).toBe(true);
  });
});
