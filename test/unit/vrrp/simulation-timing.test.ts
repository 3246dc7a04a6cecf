import { describe, expect, it } from 'vitest';
import { LanSimulator } from './sim/lan-simulator.js';

/** Timing checks on a loss-free LAN with zero delay, so the numbers are the protocol's own. */
const instant = [0, 0] as const;

function firstMaster(sim: LanSimulator, router: number, after: number): number | undefined {
  return sim.transitions.find((t) => t.router === router && t.to === 'MASTER' && t.at >= after)?.at;
}

describe('VRRP timing in simulation', () => {
  it('v2, advert 1 s, priority 100: a lone router becomes Master after 3.609375 s', () => {
    const sim = new LanSimulator({ routers: [{ priority: 100 }], seed: 1, delayMs: instant });
    sim.start(0);
    sim.runUntil(10_000);
    expect(firstMaster(sim, 0, 0)).toBe(3609.375);
  });

  it('state MASTER does not shorten the wait', () => {
    const sim = new LanSimulator({ routers: [{ priority: 100, initialState: 'MASTER' }], seed: 1, delayMs: instant });
    sim.start(0);
    sim.runUntil(10_000);
    expect(firstMaster(sim, 0, 0)).toBe(3609.375);
  });

  it('kill -9 of the master: the priority-100 backup takes over 3.609375 s after the last advert it heard', () => {
    const sim = new LanSimulator({ routers: [{ priority: 200 }, { priority: 100 }], seed: 1, delayMs: instant });
    sim.start(0);
    sim.start(1);
    sim.runUntil(20_000);
    expect(sim.masters()).toEqual([0]);
    // Router 0 became Master at 3.6 s minus its smaller skew and advertises every second from then.
    const became = firstMaster(sim, 0, 0)!;
    expect(became).toBe(3000 + (56 * 1000) / 256);
    const lastAdvert = became + Math.floor((20_000 - became) / 1000) * 1000;
    sim.crash(0);
    sim.runUntil(40_000);
    expect(firstMaster(sim, 1, 20_000)).toBe(lastAdvert + 3609.375);
  });

  it('graceful stop of the master: the backup is Master after its Skew_Time, (256 - 100)/256 s', () => {
    const sim = new LanSimulator({ routers: [{ priority: 200 }, { priority: 100 }], seed: 1, delayMs: instant });
    sim.start(0);
    sim.start(1);
    sim.runUntil(20_000);
    sim.stop(0);
    sim.runUntil(40_000);
    expect(firstMaster(sim, 1, 20_000)).toBe(20_000 + 609.375);
    expect(sim.vipHolders()).toEqual([1]);
  });

  it('v3 with a 100 ms advert: a priority-0 advert hands over after (256 - 150) x 100/256 ms', () => {
    const routers = [
      { priority: 250, version: 3 as const, advertIntervalMs: 100 },
      { priority: 150, version: 3 as const, advertIntervalMs: 100 },
    ];
    const sim = new LanSimulator({ routers, seed: 1, delayMs: instant });
    sim.start(0);
    sim.start(1);
    sim.runUntil(5_000);
    sim.stop(0);
    sim.runUntil(6_000);
    expect(firstMaster(sim, 1, 5_000)).toBeCloseTo(5_000 + (106 * 100) / 256, 9);
  });

  it('the priority-255 owner is Master at once and a restarted owner takes its role straight back', () => {
    const sim = new LanSimulator({ routers: [{ priority: 255 }, { priority: 100 }], seed: 1, delayMs: instant });
    sim.start(1);
    sim.runUntil(10_000);
    expect(sim.masters()).toEqual([1]);
    sim.start(0);
    expect(sim.state(0)).toBe('MASTER');
    // Router 1 yields as soon as the owner's first advert reaches it (zero delay here).
    sim.runUntil(10_000);
    expect(sim.masters()).toEqual([0]);
    expect(sim.vipHolders()).toEqual([0]);
  });
});
