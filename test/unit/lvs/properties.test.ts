/**
 * Properties of the desired table over random configs and random checker results: it only ever
 * holds configured entries; a server has weight > 0 only while all its checkers are up, or as
 * the sorry server; once applied, applying it again writes nothing; and planning only the
 * services a transition changed gives the whole plan.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { realServerKey, virtualServerKey, type HealthEvent } from '../../../src/check/health.js';
import type { KeepalivedConfig } from '../../../src/config/model.js';
import { IpvsTableKeeper, planIncremental } from '../../../src/ipvs/table-keeper.js';
import { changedServices } from '../../../src/lvs/changed-services.js';
import { destinationId, serviceId } from '../../../src/ipvs/keys.js';
import { MemoryIpvsClient } from '../../../src/ipvs/memory-client.js';
import { desiredTable } from '../../../src/lvs/desired-table.js';
import { onHealth, onHealthBatch, onVrrpState, startLvs, type LvsState } from '../../../src/lvs/lvs-state.js';
import { isAlive } from '../../../src/lvs/server-health.js';
import { serviceParts } from '../../../src/lvs/services.js';
import { configFrom } from './helpers.js';

const serverArb = fc.record({
  weight: fc.integer({ min: 0, max: 5 }),
  inhibit: fc.boolean(),
  checkers: fc.array(fc.constantFrom('TCP_CHECK { }', 'MISC_CHECK { misc_path /bin/true\n misc_dynamic }'), { maxLength: 2 }),
});

const vsArb = fc.record({
  alpha: fc.boolean(),
  haSuspend: fc.boolean(),
  quorum: fc.integer({ min: 0, max: 8 }),
  hysteresis: fc.integer({ min: 0, max: 3 }),
  sorry: fc.constantFrom('none', 'plain', 'inhibit'),
  servers: fc.array(serverArb, { minLength: 1, maxLength: 4 }),
});

type VsSpec = typeof vsArb extends fc.Arbitrary<infer T> ? T : never;

function configText(services: readonly VsSpec[]): string {
  return services
    .map((vs, v) => {
      const servers = vs.servers.map((rs, r) => `real_server 192.168.${v}.${r + 10} 80 {\n weight ${rs.weight}\n${rs.inhibit ? 'inhibit_on_failure\n' : ''}${rs.checkers.join('\n')}\n}`);
      const sorry = vs.sorry === 'none' ? '' : `sorry_server 192.168.${v}.200 80\n${vs.sorry === 'inhibit' ? 'sorry_server_inhibit\n' : ''}`;
      return `virtual_server 10.0.0.${v + 1} 80 {\nprotocol TCP\nlvs_sched rr\nlvs_method NAT\n${vs.alpha ? 'alpha\n' : ''}${vs.haSuspend ? 'ha_suspend\n' : ''}quorum ${vs.quorum}\nhysteresis ${vs.hysteresis}\n${sorry}${servers.join('\n')}\n}`;
    })
    .join('\n');
}

const scenario = fc.record({
  services: fc.array(vsArb, { minLength: 1, maxLength: 3 }),
  events: fc.array(fc.record({ v: fc.nat(), r: fc.nat(), c: fc.nat(), up: fc.boolean(), weight: fc.option(fc.integer({ min: 0, max: 253 }), { nil: undefined }) }), { maxLength: 25 }),
});

/** The checker results as HealthEvents of the config (indices taken modulo what exists). */
function healthEvents(config: KeepalivedConfig, events: ReadonlyArray<{ v: number; r: number; c: number; up: boolean; weight: number | undefined }>): HealthEvent[] {
  return events.flatMap((e) => {
    const vs = config.virtual_servers[e.v % config.virtual_servers.length];
    const rs = vs?.real_servers[e.r % Math.max(vs.real_servers.length, 1)];
    if (vs === undefined || rs === undefined || rs.checkers.length === 0) return [];
    const ref = { vs: virtualServerKey(vs), rs: realServerKey(rs), checker: e.c % rs.checkers.length };
    return [{ type: 'checker' as const, ref, up: e.up, reason: 'property', ...(e.weight === undefined ? {} : { weight: e.weight }) }];
  });
}

