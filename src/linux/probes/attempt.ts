import type { ProbeResult } from '../../check/probe.js';

type ResultExtra = Pick<ProbeResult, 'weight' | 'weightDelta'>;

/** Builds results whose latency counts from now, for probers that need no deadline of their own. */
export function resultClock(): (ok: boolean, reason: string, extra?: ResultExtra) => ProbeResult {
  const started = performance.now();
  return (ok, reason, extra = {}) => ({ ok, reason, latencyMs: performance.now() - started, ...extra });
}

/**
 * One probe attempt's clock: connect_timeout is one deadline for the whole exchange (keepalived
 * re-arms its timeout for every read, its issue 1822, so a server trickling bytes is never timed
 * out there). `signal` fires at the deadline or when the caller aborts; `finish` settles the
 * attempt once, whatever fires first, and runs the adapter's cleanup.
 */
export class Attempt {
  private readonly result = resultClock();
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private settled = false;
  private cleanups: (() => void)[] = [];
  /** Removed when the attempt settles: the caller's signal lives as long as its check, not one attempt. */
  private readonly onOuterAbort = (): void => this.controller.abort();

  constructor(
    deadlineMs: number,
    private readonly outer: AbortSignal,
    private readonly resolve: (result: ProbeResult) => void,
  ) {
    this.timer = setTimeout(() => this.controller.abort(), Math.max(0, deadlineMs));
    if (outer.aborted) this.controller.abort();
    else outer.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  /** Aborted at the deadline or by the caller. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The deadline passed (as opposed to the caller aborting). */
  get expired(): boolean {
    return this.controller.signal.aborted && !this.outer.aborted;
  }

  get done(): boolean {
    return this.settled;
  }

  /** Runs when the attempt settles: close sockets, kill processes. */
  onFinish(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  /** Settles with the outcome; later calls are ignored. */
  finish(ok: boolean, reason: string, extra: ResultExtra = {}): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.outer.removeEventListener('abort', this.onOuterAbort);
    for (const cleanup of this.cleanups) {
      try {
        cleanup();
      } catch {
        // a socket already closed by its peer or a process already reaped
      }
    }
    this.cleanups = [];
    this.resolve(this.result(ok, reason, extra));
  }

  /** Settles when the signal fires: `onExpiry` says what the deadline means for this check. */
  whenAborted(onExpiry: () => void): void {
    const fire = (): void => {
      if (this.expired) onExpiry();
      else this.finish(false, 'aborted');
    };
    if (this.signal.aborted) fire();
    else this.signal.addEventListener('abort', fire, { once: true });
  }
}

/** Runs `body` with a fresh attempt and resolves with its result; a throw inside is a failure, never a rejection. */
export function runAttempt(deadlineMs: number, signal: AbortSignal, body: (attempt: Attempt) => void): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const attempt = new Attempt(deadlineMs, signal, resolve);
    try {
      body(attempt);
    } catch (error) {
      attempt.finish(false, `internal error: ${(error as Error).message}`);
    }
  });
}
