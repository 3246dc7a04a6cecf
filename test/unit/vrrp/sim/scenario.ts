import fc from 'fast-check';
import { handoverBoundMs, instanceConfig, masterDownIntervalMs } from '../../../../src/vrrp/index.js';
import { LanSimulator, type RouterSpec } from './lan-simulator.js';

/** A fault schedule as plain data, so a failing one can be kept in regressions.json. */
export type Fault =
  | { readonly at: number; readonly kind: 'crash' | 'restart' | 'stop'; readonly router: number }
  | { readonly at: number; readonly kind: 'partition'; readonly sides: readonly number[]; readonly instance?: number }
  | { readonly at: number; readonly kind: 'heal' }
  | { readonly at: number; readonly kind: 'loss'; readonly p: number }
  | { readonly at: number; readonly kind: 'tracker'; readonly router: number; readonly up: boolean };

export interface Scenario {
  readonly seed: number;
  readonly routers: readonly RouterSpec[];
  /** Instances per router (VI_1, VI_2, ...), all in one sync group when `syncGroup`. */
  readonly instances?: number;
  readonly syncGroup?: boolean;
  readonly starts: readonly number[];
  readonly faults: readonly Fault[];
  /** From here on every router runs, the LAN is whole and loss-free and weight-0 trackers are up. */
  readonly wholeAt: number;
  readonly delayMs: readonly [number, number];
}

export const TRACKER = 'chk';

/** Master_Down_Interval of the slowest router plus one advert and the worst delivery delay. */
export function settleBound(s: Scenario): number {
  const worst = Math.max(
    ...s.routers.map((r) => {
      const interval = r.advertIntervalMs ?? 1000;
      return masterDownIntervalMs(r.version ?? 2, 1, interval) + interval;
    }),
  );
  return worst + s.delayMs[1];
}

/**
 * How much later than wholeAt every router may run: a router stopped just before still hands
 * its VIPs over (at most handoverBoundMs) and only then restarts.
 */
export function restartBound(s: Scenario): number {
  if (!s.faults.some((f) => f.kind === 'stop')) return 0;
  return Math.max(...s.routers.map((r) => handoverBoundMs(instanceConfig({ ...r, name: 'VI_1', primaryAddress: '10.0.0.1' }))));
}

export function buildSimulator(s: Scenario): LanSimulator {
  const sim = new LanSimulator({ routers: s.routers, seed: s.seed, delayMs: s.delayMs, instances: s.instances ?? 1,
    syncGroup: s.syncGroup ?? false,
  });
  s.routers.forEach((r, i) => {
    if (r.trackers?.length) sim.setTracker(i, TRACKER, true);
    sim.schedule(s.starts[i] ?? 0, () => sim.start(i));
  });
  for (const f of s.faults) {
    sim.schedule(f.at, () => {
      switch (f.kind) {
        case 'crash':
          return sim.crash(f.router);
        case 'restart':
          return sim.start(f.router);
        case 'stop':
          return sim.stop(f.router);
        case 'partition':
          return sim.partition(f.sides, f.instance);
        case 'heal':
          return sim.heal();
        case 'loss':
          return sim.setLoss(f.p);
        case 'tracker':
          return sim.setTracker(f.router, TRACKER, f.up);
      }
    });
  }
  sim.schedule(s.wholeAt, () => {
    sim.heal();
    s.routers.forEach((r, i) => {
      if (r.trackers?.some((t) => t.weight === 0)) sim.setTracker(i, TRACKER, true);
      sim.start(i);
    });
  });
  return sim;
}

const routerArb = (version: 2 | 3, interval: fc.Arbitrary<number>, preempt: boolean): fc.Arbitrary<RouterSpec> =>
  fc.record({
    interval,
    priority: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 254 }) }, { weight: 1, arbitrary: fc.constant(255) }),
    weight: fc.option(fc.integer({ min: -60, max: 60 }), { nil: undefined }),
  }).map(({ interval: advertIntervalMs, priority, weight }) => ({
    priority,
    version,
    advertIntervalMs,
    preempt,
    trackers: weight === undefined ? [] : [{ name: TRACKER, kind: 'script' as const, weight }],
  }));

