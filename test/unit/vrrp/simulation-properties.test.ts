import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareAddresses } from '../../../src/vrrp/index.js';
import { routerAddress, type LanSimulator } from './sim/lan-simulator.js';
import { buildSimulator, handoverArb, restartBound, scenarioArb, settleBound, type HandoverCase, type HandoverFaults, type Scenario } from './sim/scenario.js';

/**
 * Properties of the pure VRRP core on a simulated LAN under random fault schedules (crashes,
 * restarts, graceful stops, partitions, loss, delay, tracker flips). Counterexamples that
 * fast-check once found live in sim/regressions.json and run first, every time.
 */
interface Regression {
  readonly property: 'converges' | 'sync-group' | 'crash-takeover' | 'handover';
  readonly note: string;
  readonly scenario: Scenario;
  /** For `handover`: the loss from the moment the LAN has settled, and when the Master stops. */
  readonly handover?: HandoverFaults;
}

const regressions = JSON.parse(readFileSync(join(import.meta.dirname, 'sim', 'regressions.json'), 'utf8')) as Regression[];
const examplesFor = (p: Regression['property']): [Scenario][] => regressions.filter((r) => r.property === p).map((r) => [r.scenario]);
const handoverExamples: [HandoverCase][] = regressions.flatMap((r) => (r.property === 'handover' && r.handover ? [[{ scenario: r.scenario, ...r.handover }]] : []));

const RUNS = Number(process.env.VRRP_SIM_RUNS ?? 150);
/** Generous, for long soak runs with VRRP_SIM_RUNS set; the default runs take well under a second. */
const TIMEOUT_MS = 600_000;

/** The better of two routers by RFC 5798's order: priority, then primary address. */
function better(sim: LanSimulator, a: number, b: number): number {
  const d = sim.effectivePriority(a) - sim.effectivePriority(b);
  if (d !== 0) return d > 0 ? a : b;
  return compareAddresses(routerAddress(a), routerAddress(b)) > 0 ? a : b;
}

function checkConverged(s: Scenario): void {
  const sim = buildSimulator(s);
  sim.runUntil(s.wholeAt);
  const check = s.wholeAt + restartBound(s) + settleBound(s);
  sim.runUntil(check);
  const preempt = s.routers.every((r) => r.preempt !== false);
  const chosen = sim.instances.map((instance) => {
    const masters = sim.masters(instance);
    const states = Array.from({ length: sim.size }, (_, i) => sim.state(i, instance));
    const why = JSON.stringify({ instance, masters, states, check });
    expect(masters.length, `exactly one Master ${why}`).toBe(1);
    const master = masters[0]!;
    expect(sim.vipHolders(instance), `only the Master holds the VIPs ${why}`).toEqual([master]);
    const top = Math.max(...Array.from({ length: sim.size }, (_, i) => sim.effectivePriority(i, instance)));
    if (preempt) {
      expect(sim.effectivePriority(master, instance), `the Master has the highest effective priority ${why}`).toBe(top);
    } else if (!preempt) {
      // nopreempt: the incumbent stays; among routers that were Master since the LAN became
      // whole (or at that moment), the best one wins.
      const mine = sim.transitions.filter((t) => t.instance === instance);
      const contenders = new Set([...mine.filter((t) => t.at >= s.wholeAt && t.to === 'MASTER').map((t) => t.router), master]);
      for (let i = 0; i < sim.size; i++) {
        // A Master still handing over at wholeAt comes back as a fresh Backup: no contender.
        const stopsLater = mine.some((t) => t.router === i && t.at > s.wholeAt && t.to === 'STOP');
        if (mine.filter((t) => t.router === i && t.at <= s.wholeAt).at(-1)?.to === 'MASTER' && !stopsLater) contenders.add(i);
      }
      const best = [...contenders].reduce((a, b) => better(sim, a, b));
      expect(master, `the best of the contending Masters wins ${why}`).toBe(best);
    }
    return master;
  });
  if (s.syncGroup) {
    expect(new Set(chosen).size, 'one router is Master for the whole sync group').toBe(1);
    for (let i = 0; i < sim.size; i++) {
      expect(new Set(sim.instances.map((inst) => sim.state(i, inst))).size, `router ${i}'s group members agree`).toBe(1);
    }
  }
  // And it stays that way while nothing fails.
  sim.runUntil(check + 5 * settleBound(s));
  for (const [k, instance] of sim.instances.entries()) expect(sim.masters(instance)).toEqual([chosen[k]]);
}

