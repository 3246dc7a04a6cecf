/**
 * The ports the control and metrics services take (src/daemon/control-service.ts,
 * metrics-service.ts); src/linux/control-socket.ts and metrics-listener.ts implement them, and
 * the unit tests pass fakes.
 */
import type { Logger } from 'pino';
import type { ProcessSample } from './metrics.js';
import type { SplitItem } from './line-splitter.js';

export interface LineServerOptions {
  /** The Unix socket's path; created mode 0600, a stale socket there is replaced. */
  readonly path: string;
  /** The bytes to write back for one line the client sent (a too-long one included); a promise when the answer takes work (a reload). Never rejects. */
  readonly answer: (item: SplitItem) => string | Promise<string>;
  readonly log: Logger;
}

export interface LineServerStats {
  /** Clients connected now. */
  readonly connected: number;
  readonly accepted: number;
  readonly lines: number;
  /** Clients closed because they did not read their answers or sat idle. */
  readonly dropped: number;
}

export interface LineServer {
  stats(): LineServerStats;
  /** Stops accepting, closes every client and removes the socket file. */
  close(): Promise<void>;
}

export type ListenLines = (options: LineServerOptions) => Promise<LineServer>;

export interface HttpListenerOptions {
  readonly host: string;
  /** 0 asks the kernel for a free port (tests). */
  readonly port: number;
  /** The /metrics body, built afresh for each scrape. */
  readonly metrics: () => string;
  readonly log: Logger;
}

export interface HttpListener {
  /** Where it listens, with the port the kernel chose. */
  readonly address: { readonly host: string; readonly port: number };
  scrapes(): number;
  close(): Promise<void>;
}

export type ListenHttp = (options: HttpListenerOptions) => Promise<HttpListener>;

export type SampleProcess = () => ProcessSample;