function faultArb(n: number, horizon: number, instances: number): fc.Arbitrary<Fault> {
  const at = fc.integer({ min: 0, max: horizon });
  const router = fc.integer({ min: 0, max: n - 1 });
  const sides = fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n });
  return fc.oneof(
    fc.record({ at, kind: fc.constantFrom('crash' as const, 'restart' as const, 'stop' as const), router }),
    fc.record({ at, kind: fc.constant('partition' as const), sides }),
    // One VRID only, as when the instances of a sync group sit on different links.
    fc.record({ at, kind: fc.constant('partition' as const), sides, instance: fc.integer({ min: 0, max: instances - 1 }) }),
    fc.record({ at, kind: fc.constant('heal' as const) }),
    fc.record({ at, kind: fc.constant('loss' as const), p: fc.constantFrom(0.1, 0.5, 0.9) }),
    fc.record({ at, kind: fc.constant('tracker' as const), router, up: fc.boolean() }),
  );
}

/**
 * Random LANs of 2 to 5 routers under a random fault schedule; `preempt` is the same for all.
 * With `syncGroup`, every router runs VI_1 and VI_2 in one vrrp_sync_group.
 */
export function scenarioArb(preempt: boolean, syncGroup = false): fc.Arbitrary<Scenario> {
  const instances = syncGroup ? 2 : 1;
  return fc
    .record({
      n: fc.integer({ min: 2, max: 5 }),
      version: fc.constantFrom(2 as const, 3 as const),
      v3Mixed: fc.boolean(),
      v3Interval: fc.constantFrom(100, 250, 1000),
      seed: fc.integer(),
      horizon: fc.integer({ min: 0, max: 30_000 }),
      delayMax: fc.constantFrom(0, 5, 50),
    })
    .chain(({ n, version, v3Mixed, v3Interval, seed, horizon, delayMax }) => {
      // v2 needs one interval on the LAN; v3 Backups learn the Master's, so they may differ.
      const interval = version === 2 ? fc.constant(1000) : v3Mixed ? fc.constantFrom(100, 250, 1000) : fc.constant(v3Interval);
      return fc.record({
        seed: fc.constant(seed),
        instances: fc.constant(instances),
        syncGroup: fc.constant(syncGroup),
        routers: fc
          .array(routerArb(version, interval, preempt), { minLength: n, maxLength: n })
          // One address owner at most: two owners is a configuration keepalived itself reports.
          .map((rs) => rs.map((r, i) => (r.priority === 255 && rs.findIndex((x) => x.priority === 255) !== i ? { ...r, priority: 254 } : r))),
        starts: fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: n, maxLength: n }),
        faults: fc.array(faultArb(n, horizon, instances), { maxLength: 12 }).map((fs) => [...fs].sort((a, b) => a.at - b.at)),
        wholeAt: fc.constant(horizon + 3000),
        delayMs: fc.constant([0, delayMax] as const),
      });
    });
}

/** What a hand-over run adds to a settled LAN: loss from then on, and when the Master stops. */
export interface HandoverFaults {
  readonly loss: number;
  readonly stopAfterMs: number;
}

export interface HandoverCase extends HandoverFaults {
  /** Its `faults` are ignored: the LAN settles undisturbed before the stop. */
  readonly scenario: Scenario;
}

export function handoverArb(): fc.Arbitrary<HandoverCase> {
  return fc.record({
    scenario: fc.boolean().chain((preempt) => scenarioArb(preempt)).map((s) => ({ ...s, faults: [] })),
    loss: fc.constantFrom(0, 0.1, 0.5, 0.9),
    stopAfterMs: fc.integer({ min: 0, max: 3000 }),
  });
}
