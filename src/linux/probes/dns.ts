import { randomInt } from 'node:crypto';
import { dnsTypeCode, encodeDnsQuery, judgeDnsReply } from '../../check/dns.js';
import type { Prober, ProbeResult, ProbeTarget } from '../../check/probe.js';
import { runAttempt } from './attempt.js';
import { udpExchange } from './udp-exchange.js';

/**
 * DNS_CHECK (keepalived check_dns.c): one query with a random id over a connected UDP socket;
 * replies that are not the answer to it are ignored until the deadline. Reasons are keepalived's
 * texts, which it logs as "DNS_CHECK ([rs]:udp:port) <reason>".
 */
export class DnsProber implements Prober {
  probe(target: ProbeTarget, deadlineMs: number, signal: AbortSignal): Promise<ProbeResult> {
    const checker = target.checker;
    if (checker.type !== 'DNS_CHECK') return runAttempt(0, signal, (a) => a.finish(false, `not a DNS_CHECK: ${checker.type}`));
    const id = randomInt(0x10000);
    const query = encodeDnsQuery(id, checker.name, dnsTypeCode(checker.query_type));
    return runAttempt(deadlineMs, signal, (attempt) => {
      attempt.whenAborted(() => attempt.finish(false, 'read timeout from socket'));
      udpExchange(attempt, checker, query, {
        message: (data) => {
          const verdict = judgeDnsReply(id, data);
          if (verdict.kind === 'ok') attempt.finish(true, 'answer with RCODE 0');
          else if (verdict.kind === 'fail') attempt.finish(false, verdict.reason);
        },
        error: (code) => attempt.finish(false, code === 'ECONNREFUSED' ? 'failed to read socket; errno 111 (Connection refused)' : `failed to read socket (${code})`),
      });
    });
  }
}
