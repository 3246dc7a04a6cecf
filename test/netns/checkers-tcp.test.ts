/** TCP_CHECK's connect-only probe (the addon's connectProbe) between two namespaces. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkerOf, connection } from '../support/checkers.js';
import { nodeInNs } from './support/child.js';
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

  it('many attempts in flight at once each get their own outcome, and an aborted signal ends only its own', async () => {
    // the addon hands outcomes back in batches and reuses ids: none may reach another attempt
    const program = `
      const { TcpProber } = await import(${JSON.stringify(resolve('dist/linux/probes/tcp.js'))});
      const prober = new TcpProber();
      const at = (checker, signal) => prober.probe({ checker, ip: checker.connect_ip, port: checker.connect_port }, 3000, signal);
      const [open, closed, nobody] = ${JSON.stringify([tcp(RS_ADDRESS, 25), tcp(RS_ADDRESS, 26), tcp(NOBODY, 25)])};
      const stopping = new AbortController();
      const stuck = Array.from({ length: 20 }, () => at(nobody, stopping.signal));
      const round = () => Promise.all(Array.from({ length: 400 }, (_, i) => at(i % 3 ? closed : open, new AbortController().signal)));
      const first = round();
      setTimeout(() => stopping.abort(), 50);
      const rounds = [await first, await round()];
      console.log(JSON.stringify({ rounds: rounds.map((r) => r.map((x) => x.detail ?? x.reason)), stuck: (await Promise.all(stuck)).map((x) => x.detail) }));
    `;
    const child = nodeInNs(lab().lb.ns, program);
    try {
      const out = (await child.next(30_000)) as { rounds: string[][]; stuck: string[] };
      const want = Array.from({ length: 400 }, (_, i) => (i % 3 ? 'ECONNREFUSED' : 'success'));
      expect(out.rounds).toEqual([want, want]);
      expect(out.stuck).toEqual(Array(20).fill('ABORTED'));
    } finally {
      child.kill();
    }
  });

  it('a connection that opened in time is a success even when the event loop was busy past the deadline', async () => {
    // libuv runs expired timers before it polls: the addon asks the descriptor before calling it a timeout
    const program = `
      const { TcpProber } = await import(${JSON.stringify(resolve('dist/linux/probes/tcp.js'))});
      const prober = new TcpProber();
      const at = (checker) => prober.probe({ checker, ip: checker.connect_ip, port: checker.connect_port }, 200, new AbortController().signal);
      const [open, closed, nobody] = ${JSON.stringify([tcp(RS_ADDRESS, 25), tcp(RS_ADDRESS, 26), tcp(NOBODY, 25)])};
      const pending = [at(open), at(closed), at(nobody)];
      const until = Date.now() + 600;
      while (Date.now() < until);
      console.log(JSON.stringify((await Promise.all(pending)).map((x) => x.detail ?? x.reason)));
    `;
    const child = nodeInNs(lab().lb.ns, program);
    try {
      expect(await child.next(30_000)).toEqual(['success', 'ECONNREFUSED', 'TIMEOUT']);
    } finally {
      child.kill();
    }
  });
});
