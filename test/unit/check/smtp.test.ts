import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmtpLineReader, smtpStatus, smtpStep } from '../../../src/check/smtp.js';

const server = '[192.0.2.25]:25';

describe('SMTP_CHECK dialogue (keepalived smtp_engine_thread)', () => {
  it('greets with HELO after 220, QUITs after 250, and is done at the next line', () => {
    expect(smtpStep('banner', '220 mail.example ESMTP', 'lb1', server)).toEqual({ kind: 'send', line: 'HELO lb1\r\n', next: 'helo' });
    expect(smtpStep('helo', '250 mail.example', 'lb1', server)).toEqual({ kind: 'send', line: 'QUIT\r\n', next: 'quit' });
    expect(smtpStep('quit', '221 bye', 'lb1', server)).toEqual({ kind: 'done' });
    expect(smtpStep('quit', 'anything', 'lb1', server)).toEqual({ kind: 'done' });
  });

  it("fails a bad banner or HELO answer with keepalived's words", () => {
    expect(smtpStep('banner', '554 go away', 'x', server)).toEqual({ kind: 'fail', reason: 'Bad greeting banner from server [192.0.2.25]:25' });
    expect(smtpStep('helo', '501 syntax', 'x', server)).toEqual({ kind: 'fail', reason: 'Bad HELO response from server [192.0.2.25]:25' });
  });

  it('reads a status as smtp_get_status does: three digits then a space or the end', () => {
    expect(smtpStatus('220 hi')).toBe(220);
    expect(smtpStatus('220')).toBe(220);
    expect(smtpStatus('220-multi')).toBe(-1);
    expect(smtpStatus('220\r')).toBe(-1);
    expect(smtpStatus('2200 x')).toBe(-1);
    expect(smtpStatus('')).toBe(-1);
  });

  it('collects a line across reads and drops what followed its newline', () => {
    const reader = new SmtpLineReader();
    expect(reader.push(Buffer.from('220 mail'))).toBeUndefined();
    expect(reader.push(Buffer.from('.example\r\n250 early'))).toBe('220 mail.example\r');
    expect(reader.push(Buffer.from('250 ok\n'))).toBe('250 ok');
  });

  it('never throws on random lines and only 220 passes the banner', () => {
    fc.assert(
      fc.property(fc.string(), (line) => {
        const step = smtpStep('banner', line, 'x', server);
        expect(step.kind === 'send').toBe(smtpStatus(line) === 220);
      }),
    );
  });
});
