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

interface Armed {
  readonly at: number;
  readonly fire: (now: number) => void;
  readonly slot: number;
}

/** The timers due in one millisecond, behind one Node timer. */
interface Slot<Name> {
  readonly names: Set<Name>;
  handle: NodeJS.Timeout;
}

/**
 * Named one-shot timers at absolute monotonic times, the shell's side of the core's
 * "arm timer X at T" and "cancel timer X" actions. Arming a name again replaces it, so the
 * core never has to cancel before re-arming.
 *
 * Timers due in the same millisecond share one Node timer (a slot, keyed by the first whole
 * millisecond at or after their time): a thousand Masters started together advertise in the
 * same milliseconds, and one Timeout a slot instead of one an instance is a thousand fewer
 * allocations a second (docs/performance.md, VRRP at scale). A slot fires its timers in order of
 * their times, never before any of them.
 */
export class TimerHost<Name extends string = string> {
  private readonly pending = new Map<Name, Armed>();
  private readonly slots = new Map<number, Slot<Name>>();
  readonly lateness: Lateness = { count: 0, maxMs: 0, totalMs: 0 };

  constructor(readonly now: () => number = monotonicMs) {}

  arm(name: Name, at: number, fire: (now: number) => void): void {
    this.cancel(name);
    const slot = Math.ceil(at);
    this.pending.set(name, { at, fire, slot });
    const existing = this.slots.get(slot);
    if (existing !== undefined) existing.names.add(name);
    else this.slots.set(slot, { names: new Set([name]), handle: this.wake(slot) });
  }

  private wake(slot: number): NodeJS.Timeout {
    return setTimeout(() => this.fireSlot(slot), Math.max(0, slot - this.now()));
  }

  private fireSlot(key: number): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    const now = this.now();
    // libuv measures from the loop's cached start-of-iteration time, so a timer set late in a
    // busy iteration can fire before its time: wait out the rest rather than fire early
    if (now < key) {
      slot.handle = this.wake(key);
      return;
    }
    // a timer armed while these fire belongs to a slot of its own, even at this same millisecond
    this.slots.delete(key);
    const due = [...slot.names].map((name) => ({ name, armed: this.pending.get(name)! })).sort((a, b) => a.armed.at - b.armed.at);
    for (const { name, armed } of due) {
      // an earlier one's callback may have cancelled or re-armed this one
      if (this.pending.get(name) !== armed) continue;
      this.pending.delete(name);
      const late = now - armed.at;
      this.lateness.count++;
      this.lateness.totalMs += late;
      this.lateness.maxMs = Math.max(this.lateness.maxMs, late);
      armed.fire(now);
    }
  }

  cancel(name: Name): void {
    const armed = this.pending.get(name);
    if (armed === undefined) return;
    this.pending.delete(name);
    const slot = this.slots.get(armed.slot);
    if (slot === undefined) return;
    slot.names.delete(name);
    if (slot.names.size > 0) return;
    clearTimeout(slot.handle);
    this.slots.delete(armed.slot);
  }

  armed(): Name[] {
    return [...this.pending.keys()];
  }

  cancelAll(): void {
    for (const name of [...this.pending.keys()]) this.cancel(name);
  }
}
