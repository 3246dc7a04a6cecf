/** TCP_CHECK: a connection that opens within connect_timeout is a success (check_tcp.c). */
import type { Connection } from '../../config/model.js';
import type { ProbeDone, ProbeResult, ProbeTarget, Prober } from '../../check/probe.js';
import { startConnect, type ConnectOutcome } from './connect-probe.js';

/** tcp_check_thread(): keepalived's words are "success", "timeout" and "failed". */
function judge(r: ConnectOutcome, latencyMs: number, done: ProbeDone): void {
  if (r.code === 'CONNECTED') done({ ok: true, reason: 'success', latencyMs });
  else done({ ok: false, reason: r.code === 'TIMEOUT' ? 'timeout' : 'failed', detail: r.detail ?? r.code, latencyMs });
}

export class TcpProber implements Prober {
  probe(target: ProbeTarget, deadlineMs: number, signal: AbortSignal): Promise<ProbeResult> {
    return new Promise((resolve) => this.start(target, deadlineMs, signal, resolve));
  }

  start(target: ProbeTarget, deadlineMs: number, signal: AbortSignal, done: ProbeDone): void {
    startConnect(target.checker as Connection, deadlineMs, signal, judge, done);
  }
}
