/** The TCP and HTTP probes against servers on 127.0.0.1 (loopback only). */
import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checker } from '../../../src/config/model.js';
import { runAttempt } from '../../../src/linux/probes/attempt.js';
import { HttpProber } from '../../../src/linux/probes/http.js';
import { TcpProber } from '../../../src/linux/probes/tcp.js';

const connection = (port: number, extra: Partial<Record<string, unknown>> = {}) => ({
  connect_ip: '127.0.0.1',
  connect_port: port,
  bindto: null,
  bind_port: null,
  bind_if: null,
  connect_timeout: 1,
  fwmark: null,
  ...extra,
});
const tcp = (port: number, extra = {}) => ({ type: 'TCP_CHECK', ...connection(port, extra) }) as unknown as Checker;
const http = (port: number, extra = {}) =>
  ({
    type: 'HTTP_GET',
    ...connection(port, extra),
    virtualhost: null,
    http_protocol: '1.0',
    enable_sni: false,
    sni_name: null,
    url: [{ path: '/', digest: null, status_code: [[200, 299]], virtualhost: null, regex: null, regex_no_match: false, regex_min_offset: 0, regex_max_offset: 0 }],
  }) as unknown as Checker;

describe('probes on loopback', () => {
  let server: Server;
  let port: number;
  let closedPort: number;
  const requests: string[] = [];
  beforeAll(async () => {
    server = createServer((s) => s.once('data', (d) => (requests.push(d.toString()), s.end('HTTP/1.0 200 OK\r\n\r\nfine'))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
  });
  afterAll(() => new Promise((r) => server.close(r)));
  const signal = new AbortController().signal;

  it('TCP_CHECK: a listening server is a success, a closed port "failed"', async () => {
    expect(await new TcpProber().probe({ checker: tcp(port), ip: '127.0.0.1', port }, 1000, signal)).toMatchObject({ ok: true });
    expect(await new TcpProber().probe({ checker: tcp(closedPort), ip: '127.0.0.1', port: closedPort }, 1000, signal)).toMatchObject({
      ok: false,
      reason: 'failed',
      detail: 'ECONNREFUSED',
    });
  });

  it('a bindto address the host does not have is a failure, not a reschedule', async () => {
    const r = await new TcpProber().probe({ checker: tcp(port, { bindto: '192.0.2.77' }), ip: '127.0.0.1', port }, 1000, signal);
    expect(r).toMatchObject({ ok: false, reason: 'failed', detail: 'Checker bind failed: Cannot assign requested address' });
    const h = await new HttpProber().probe({ checker: http(port, { bindto: '192.0.2.77' }), ip: '127.0.0.1', port, url: 0 }, 1000, signal);
    expect(h).toMatchObject({ ok: false, reason: 'Error connecting' });
  });

  it("HTTP_GET sends keepalived's request and judges the answer", async () => {
    const r = await new HttpProber().probe({ checker: http(port), ip: '127.0.0.1', port, url: 0 }, 1000, signal);
    expect(r).toMatchObject({ ok: true, reason: 'HTTP status code', detail: 'HTTP status 200' });
    expect(requests.at(-1)).toBe(`GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  });

  it('an aborted probe resolves, never rejects', async () => {
    const abort = new AbortController();
    abort.abort();
    expect(await new TcpProber().probe({ checker: tcp(port), ip: '127.0.0.1', port }, 1000, abort.signal)).toMatchObject({ ok: false, detail: 'ABORTED' });
  });

  it('TCP_CHECK: aborting a connect in flight resolves "ABORTED"; the next probe works', async () => {
    const abort = new AbortController();
    const pending = new TcpProber().probe({ checker: tcp(port), ip: '127.0.0.1', port }, 1000, abort.signal);
    abort.abort();
    expect(await pending).toMatchObject({ ok: false, reason: 'failed', detail: 'ABORTED' });
    expect(await new TcpProber().probe({ checker: tcp(port), ip: '127.0.0.1', port }, 1000, signal)).toMatchObject({ ok: true });
  });

  it("TCP_CHECK: the check's signal, shared by all its probes, gets one listener, which aborts whatever is in flight", async () => {
    const check = new AbortController();
    const prober = new TcpProber();
    await prober.probe({ checker: tcp(port), ip: '127.0.0.1', port }, 1000, check.signal);
    await prober.probe({ checker: tcp(closedPort), ip: '127.0.0.1', port: closedPort }, 1000, check.signal);
    const inFlight = [prober.probe({ checker: tcp(port), ip: '127.0.0.1', port }, 1000, check.signal), prober.probe({ checker: tcp(port), ip: '127.0.0.1', port }, 1000, check.signal)];
    expect(getEventListeners(check.signal, 'abort')).toHaveLength(1);
    check.abort();
    expect((await Promise.all(inFlight)).map((r) => r.detail)).toEqual(['ABORTED', 'ABORTED']);
  });

  it('an attempt-based probe leaves no listener on the shared signal once it ends', async () => {
    const check = new AbortController();
    expect(await runAttempt(1000, check.signal, (a) => a.finish(true, 'done'))).toMatchObject({ ok: true });
    expect(getEventListeners(check.signal, 'abort')).toHaveLength(0);
  });

  it('TCP_CHECK: hundreds of connects at once each get their own outcome', async () => {
    const prober = new TcpProber();
    const targets = Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? port : closedPort));
    const results = await Promise.all(targets.map((p) => prober.probe({ checker: tcp(p), ip: '127.0.0.1', port: p }, 5000, signal)));
    expect(results.map((r) => r.ok)).toEqual(targets.map((p) => p === port));
    expect(new Set(results.filter((r) => !r.ok).map((r) => r.detail))).toEqual(new Set(['ECONNREFUSED']));
  });

  it('TCP_CHECK to an IPv6 address: ::1', async () => {
    const v6 = createServer();
    await new Promise<void>((r) => v6.listen(0, '::1', r));
    try {
      const p6 = (v6.address() as { port: number }).port;
      expect(await new TcpProber().probe({ checker: tcp(p6, { connect_ip: '::1' }), ip: '::1', port: p6 }, 1000, signal)).toMatchObject({ ok: true });
    } finally {
      await new Promise((r) => v6.close(r));
    }
  });
});
