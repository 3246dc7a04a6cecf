/**
 * The port between the pure checker scheduler and the Linux adapters that touch the network,
 * processes and files (src/linux/probes/). The scheduler asks for one attempt of one check; the
 * adapter runs it within `deadlineMs` (connect_timeout covers the whole exchange, not each read)
 * and always resolves, never rejects: a failure is a result with its reason.
 */
import type { Checker } from '../config/model.js';

export interface ProbeResult {
  readonly ok: boolean;
  /** Why it failed, or what succeeded, in keepalived's words where it logs them. */
  readonly reason: string;
  readonly latencyMs: number;
  /** What the system said, for logs and status: ECONNREFUSED, TIMEOUT, `HTTP status 503`. */
  readonly detail?: string;
  /** MISC_CHECK with misc_dynamic: exit code − 2 for codes 2..255. */
  readonly weight?: number;
  /**
   * FILE_CHECK: added to the real server's configured weight while up (the track_file value ×
   * weight), where misc_dynamic's `weight` replaces it.
   */
  readonly weightDelta?: number;
}

/** Where and how to probe: the checker's settings with inheritance and defaults applied. */
export interface ProbeTarget {
  readonly checker: Checker;
  /** The real server's address and port (connect_ip / connect_port override them in `checker`). */
  readonly ip: string;
  readonly port: number;
  /** HTTP_GET/SSL_GET: which of `checker.url` to fetch (they are checked one at a time, in turn). */
  readonly url?: number;
}

/** Told the result of one attempt. */
export type ProbeDone = (result: ProbeResult) => void;

export interface Prober {
  /** One attempt. `signal` aborts it (the daemon is stopping or the checker was removed). */
  probe(target: ProbeTarget, deadlineMs: number, signal: AbortSignal): Promise<ProbeResult>;
  /**
   * The same attempt without a promise, for probers that run thousands a second (TCP_CHECK):
   * `done` is called once, never before `start` returns. The checker service uses it when there.
   */
  start?(target: ProbeTarget, deadlineMs: number, signal: AbortSignal, done: ProbeDone): void;
}
