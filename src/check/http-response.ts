/**
 * Reads an HTTP response as it arrives and judges it the way keepalived does (check_http.c
 * http_process_response(), http_handle_response(); lib/html.c). Pure: bytes in, a verdict out.
 *
 * - The header ends at the first CRLFCRLF; nothing before the end of the stream without one is
 *   "no data received".
 * - The status code is the three digits after the first space of the status line (0 if not).
 * - `Content-Length:` (exactly so spelled) caps what the MD5 digest covers; the body is hashed
 *   as it streams, so the digest is genhash's.
 * - The regex (a JavaScript RegExp here, keepalived uses PCRE2) is matched against the body,
 *   starting at regex_min_offset, and a match must start before regex_max_offset.
 */
import { createHash, type Hash } from 'node:crypto';

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = 'Content-Length:';
/** How much of the body is kept for a regex without regex_max_offset (keepalived scans it all in 4 KiB steps). */
export const REGEX_BODY_LIMIT = 1 << 20;

export interface HttpExpectations {
  readonly digest: string | null;
  readonly regex: RegExp | null;
  readonly regexNoMatch: boolean;
  readonly regexMinOffset: number;
  readonly regexMaxOffset: number;
  /** Inclusive ranges of accepted status codes. */
  readonly statusCodes: readonly (readonly [number, number])[];
}

export interface HttpVerdict {
  readonly ok: boolean;
  /** keepalived's words: the failure text of timeout_epilog(), or what passed. */
  readonly reason: string;
  readonly status: number;
  /** Hex MD5 of the body (capped at Content-Length), or null when nothing was received. */
  readonly digest: string | null;
  /** Content-Length and the body bytes received, when they differ. */
  readonly lengthMismatch: { readonly contentLength: number; readonly received: number } | null;
}

export class HttpResponseReader {
  private head: Buffer = Buffer.alloc(0);
  private headerDone = false;
  private status = 0;
  private contentLength: number | null = null;
  private received = 0;
  private readonly md5: Hash = createHash('md5');
  private body: Buffer[] = [];
  private kept = 0;

  constructor(private readonly keepLimit = REGEX_BODY_LIMIT) {}

  push(chunk: Buffer): void {
    if (this.headerDone) {
      this.addBody(chunk);
      return;
    }
    this.head = Buffer.concat([this.head, chunk]);
    const end = this.head.indexOf(CRLFCRLF);
    if (end < 0) return;
    this.headerDone = true;
    const header = this.head.subarray(0, end + 4).toString('latin1');
    this.status = statusCode(header);
    this.contentLength = contentLength(header);
    const rest = this.head.subarray(end + 4);
    this.head = Buffer.alloc(0);
    this.addBody(rest);
  }

  private addBody(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const cap = this.contentLength === null ? chunk.length : Math.max(0, Math.min(chunk.length, this.contentLength - this.received));
    if (cap > 0) this.md5.update(chunk.subarray(0, cap));
    this.received += chunk.length;
    if (this.kept < this.keepLimit) {
      const part = chunk.subarray(0, this.keepLimit - this.kept);
      this.body.push(part);
      this.kept += part.length;
    }
  }

  /** The stream ended cleanly; judge it. */
  finish(expect: HttpExpectations): HttpVerdict {
    const digest = this.headerDone ? this.md5.digest('hex') : null;
    const lengthMismatch = this.headerDone && this.contentLength !== null && this.contentLength !== this.received ? { contentLength: this.contentLength, received: this.received } : null;
    const verdict = (ok: boolean, reason: string): HttpVerdict => ({ ok, reason, status: this.status, digest, lengthMismatch });
    if (!this.headerDone) return verdict(false, 'Read, no data received from ');
    if (!expect.statusCodes.some(([low, high]) => this.status >= low && this.status <= high)) return verdict(false, 'HTTP status code error to');
    let passed = 'HTTP status code';
    if (expect.digest !== null) {
      if (digest !== expect.digest.toLowerCase()) return verdict(false, 'MD5 digest error to');
      passed = 'MD5 digest';
    }
    if (expect.regex !== null) {
      if (this.regexMatches(expect) === expect.regexNoMatch) return verdict(false, 'Regex match failed');
      passed = 'Regex match';
    }
    return verdict(true, passed);
  }

  private regexMatches(expect: HttpExpectations): boolean {
    const text = Buffer.concat(this.body).toString('latin1');
    const re = new RegExp(expect.regex!.source, expect.regex!.flags.replace('g', '') + 'g');
    re.lastIndex = expect.regexMinOffset;
    const m = re.exec(text);
    return m !== null && (expect.regexMaxOffset === 0 || m.index < expect.regexMaxOffset);
  }
}

/** lib/html.c extract_status_code(): `HTTP/1.x NNN ` with exactly three digits. */
export function statusCode(header: string): number {
  const m = /^[^ \r]* (\d{3}) /.exec(header);
  return m ? Number(m[1]) : 0;
}

/** lib/html.c extract_content_length(): the number after `Content-Length:`, up to CR or LF. */
export function contentLength(header: string): number | null {
  const at = header.indexOf(CONTENT_LENGTH);
  if (at < 0) return null;
  const m = /^[ \t]*(\d+)(?=\r|\n|$)/.exec(header.slice(at + CONTENT_LENGTH.length));
  return m ? Number(m[1]) : null;
}
