import type { Lateness } from '../../../../src/linux/timers.js';
import type { TimerPort } from '../../../../src/daemon/ports.js';

/** Timers on a clock the test moves: `advance` fires what falls due, in time order, each at its own time. */
export class FakeTimers implements TimerPort {
  private readonly pending = new Map<string, { at: number; fire: (now: number) => void }>();
  readonly lateness: Lateness = { count: 0, maxMs: 0, totalMs: 0 };

  constructor(private time = 1000) {}

  now(): number {
    return this.time;
  }

  arm(name: string, at: number, fire: (now: number) => void): void {
    this.pending.set(name, { at, fire });
  }

  cancel(name: string): void {
    this.pending.delete(name);
  }

  cancelAll(): void {
    this.pending.clear();
  }

  armed(): string[] {
    return [...this.pending.keys()];
  }

  /** Moves the clock by `ms`, firing each timer that falls due; a fired timer may arm others. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const next = [...this.pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (next === undefined) break;
      const [name, timer] = next;
      this.pending.delete(name);
      this.time = Math.max(this.time, timer.at);
      this.lateness.count++;
      timer.fire(this.time);
      await settle();
    }
    this.time = end;
    await settle();
  }

  /** Moves the clock to `at` (not back), as `advance` does. */
  async advanceTo(at: number): Promise<void> {
    await this.advance(Math.max(0, at - this.time));
  }
}

/** Lets queued promise work (the service's action queue) run to completion. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}
