import type { Prober, ProbeResult, ProbeTarget } from '../../check/probe.js';
import { judgeUdpReply, judgeUdpSilence, udpCheckSpec } from '../../check/udp.js';
import { runAttempt } from './attempt.js';
import { udpExchange } from './udp-exchange.js';

/**
 * UDP_CHECK (keepalived check_udp.c): one datagram, then the first reply is judged, an ICMP
 * unreachable fails the check, and the deadline means success unless require_reply is set.
 */
export class UdpProber implements Prober {
  probe(target: ProbeTarget, deadlineMs: number, signal: AbortSignal): Promise<ProbeResult> {
    const checker = target.checker;
    if (checker.type !== 'UDP_CHECK') return runAttempt(0, signal, (a) => a.finish(false, `not a UDP_CHECK: ${checker.type}`));
    const spec = udpCheckSpec(checker);
    return runAttempt(deadlineMs, signal, (attempt) => {
      attempt.whenAborted(() => {
        const verdict = judgeUdpSilence(spec);
        attempt.finish(verdict.ok, verdict.ok ? 'no ICMP error before the deadline' : verdict.reason);
      });
      udpExchange(attempt, checker, spec.payload, {
        message: (data) => {
          const verdict = judgeUdpReply(data, spec);
          attempt.finish(verdict.ok, verdict.ok ? `reply of ${data.length} octets` : verdict.reason);
        },
        error: (code) => attempt.finish(false, code === 'ECONNREFUSED' ? 'ICMP unreachable (connection refused)' : `socket error ${code}`),
      });
    });
  }
}
