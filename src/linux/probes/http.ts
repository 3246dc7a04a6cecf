/**
 * HTTP_GET and SSL_GET: one GET of one url over a fresh connection, read to the end of the
 * stream and judged by src/check/http-response.ts. connect_timeout covers the whole exchange.
 * Failures carry keepalived's timeout_epilog() words (check_http.c) as their reason.
 */
import type { Socket } from 'node:net';
import { HttpResponseReader, type HttpExpectations, type HttpVerdict } from '../../check/http-response.js';
import { sniName, urlExpectations, urlRequest, type HttpChecker } from '../../check/http-url.js';
import type { ProbeResult, ProbeTarget, Prober } from '../../check/probe.js';
import { isFailure, withConnection, type ExchangeFailure, type ExchangeIo, type TlsOptions } from './connect.js';

/** The SSL block's client certificate, key, password and CA, read; or why they could not be. */
export type ClientTls = Omit<TlsOptions, 'servername'> | { readonly error: string };

const UNREACHABLE = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN']);

/** keepalived's words for a failed step (http_check_thread(), http_read_thread(), ssl_read_thread()). */
export function failureReason(f: ExchangeFailure, ssl: boolean): string {
  const timeout = f.code === 'TIMEOUT';
  switch (f.step) {
    case 'connect':
      // layer4.c socket_state()/socket_bind_connect(): a refused or reset connection is connect_fail;
      // an unreachable network fails at connect(); a bind that cannot be made is connect_error,
      // which keepalived reschedules for ever (its issues 1637/1679) and we count as a failure
      if (timeout || f.code === 'ETIMEDOUT') return 'Timeout connecting';
      if (UNREACHABLE.has(f.code)) return 'HTTP/SSL_CHECK - network unreachable';
      if (f.code === 'EADDRNOTAVAIL' || f.code === 'EADDRINUSE' || f.code === 'EINVAL' || f.code === 'EBIND') return 'Error connecting';
      return 'Connection failed';
    case 'tls':
      return timeout ? 'Timeout connecting' : 'SSL handshake/communication error connecting to';
    case 'write':
      return timeout ? 'Timeout WEB read' : 'Cannot send get request to';
    case 'read':
      if (timeout) return ssl ? 'Timeout SSL read' : 'Timeout HTTP read';
      return ssl ? 'SSL read error from' : 'Read error with';
  }
}

export class HttpProber implements Prober {
  private readonly regexes = new WeakMap<object, RegExp | null>();

  /** `client`: what SSL_GET presents (check_ssl.c init_ssl_ctx()); none without an SSL block. */
  constructor(private readonly client: ClientTls = {}) {}

  async probe(target: ProbeTarget, deadlineMs: number, signal: AbortSignal): Promise<ProbeResult> {
    const started = performance.now();
    const checker = target.checker as HttpChecker;
    const url = checker.url[target.url ?? 0];
    // check_http.c http_connect_thread(): with no url the server is enabled without checking
    if (url === undefined) return { ok: true, reason: 'no url', latencyMs: 0 };
    const ssl = checker.type === 'SSL_GET';
    if (ssl && 'error' in this.client) return { ok: false, reason: 'SSL handshake/communication error connecting to', detail: this.client.error, latencyMs: 0 };
    const expect = urlExpectations(url, this.regex(url));
    const tls = ssl ? { servername: sniName(checker, url), ...this.client } : null;
    const r = await withConnection(checker, tls, deadlineMs, signal, (socket, io) => exchange(socket, urlRequest(checker, url), io, expect));
    const latencyMs = performance.now() - started;
    if (isFailure(r)) return { ok: false, reason: failureReason(r, ssl), detail: r.detail ?? r.code, latencyMs };
    const detail = r.lengthMismatch
      ? `HTTP status ${r.status}, content_length (${r.lengthMismatch.contentLength}) does not match received bytes (${r.lengthMismatch.received})`
      : `HTTP status ${r.status}`;
    return { ok: r.ok, reason: r.reason, detail, latencyMs };
  }

  private regex(url: { readonly regex: string | null }): RegExp | null {
    let re = this.regexes.get(url);
    if (re === undefined) {
      try {
        re = url.regex === null ? null : new RegExp(url.regex);
      } catch {
        // keepalived rejects the pattern at config time; here it simply never matches
        re = /(?!)/;
      }
      this.regexes.set(url, re);
    }
    return re;
  }
}

/** Sends the request and reads until the server closes the stream. */
export function exchange(socket: Socket, request: string, io: ExchangeIo, expect: HttpExpectations): Promise<HttpVerdict> {
  return new Promise((resolve) => {
    const reader = new HttpResponseReader();
    socket.write(request, (error) => {
      if (error) io.fail((error as NodeJS.ErrnoException).code ?? 'EIO');
      else io.reading();
    });
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.once('end', () => resolve(reader.finish(expect)));
  });
}