function run(config: KeepalivedConfig, events: readonly HealthEvent[], each: (state: LvsState) => void): LvsState {
  let state = startLvs(config).state;
  each(state);
  for (const event of events) {
    state = onHealth(state, event).state;
    each(state);
  }
  return state;
}

/** A few seconds of work that a machine shared with seven test runs can stretch well past vitest's 5 s. */
const LOADED_MACHINE_MS = 120_000;

describe('LVS desired-table properties', () => {
  it(
    'holds only configured services and servers, and weight > 0 only for healthy servers or the sorry server',
    () => {
      fc.assert(
        fc.property(scenario, ({ services, events }) => {
          const config = configFrom(configText(services));
          const allowedServices = new Set(config.virtual_servers.flatMap((vs) => serviceParts(vs, []).map((p) => serviceId(p.key))));
          run(config, healthEvents(config, events), (state) => {
            for (const { service, destinations } of desiredTable(state).services) {
              expect(allowedServices.has(serviceId(service.key))).toBe(true);
              const entry = [...state.index.values()].find((e) => e.parts.some((p) => serviceId(p.key) === serviceId(service.key)));
              if (entry === undefined) throw new Error('service without a virtual server');
              const vsState = state.vs.get(entry.key);
              for (const d of destinations) {
                const i = entry.vs.real_servers.findIndex((rs) => destinationId({ family: 'inet', address: rs.ip, port: rs.port }) === destinationId(d));
                const sorry = entry.vs.sorry_server;
                const isSorry = sorry !== null && sorry.ip === d.address;
                expect(i >= 0 || isSorry).toBe(true);
                if (d.weight > 0 && !isSorry) expect(isAlive(vsState?.health[i] ?? [])).toBe(true);
              }
            }
          });
        }),
        { numRuns: 100 },
      );
    },
    LOADED_MACHINE_MS,
  );

  it(
    'applying a table twice writes nothing the second time',
    async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async ({ services, events }) => {
          const config = configFrom(configText(services));
          const keeper = new IpvsTableKeeper(new MemoryIpvsClient());
          const tables: ReturnType<typeof desiredTable>[] = [];
          run(config, healthEvents(config, events), (state) => tables.push(desiredTable(state)));
          for (const table of tables) expect((await keeper.apply(table)).failures).toEqual([]);
          const last = tables[tables.length - 1];
          if (last === undefined) throw new Error('no table');
          expect((await keeper.apply(last)).writes).toBe(0);
          expect((await keeper.fullCheck(last)).writes).toBe(0);
        }),
        { numRuns: 60 },
      );
    },
    LOADED_MACHINE_MS,
  );

  it(
    'planning only the services a transition changed gives the same steps as planning the whole table',
    () => {
      const transitions = fc.array(
        fc.oneof(fc.record({ kind: fc.constant('health' as const), batch: fc.integer({ min: 1, max: 4 }) }), fc.record({ kind: fc.constant('vrrp' as const), master: fc.boolean(), vs: fc.nat() })),
        { maxLength: 12 },
      );
      fc.assert(
        fc.property(scenario, transitions, ({ services, events }, steps) => {
          const config = configFrom(configText(services));
          const results = healthEvents(config, events);
          let state = startLvs(config).state;
          for (const step of steps) {
            const before = state;
            if (step.kind === 'health') state = onHealthBatch(state, results.splice(0, step.batch)).state;
            else state = onVrrpState(state, 'VI_1', step.master ? 'MASTER' : 'BACKUP', [`10.0.0.${(step.vs % services.length) + 1}/32`]).state;
            const [last, next] = [desiredTable(before), desiredTable(state)];
            expect(planIncremental(next, last, changedServices(before, state))).toEqual(planIncremental(next, last));
          }
        }),
        { numRuns: 150 },
      );
    },
    LOADED_MACHINE_MS,
  );
});