function checkCrashTakeover(s: Scenario): void {
  const sim = buildSimulator({ ...s, faults: [] });
  sim.runUntil(s.wholeAt + settleBound(s));
  const [master] = sim.masters();
  expect(master).toBeDefined();
  const crashAt = sim.now;
  sim.crash(master!);
  const bound = settleBound(s);
  sim.runUntil(crashAt + bound);
  const takeover = sim.transitions.find((t) => t.at > crashAt && t.to === 'MASTER');
  expect(takeover, 'a Backup is Master within Master_Down_Interval + one advert').toBeDefined();
  expect(takeover!.at - crashAt).toBeLessThanOrEqual(bound);
  sim.runUntil(crashAt + 3 * bound);
  expect(sim.masters()).toHaveLength(1);
  expect(sim.vipHolders()).toEqual(sim.masters());
}

/**
 * Make-before-break: a LAN settles, loss sets in, the Master is stopped gracefully. From then
 * on, after every single VIP change on any router (the simulator applies them one at a time,
 * even within one millisecond), some router still holds the VIP, until well after a new Master
 * has taken it over.
 */
function checkHandover(h: HandoverCase): void {
  const s = { ...h.scenario, faults: [] };
  const sim = buildSimulator(s);
  sim.runUntil(s.wholeAt + settleBound(s));
  const [master] = sim.masters();
  expect(master).toBeDefined();
  const holders = new Set(sim.vipHolders());
  const seen = sim.vipChanges.length;
  sim.setLoss(h.loss);
  const stopAt = sim.now + h.stopAfterMs;
  sim.schedule(stopAt, () => sim.stop(master!));
  sim.runUntil(stopAt + 3 * settleBound(s));
  for (const c of sim.vipChanges.slice(seen)) {
    if (c.held) holders.add(c.router);
    else holders.delete(c.router);
    expect(holders.size, `someone holds the VIP after ${JSON.stringify(c)} (stop of router ${master} at ${stopAt})`).toBeGreaterThan(0);
  }
  expect(sim.isUp(master!), 'the stopped router has exited').toBe(false);
  expect(sim.masters().length, 'a new Master').toBeGreaterThan(0);
}

describe('VRRP on a simulated LAN', () => {
  it('converges to one Master, the highest priority, alone holding the VIPs, once the LAN is whole (preempt)', () => {
    fc.assert(fc.property(scenarioArb(true), checkConverged), { numRuns: RUNS, examples: examplesFor('converges') });
  }, TIMEOUT_MS);

  it('converges to one Master under nopreempt, where the incumbent keeps its role', () => {
    fc.assert(fc.property(scenarioArb(false), checkConverged), { numRuns: RUNS, examples: examplesFor('converges') });
  }, TIMEOUT_MS);

  it('keeps a vrrp_sync_group together: one router is Master of every member, alone with their VIPs', () => {
    fc.assert(fc.property(scenarioArb(true, true), checkConverged), { numRuns: RUNS, examples: examplesFor('sync-group') });
  }, TIMEOUT_MS);

  it('a graceful stop of the Master hands the VIP over with no instant without an owner, across loss and delay', () => {
    fc.assert(fc.property(handoverArb(), checkHandover), { numRuns: RUNS, examples: handoverExamples });
  }, TIMEOUT_MS);

  it('after a Master crash a Backup is Master within Master_Down_Interval + one advert', () => {
    fc.assert(fc.property(scenarioArb(true), checkCrashTakeover), { numRuns: RUNS, examples: examplesFor('crash-takeover') });
  }, TIMEOUT_MS);
});
