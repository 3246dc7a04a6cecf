/**
 * The checker service's timer host: the same named one-shot timers as TimerHost (timers.ts), but
 * all of them in one binary heap under a single Node timer. TimerHost shares a Node Timeout
 * among the timers due in one millisecond, which suits VRRP's instances that start together;
 * checks are spread over their interval, so at 10,000 a second nearly every arm would make a
 * Timeout of its own, a measurable share of the checker's CPU and of its garbage. Here an arm is
 * a heap insert or a key change in place. Equal times fire in the order they were armed, as
 * Node's timers do.
 */
import { monotonicMs, type Lateness } from './timers.js';

/**
 * How long one drain may fire timers before it lets the loop poll. Thousands of checks due at
 * once (a start-up that ran late, a slow machine) would otherwise hold the loop for seconds, and
 * a reply another service waits for (a netlink answer with its own deadline) would be read only
 * after that deadline had passed.
 */
export const DRAIN_BUDGET_MS = 20;

interface Entry<Name> {
  readonly name: Name;
  at: number;
  /** Arm order: breaks ties between equal times, and keeps one drain from firing what it armed. */
  seq: number;
  fire: (now: number) => void;
  /** Its place in the heap. */
  index: number;
}

export class TimerQueue<Name extends string = string> {
  private readonly heap: Entry<Name>[] = [];
  private readonly byName = new Map<Name, Entry<Name>>();
  private seq = 0;
  private handle: NodeJS.Timeout | undefined;
  /** When the Node timer is set to fire; Infinity when it is not set. */
  private handleAt = Infinity;
  readonly lateness: Lateness = { count: 0, maxMs: 0, totalMs: 0 };

  constructor(readonly now: () => number = monotonicMs) {}

  arm(name: Name, at: number, fire: (now: number) => void): void {
    const entry = this.byName.get(name);
    if (entry) {
      const earlier = at < entry.at;
      entry.at = at;
      entry.seq = this.seq++;
      entry.fire = fire;
      if (earlier) this.up(entry.index);
      else this.down(entry.index);
    } else {
      const added: Entry<Name> = { name, at, seq: this.seq++, fire, index: this.heap.length };
      this.byName.set(name, added);
      this.heap.push(added);
      this.up(added.index);
    }
    this.schedule();
  }

  cancel(name: Name): void {
    const entry = this.byName.get(name);
    if (entry) this.remove(entry);
  }

  armed(): Name[] {
    return [...this.byName.keys()];
  }

  cancelAll(): void {
    this.heap.length = 0;
    this.byName.clear();
    clearTimeout(this.handle);
    this.handle = undefined;
    this.handleAt = Infinity;
  }

  /** Sets the one Node timer for the earliest entry, unless it is already set for then or sooner. */
  private schedule(): void {
    const first = this.heap[0];
    if (first === undefined || first.at >= this.handleAt) return;
    clearTimeout(this.handle);
    this.handleAt = first.at;
    this.handle = setTimeout(() => this.drain(), Math.max(0, Math.ceil(first.at - this.now())));
  }

  /**
   * Fires every entry that is due, earliest first. libuv measures from the loop's cached time, so
   * the timer can fire before the earliest `at`: what is not due yet waits, never fires early.
   * What a callback arms for now waits for the next drain (as Node's setTimeout(0) would), and
   * after DRAIN_BUDGET_MS the rest waits for the next loop iteration.
   */
  private drain(): void {
    this.handle = undefined;
    this.handleAt = Infinity;
    const armedBefore = this.seq;
    const until = this.now() + DRAIN_BUDGET_MS;
    for (;;) {
      const first = this.heap[0];
      if (first === undefined || first.seq >= armedBefore) break;
      const now = this.now();
      if (first.at > now) break;
      if (now > until) {
        this.handleAt = first.at;
        this.handle = setTimeout(() => this.drain(), 0);
        return;
      }
      this.remove(first);
      const late = now - first.at;
      this.lateness.count++;
      this.lateness.totalMs += late;
      this.lateness.maxMs = Math.max(this.lateness.maxMs, late);
      first.fire(now);
    }
    this.schedule();
  }

  private remove(entry: Entry<Name>): void {
    this.byName.delete(entry.name);
    const last = this.heap.pop()!;
    if (last === entry) return;
    last.index = entry.index;
    this.heap[last.index] = last;
    this.up(last.index);
    this.down(last.index);
  }

  private before(a: Entry<Name>, b: Entry<Name>): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    const entry = h[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(entry, h[parent]!)) break;
      h[i] = h[parent]!;
      h[i]!.index = i;
      i = parent;
    }
    h[i] = entry;
    entry.index = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const entry = h[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= h.length) break;
      if (child + 1 < h.length && this.before(h[child + 1]!, h[child]!)) child++;
      if (!this.before(h[child]!, entry)) break;
      h[i] = h[child]!;
      h[i]!.index = i;
      i = child;
    }
    h[i] = entry;
    entry.index = i;
  }
}
