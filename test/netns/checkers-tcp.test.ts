/** TCP_CHECK's connect-only probe (the addon's connectProbe) between two namespaces. */
import { describe, expect, it } from 'vitest';
import { checkerOf, connection } from '../support/checkers.js';
import { useCheckerLab, RS_ADDRESS, RS6_ADDRESS } from './support/checker-lab.js';

const DEADLINE_MS = 1000;
/** On the lab's segment but nobody's: ARP never resolves, so the connect neither opens nor fails. */
const NOBODY = '10.77.0.99';

const tcp = (ip: string, port: number, over = {}) => checkerOf('TCP_CHECK', { ...connection(ip, port, over) });

describe('TCP_CHECK between namespaces', () => {
  const lab = useCheckerLab('cktcp');

  it('an open port is a success over IPv4 and IPv6; a closed one is refused', async () => {
    expect(await lab().probe(tcp(RS_ADDRESS, 25), DEADLINE_MS)).toMatchObject({ ok: true, reason: 'success' });
    expect(await lab().probe(tcp(RS6_ADDRESS, 25), DEADLINE_MS)).toMatchObject({ ok: true, reason: 'success' });
    expect(await lab().probe(tcp(RS_ADDRESS, 26), DEADLINE_MS)).toMatchObject({ ok: false, reason: 'failed', detail: 'ECONNREFUSED' });
  });

  it('no answer at all is a "timeout" at the deadline, not before', async () => {
    const r = await lab().probe(tcp(NOBODY, 25), DEADLINE_MS);
    expect(r).toMatchObject({ ok: false, reason: 'timeout', detail: 'TIMEOUT' });
    expect(r.latencyMs).toBeGreaterThanOrEqual(DEADLINE_MS - 1);
  });

  it('a server that closes at once still counts as connected (keepalived only connects)', async () => {
    await lab().set({ smtp: 'close' });
    try {
      expect(await lab().probe(tcp(RS_ADDRESS, 25), DEADLINE_MS)).toMatchObject({ ok: true });
    } finally {
      await lab().set({ smtp: 'ok' });
    }
  });
});
