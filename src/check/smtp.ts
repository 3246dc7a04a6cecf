/**
 * SMTP_CHECK's dialogue (keepalived check_smtp.c smtp_engine_thread): wait for the "220"
 * greeting, send `HELO <helo_name>`, expect "250", send `QUIT`, and take any line after it as
 * success. Bytes in, bytes out; the adapter owns the socket and the deadline.
 */

/** What the checker waits for next. */
export type SmtpStage = 'banner' | 'helo' | 'quit';

export type SmtpStep = { readonly kind: 'send'; readonly line: string; readonly next: SmtpStage } | { readonly kind: 'done' } | { readonly kind: 'fail'; readonly reason: string };

/** keepalived's SMTP_BUFF_MAX: a longer line without a newline is thrown away and reading goes on. */
export const SMTP_LINE_MAX = 512;

/**
 * The reply code of a line as smtp_get_status() reads it: exactly three digits followed by a
 * space or the end of the line, else -1. So "220-" (a multi-line greeting) and "220\r" do not
 * count, exactly as in keepalived.
 */
export function smtpStatus(line: string): number {
  const m = /^(\d{3})(?: |$)/.exec(line);
  return m ? Number(m[1]) : -1;
}

export function smtpStep(stage: SmtpStage, line: string, heloName: string, server: string): SmtpStep {
  switch (stage) {
    case 'banner':
      if (smtpStatus(line) !== 220) return { kind: 'fail', reason: `Bad greeting banner from server ${server}` };
      return { kind: 'send', line: `HELO ${heloName}\r\n`, next: 'helo' };
    case 'helo':
      if (smtpStatus(line) !== 250) return { kind: 'fail', reason: `Bad HELO response from server ${server}` };
      return { kind: 'send', line: 'QUIT\r\n', next: 'quit' };
    case 'quit':
      return { kind: 'done' };
  }
}

/**
 * Collects bytes until a newline, as smtp_get_line_cb() does: the line is everything before the
 * first '\n' of what has arrived, and whatever came after it in the same read is dropped, since
 * keepalived clears its buffer before each line it waits for.
 */
export class SmtpLineReader {
  private pending = '';

  /** The completed line, or undefined while it is still incomplete. */
  push(chunk: Uint8Array): string | undefined {
    this.pending += new TextDecoder('latin1').decode(chunk);
    const newline = this.pending.indexOf('\n');
    if (newline >= 0) {
      const line = this.pending.slice(0, newline);
      this.pending = '';
      return line;
    }
    if (this.pending.length >= SMTP_LINE_MAX - 1) this.pending = '';
    return undefined;
  }
}
