/** TCP_CHECK: a connection that opens within connect_timeout is a success (check_tcp.c). */
import type { Connection } from '../../config/model.js';
import type { ProbeResult, ProbeTarget, Prober } from '../../check/probe.js';
import { connectOnce } from './connect-probe.js';

export class TcpProber implements Prober {
  async probe(target: ProbeTarget, deadlineMs: number, signal: AbortSignal): Promise<ProbeResult> {
    const started = performance.now();
    const r = await connectOnce(target.checker as Connection, deadlineMs, signal);
    const latencyMs = performance.now() - started;
    if (r.code === 'CONNECTED') return { ok: true, reason: 'success', latencyMs };
    // tcp_check_thread(): keepalived's words are "timeout" and "failed"
    return { ok: false, reason: r.code === 'TIMEOUT' ? 'timeout' : 'failed', detail: r.detail ?? r.code, latencyMs };
  }
}
