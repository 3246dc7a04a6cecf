import {
  createNode,
  instanceConfig,
  nodeStep,
  nodeStopped,
  type InstanceConfigInput,
  type VrrpAction,
  type VrrpEvent,
  type VrrpNode,
  type VrrpState,
} from '../../../../src/vrrp/index.js';

/**
 * A deterministic LAN of routers that each run the pure VRRP core for the same instances
 * (VI_1, VI_2, ...; one VRID each), optionally joined in one vrrp_sync_group.
 * Time is a number the simulator advances itself; timers and packet deliveries sit in one
 * queue ordered by (time, insertion), so a run depends only on its inputs and its seed.
 */

export type RouterSpec = Omit<InstanceConfigInput, 'name' | 'primaryAddress'>;

export interface LanOptions {
  readonly routers: readonly RouterSpec[];
  readonly seed: number;
  /** How many instances every router runs (default 1). */
  readonly instances?: number;
  /** Put every router's instances in one vrrp_sync_group. */
  readonly syncGroup?: boolean;

  /** One-way delay of every delivered advert: uniform in [min, max] ms. */
  readonly delayMs?: readonly [number, number];
}

export interface Transition {
  readonly router: number;
  readonly instance: string;
  readonly from: VrrpState;
  readonly to: VrrpState;
  readonly at: number;
}

/** A router took (held) or dropped an instance's VIPs; `crash` drops them all. */
export interface VipChange {
  readonly router: number;
  readonly instance: string;
  readonly held: boolean;
  readonly at: number;
}

interface Router {
  node: VrrpNode | null;
  /** Shut down, still feeding its core events until nodeStopped (the Master's hand-over). */
  stopping: boolean;
  /** Started while still stopping: boots once the stop has finished, as a service restart does. */
  restartPending: boolean;
  /** Instances whose VIPs this router holds. */
  vips: Set<string>;
  /** "instance/timer" -> generation; a queued expiry whose generation is stale is dropped. */
  timers: Map<string, number>;
}

type TimerName = Extract<VrrpEvent, { type: 'timer' }>['timer'];

type Job =
  | { kind: 'timer'; router: number; instance: string; timer: TimerName; gen: number }
  | { kind: 'deliver'; router: number; instance: string; event: VrrpEvent }
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

export function instanceName(k: number): string {
  return `VI_${k + 1}`;
}

export class LanSimulator {
  now = 0;
  readonly transitions: Transition[] = [];
  readonly vipChanges: VipChange[] = [];
  readonly instances: readonly string[];
  private readonly routers: Router[];
  private readonly agenda = new Agenda();
  private readonly random: () => number;
  private readonly delay: readonly [number, number];
  /** Partition label per instance and router; adverts cross only between equal labels. */
  private sides: number[][];
  private loss = 0;
  private trackerStatus: Record<string, boolean>[];
  private generation = 0;

  constructor(private readonly options: LanOptions) {
    this.random = prng(options.seed);
    this.delay = options.delayMs ?? [1, 5];
    this.instances = Array.from({ length: options.instances ?? 1 }, (_, k) => instanceName(k));
    this.routers = options.routers.map(() => ({ node: null, stopping: false, restartPending: false, vips: new Set(), timers: new Map() }));
    this.sides = this.instances.map(() => options.routers.map(() => 0));
    this.trackerStatus = options.routers.map(() => ({}));
  }

  config(i: number, k = 0) {
    return instanceConfig({
      ...this.options.routers[i],
      name: instanceName(k),
      vrid: k + 1,
      primaryAddress: routerAddress(i),
      virtualAddresses: [`10.0.${100 + k}.100`],
    });
  }

  get size(): number {
    return this.routers.length;
  }

  /** Boots router i (a fresh process: no memory of earlier runs). */
  start(i: number): void {
    const r = this.routers[i]!;
    if (r.stopping) r.restartPending = true;
    if (r.node) return;
    const trackers = Object.fromEntries(Object.entries(this.trackerStatus[i]!).map(([k, v]) => [k, v ? ('up' as const) : ('down' as const)]));
    const configs = this.instances.map((_, k) => this.config(i, k));
    const groups = this.options.syncGroup ? [{ name: 'G', members: this.instances, notify: {} }] : [];
    r.node = createNode(configs, groups, trackers, this.now);
    for (const name of this.instances) this.feed(i, name, { type: 'startup' });
  }

  /** kill -9: the router vanishes with its addresses and sends nothing. */
  crash(i: number): void {
    const r = this.routers[i]!;
    for (const instance of r.vips) this.vipChanges.push({ router: i, instance, held: false, at: this.now });
    r.node = null;
    r.stopping = false;
    r.restartPending = false;
    r.vips.clear();
    r.timers.clear();
  }

