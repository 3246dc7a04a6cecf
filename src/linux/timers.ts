/** Milliseconds on a monotonic clock: what the pure core is given as "now". */
export function monotonicMs(): number {
  return performance.now();
}

/** How late timers fired: the core assumes "at T" means at T, so lateness is a health signal. */
export interface Lateness {
  count: number;
  maxMs: number;
  totalMs: number;
}

/**
 * Named one-shot timers at absolute monotonic times, the shell's side of the core's
 * "arm timer X at T" and "cancel timer X" actions. Arming a name again replaces it, so the
 * core never has to cancel before re-arming.
 */
export class TimerHost<Name extends string = string> {
  private readonly pending = new Map<Name, NodeJS.Timeout>();
  readonly lateness: Lateness = { count: 0, maxMs: 0, totalMs: 0 };

  constructor(readonly now: () => number = monotonicMs) {}

  arm(name: Name, at: number, fire: (now: number) => void): void {
    this.cancel(name);
    const wait = (): void => {
      const handle = setTimeout(() => {
        const now = this.now();
        // libuv measures from the loop's cached start-of-iteration time, so a timer set late
        // in a busy iteration can fire before `at`: wait out the rest rather than fire early
        if (now < at) {
          wait();
          return;
        }
        this.pending.delete(name);
        const late = now - at;
        this.lateness.count++;
        this.lateness.totalMs += late;
        this.lateness.maxMs = Math.max(this.lateness.maxMs, late);
        fire(now);
      }, Math.max(0, Math.ceil(at - this.now())));
      this.pending.set(name, handle);
    };
    wait();
  }

  cancel(name: Name): void {
    const handle = this.pending.get(name);
    if (handle === undefined) return;
    clearTimeout(handle);
    this.pending.delete(name);
  }

  armed(): Name[] {
    return [...this.pending.keys()];
  }

  cancelAll(): void {
    for (const name of [...this.pending.keys()]) this.cancel(name);
  }
}
