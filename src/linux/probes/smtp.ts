import { Socket } from 'node:net';
import { addressPair } from '../../check/address-pair.js';
import type { Prober, ProbeResult, ProbeTarget } from '../../check/probe.js';
import { SmtpLineReader, smtpStep, type SmtpStage } from '../../check/smtp.js';
import { SOCK_STREAM } from '../native.js';
import { runAttempt } from './attempt.js';
import { familyOf } from '../../net/ip-address.js';
import { openCheckerSocket } from './checker-socket.js';

/** keepalived's SMTP_DEFAULT_HELO, sent when the checker names no helo_name. */
export const SMTP_DEFAULT_HELO = 'smtpchecker.keepalived.org';

/**
 * SMTP_CHECK over TCP: connect (with the common socket options), then the dialogue of
 * src/check/smtp.ts, all within one deadline. Reasons are keepalived's smtp_final() texts, which
 * it logs behind "SMTP_CHECK ".
 */
export class SmtpProber implements Prober {
  probe(target: ProbeTarget, deadlineMs: number, signal: AbortSignal): Promise<ProbeResult> {
    const checker = target.checker;
    if (checker.type !== 'SMTP_CHECK') return runAttempt(0, signal, (a) => a.finish(false, `not an SMTP_CHECK: ${checker.type}`));
    const server = addressPair(checker.connect_ip, checker.connect_port);
    const helo = checker.helo_name ?? SMTP_DEFAULT_HELO;
    return runAttempt(deadlineMs, signal, (attempt) => {
      const opened = openCheckerSocket(familyOf(checker.connect_ip), SOCK_STREAM, 0, checker);
      if (!opened.ok) return attempt.finish(false, opened.reason);
      const socket = new Socket({ fd: opened.fd, readable: true, writable: true });
      attempt.onFinish(() => socket.destroy());
      let connected = false;
      let stage: SmtpStage = 'banner';
      const reader = new SmtpLineReader();
      attempt.whenAborted(() => attempt.finish(false, connected ? `Read timeout from server ${server}` : `Connection timeout to server ${server}`));
      socket.on('connect', () => (connected = true));
      socket.on('error', () => {
        const what = connected ? `Read failure from server ${server}` : `Error connecting to server ${server}`;
        attempt.finish(false, what);
      });
      socket.on('close', () => attempt.finish(false, `Read failure from server ${server}`));
      socket.on('data', (chunk: Buffer) => {
        const line = reader.push(chunk);
        if (line === undefined || attempt.done) return;
        const step = smtpStep(stage, line, helo, server);
        if (step.kind === 'fail') return attempt.finish(false, step.reason);
        if (step.kind === 'done') return attempt.finish(true, `HELO accepted by server ${server}`);
        stage = step.next;
        socket.write(step.line);
      });
      socket.connect(checker.connect_port, checker.connect_ip);
    });
  }
}