  /**
   * SIGTERM: the core shuts down; the process keeps feeding it adverts and timers until every
   * instance is STOP (a Master hands its VIPs over first), then it is gone.
   */
  stop(i: number): void {
    const r = this.routers[i]!;
    if (!r.node || r.stopping) return;
    r.stopping = true;
    for (const name of this.instances) this.feed(i, name, { type: 'shutdown' });
    this.exitIfStopped(i);
  }

  private exitIfStopped(i: number): void {
    const r = this.routers[i]!;
    if (!r.stopping || !r.node || !nodeStopped(r.node)) return;
    if (r.vips.size > 0) throw new Error(`router ${i} stopped still holding the VIPs of ${[...r.vips].join(', ')}`);
    const restart = r.restartPending;
    this.crash(i);
    if (restart) this.start(i);
  }

  /** Splits the LAN: `sides[i]` is router i's side; with `instance`, only that VRID's traffic. */
  partition(sides: readonly number[], instance?: number): void {
    this.sides = this.sides.map((old, k) => (instance === undefined || instance === k ? [...sides] : old));
  }

  heal(): void {
    this.sides = this.instances.map(() => this.routers.map(() => 0));
    this.loss = 0;
  }

  setLoss(p: number): void {
    this.loss = p;
  }

  setTracker(i: number, name: string, up: boolean): void {
    this.trackerStatus[i]![name] = up;
    if (this.routers[i]!.node) for (const inst of this.instances) this.feed(i, inst, { type: 'tracker', name, up });
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
      else if (job.kind === 'deliver') this.feed(job.router, job.instance, job.event);
      else {
        const timers = this.routers[job.router]!.timers;
        const key = `${job.instance}/${job.timer}`;
        if (timers.get(key) !== job.gen) continue;
        timers.delete(key);
        this.feed(job.router, job.instance, { type: 'timer', timer: job.timer });
      }
    }
    this.now = t;
  }

  isUp(i: number): boolean {
    return this.routers[i]!.node !== null;
  }

  state(i: number, instance = INSTANCE): VrrpState | 'DOWN' {
    return this.routers[i]!.node?.instances[instance]?.state ?? 'DOWN';
  }

  effectivePriority(i: number, instance = INSTANCE): number {
    return this.routers[i]!.node?.instances[instance]?.effectivePriority ?? 0;
  }

  masters(instance = INSTANCE): number[] {
    return this.routers.flatMap((_, i) => (this.state(i, instance) === 'MASTER' ? [i] : []));
  }

  vipHolders(instance = INSTANCE): number[] {
    return this.routers.flatMap((r, i) => (r.vips.has(instance) ? [i] : []));
  }

  private feed(i: number, instance: string, event: VrrpEvent): void {
    const r = this.routers[i]!;
    if (!r.node) return;
    const result = nodeStep(r.node, instance, event, this.now);
    r.node = result.node;
    for (const a of result.actions) this.perform(i, a);
    this.exitIfStopped(i);
  }

  private perform(i: number, a: VrrpAction): void {
    const r = this.routers[i]!;
    switch (a.type) {
      case 'armTimer': {
        const gen = ++this.generation;
        r.timers.set(`${a.instance}/${a.timer}`, gen);
        this.agenda.push(a.at, { kind: 'timer', router: i, instance: a.instance, timer: a.timer, gen });
        return;
      }
      case 'cancelTimer':
        r.timers.delete(`${a.instance}/${a.timer}`);
        return;
      case 'addVips':
        r.vips.add(a.instance);
        this.vipChanges.push({ router: i, instance: a.instance, held: true, at: this.now });
        return;
      case 'removeVips':
        r.vips.delete(a.instance);
        this.vipChanges.push({ router: i, instance: a.instance, held: false, at: this.now });
        return;
      case 'sendAdvert':
        this.multicast(i, a.instance, a.priority, a.advertIntervalMs);
        return;
      case 'transition':
        if (a.scope === 'INSTANCE') this.transitions.push({ router: i, instance: a.name, from: a.from, to: a.to, at: a.at });
        return;
      default:
        return;
    }
  }

  private multicast(from: number, instance: string, priority: number, advertIntervalMs: number): void {
    const [lo, hi] = this.delay;
    const side = this.sides[this.instances.indexOf(instance)]!;
    for (let j = 0; j < this.routers.length; j++) {
      if (j === from || side[j] !== side[from]) continue;
      if (this.loss > 0 && this.random() < this.loss) continue;
      const at = this.now + lo + (hi - lo) * this.random();
      const event: VrrpEvent = { type: 'advert', source: routerAddress(from), priority, advertIntervalMs };
      this.agenda.push(at, { kind: 'deliver', router: j, instance, event });
    }
  }
}
