import { randomInt } from 'node:crypto';
import { encodeEchoRequest, judgeEchoMessage, type EchoId } from '../../check/icmp.js';
import type { Prober, ProbeResult, ProbeTarget } from '../../check/probe.js';
import { parseIpv4, parseIpv6 } from '../../net/ip-address.js';
import { IPPROTO_ICMP, IPPROTO_ICMPV6, SOCK_RAW, native } from '../native.js';
import { runAttempt } from './attempt.js';
import { familyOf } from '../../net/ip-address.js';
import { openCheckerSocket } from './checker-socket.js';

/** Whether two textual addresses are the same address, however each is spelled. */
function sameAddress(a: string, b: string): boolean {
  const bytes = (text: string) => parseIpv4(text) ?? parseIpv6(text.replace(/%.*$/, ''));
  const x = bytes(a);
  const y = bytes(b);
  return x !== undefined && y !== undefined && x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * PING_CHECK (keepalived check_ping.c): one ICMP or ICMPv6 echo request per attempt from a raw
 * socket of its own (with the common socket options), success when the matching echo reply
 * comes from the pinged address before the deadline. keepalived uses an unprivileged ping
 * socket, which needs net.ipv4.ping_group_range; the daemon is root anyway, and a raw socket
 * also hears the ICMP errors about our request, which fail the attempt at once.
 */
export class PingProber implements Prober {
  /** Our echo identifier, one per prober as keepalived keeps one socket per checker. */
  private readonly identifier = randomInt(0x10000);
  private sequence = 0;

  probe(target: ProbeTarget, deadlineMs: number, signal: AbortSignal): Promise<ProbeResult> {
    const checker = target.checker;
    if (checker.type !== 'PING_CHECK') return runAttempt(0, signal, (a) => a.finish(false, `not a PING_CHECK: ${checker.type}`));
    const family = familyOf(checker.connect_ip);
    this.sequence = (this.sequence + 1) & 0xffff;
    const id: EchoId = { identifier: this.identifier, sequence: this.sequence };
    return runAttempt(deadlineMs, signal, (attempt) => {
      const n = native();
      const opened = openCheckerSocket(family, SOCK_RAW, family === 'inet' ? IPPROTO_ICMP : IPPROTO_ICMPV6, checker);
      if (!opened.ok) return attempt.finish(false, opened.reason);
      attempt.onFinish(() => n.close(opened.fd));
      attempt.whenAborted(() => attempt.finish(false, `ICMP connection to address ${checker.connect_ip} timeout.`));
      n.startReceiving(opened.fd, (data, source) => {
        const verdict = judgeEchoMessage(family, data, id);
        if (verdict.kind === 'ok' && sameAddress(source, checker.connect_ip)) attempt.finish(true, `echo reply from ${checker.connect_ip}`);
        else if (verdict.kind === 'fail') attempt.finish(false, `${verdict.reason} from ${source}`);
      });
      const ifindex = checker.bind_if !== null ? n.ifindex(checker.bind_if) : 0;
      try {
        n.sendTo(opened.fd, checker.connect_ip.replace(/%.*$/, ''), ifindex, Buffer.from(encodeEchoRequest(family, id)));
      } catch (error) {
        attempt.finish(false, `send ICMP${family === 'inet' ? '' : 'v6'} packet fail (${(error as Error).message})`);
      }
    });
  }
}
