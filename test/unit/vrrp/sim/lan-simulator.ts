import {
  createNode,
  instanceConfig,
  nodeStep,
  type InstanceConfigInput,
  type VrrpAction,
  type VrrpEvent,
  type VrrpNode,
  type VrrpState,
} from '../../../../src/vrrp/index.js';

/**
 * A deterministic LAN of routers that each run the pure VRRP core for one instance, VI_1.
 * Time is a number the simulator advances itself; timers and packet deliveries sit in one
 * queue ordered by (time, insertion), so a run depends only on its inputs and its seed.
 */

export type RouterSpec = Omit<InstanceConfigInput, 'name' | 'primaryAddress'>;

export interface LanOptions {
  readonly routers: readonly RouterSpec[];
  readonly seed: number;
  /** One-way delay of every delivered advert: uniform in [min, max] ms. */
  readonly delayMs?: readonly [number, number];
}

export interface Transition {
  readonly router: number;
  readonly from: VrrpState;
  readonly to: VrrpState;
  readonly at: number;
}

interface Router {
  node: VrrpNode | null;
  holdsVips: boolean;
  /** Timer key -> generation; a queued expiry whose generation is stale is dropped. */
  timers: Map<string, number>;
}

type Job =
  | { kind: 'timer'; router: number; timer: string; gen: number }
  | { kind: 'deliver'; router: number; event: VrrpEvent }
  | { kind: 'control'; run: () => void };

interface Queued {
  at: number;
  seq: number;
  job: Job;
}

/** Binary heap on (at, seq). */
class Agenda {
  private heap: Queued[] = [];
  private seq = 0;
  push(at: number, job: Job): void {
    const h = this.heap;
    h.push({ at, seq: this.seq++, job });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  peek(): Queued | undefined {
    return this.heap[0];
  }
  pop(): Queued | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Queued, b: Queued): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** mulberry32: small, fast, good enough to pick losses and delays reproducibly. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const INSTANCE = 'VI_1';

const MAX_JOBS_PER_RUN = 1_000_000;

export function routerAddress(i: number): string {
  return `10.0.0.${i + 1}`;
}

export class LanSimulator {
  now = 0;
  readonly transitions: Transition[] = [];
  private readonly routers: Router[];
  private readonly agenda = new Agenda();
  private readonly random: () => number;
  private readonly delay: readonly [number, number];
  /** Partition label per router; adverts cross only between equal labels. */
  private side: number[];
  private loss = 0;
  private trackerStatus: Record<string, boolean>[];
  private generation = 0;

  constructor(private readonly options: LanOptions) {
    this.random = prng(options.seed);
    this.delay = options.delayMs ?? [1, 5];
    this.routers = options.routers.map(() => ({ node: null, holdsVips: false, timers: new Map() }));
    this.side = options.routers.map(() => 0);
    this.trackerStatus = options.routers.map(() => ({}));
  }

  config(i: number) {
    return instanceConfig({ ...this.options.routers[i], name: INSTANCE, primaryAddress: routerAddress(i), virtualAddresses: ['10.0.0.100'] });
  }

  get size(): number {
    return this.routers.length;
  }

  /** Boots router i (a fresh process: no memory of earlier runs). */
  start(i: number): void {
    const r = this.routers[i]!;
    if (r.node) return;
    const trackers = Object.fromEntries(Object.entries(this.trackerStatus[i]!).map(([k, v]) => [k, v ? ('up' as const) : ('down' as const)]));
    r.node = createNode([this.config(i)], [], trackers, this.now);
    this.feed(i, { type: 'startup' });
  }

  /** kill -9: the router vanishes with its addresses and sends nothing. */
  crash(i: number): void {
    const r = this.routers[i]!;
    r.node = null;
    r.holdsVips = false;
    r.timers.clear();
  }

  /** SIGTERM: the core shuts down (a Master sends priority 0), then the process is gone. */
  stop(i: number): void {
    if (!this.routers[i]!.node) return;
    this.feed(i, { type: 'shutdown' });
    this.crash(i);
  }

  partition(sides: readonly number[]): void {
    this.side = [...sides];
  }

  heal(): void {
    this.side = this.routers.map(() => 0);
    this.loss = 0;
  }

  setLoss(p: number): void {
    this.loss = p;
  }

  setTracker(i: number, name: string, up: boolean): void {
    this.trackerStatus[i]![name] = up;
    if (this.routers[i]!.node) this.feed(i, { type: 'tracker', name, up });
  }

  schedule(at: number, run: () => void): void {
    this.agenda.push(at, { kind: 'control', run });
  }

  runUntil(t: number): void {
    let budget = MAX_JOBS_PER_RUN;
    for (let q = this.agenda.peek(); q && q.at <= t; q = this.agenda.peek()) {
      // Routers answering each other's adverts without delay would otherwise spin forever.
      if (--budget < 0) throw new Error(`event storm: over ${MAX_JOBS_PER_RUN} events before t=${this.now}`);
      this.agenda.pop();
      this.now = q.at;
      const job = q.job;
      if (job.kind === 'control') job.run();
      else if (job.kind === 'deliver') {
        if (this.routers[job.router]!.node) this.feed(job.router, job.event);
      } else if (this.routers[job.router]!.timers.get(job.timer) === job.gen) {
        this.routers[job.router]!.timers.delete(job.timer);
        this.feed(job.router, { type: 'timer', timer: job.timer as Extract<VrrpEvent, { type: 'timer' }>['timer'] });
      }
    }
    this.now = t;
  }

  isUp(i: number): boolean {
    return this.routers[i]!.node !== null;
  }

  state(i: number): VrrpState | 'DOWN' {
    return this.routers[i]!.node?.instances[INSTANCE]?.state ?? 'DOWN';
  }

  effectivePriority(i: number): number {
    return this.routers[i]!.node?.instances[INSTANCE]?.effectivePriority ?? 0;
  }

  masters(): number[] {
    return this.routers.flatMap((_, i) => (this.state(i) === 'MASTER' ? [i] : []));
  }

  vipHolders(): number[] {
    return this.routers.flatMap((r, i) => (r.holdsVips ? [i] : []));
  }

  private feed(i: number, event: VrrpEvent): void {
    const r = this.routers[i]!;
    if (!r.node) return;
    const result = nodeStep(r.node, INSTANCE, event, this.now);
    r.node = result.node;
    for (const a of result.actions) this.perform(i, a);
  }

  private perform(i: number, a: VrrpAction): void {
    const r = this.routers[i]!;
    switch (a.type) {
      case 'armTimer': {
        const gen = ++this.generation;
        r.timers.set(a.timer, gen);
        this.agenda.push(a.at, { kind: 'timer', router: i, timer: a.timer, gen });
        return;
      }
      case 'cancelTimer':
        r.timers.delete(a.timer);
        return;
      case 'addVips':
        r.holdsVips = true;
        return;
      case 'removeVips':
        r.holdsVips = false;
        return;
      case 'sendAdvert':
        this.multicast(i, a.priority, a.advertIntervalMs);
        return;
      case 'transition':
        this.transitions.push({ router: i, from: a.from, to: a.to, at: a.at });
        return;
      default:
        return;
    }
  }

  private multicast(from: number, priority: number, advertIntervalMs: number): void {
    const [lo, hi] = this.delay;
    for (let j = 0; j < this.routers.length; j++) {
      if (j === from || this.side[j] !== this.side[from]) continue;
      if (this.loss > 0 && this.random() < this.loss) continue;
      const at = this.now + lo + (hi - lo) * this.random();
      const event: VrrpEvent = { type: 'advert', source: routerAddress(from), priority, advertIntervalMs };
      this.agenda.push(at, { kind: 'deliver', router: j, event });
    }
  }
}
