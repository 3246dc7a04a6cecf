import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planReconcile } from '../../../src/ipvs/reconcile.js';
import { readTable, reconcile } from '../../../src/ipvs/apply.js';
import { MemoryIpvsClient } from '../../../src/ipvs/memory-client.js';
import { serviceId } from '../../../src/ipvs/keys.js';
import type { Table } from '../../../src/ipvs/types.js';
import { damage, normal, tables, type Harm } from './arbitraries.js';

async function program(ipvs: MemoryIpvsClient, table: Table): Promise<void> {
  for (const { service: svc, destinations } of table.services) {
    await ipvs.addService(svc);
    for (const d of destinations) await ipvs.addDestination(svc.key, d);
  }
}

async function inflict(ipvs: MemoryIpvsClient, harms: readonly Harm[]): Promise<void> {
  for (const harm of harms) {
    const services = await ipvs.services();
    const target = services[('pick' in harm ? harm.pick : 0) % Math.max(services.length, 1)];
    const destinations = target === undefined ? [] : await ipvs.destinations(target.key);
    const victim = destinations[('sub' in harm ? harm.sub : 0) % Math.max(destinations.length, 1)];
    if (harm.kind === 'flush') await ipvs.flush();
    else if (target === undefined) continue;
    else if (harm.kind === 'delete-service') await ipvs.deleteService(target.key);
    else if (harm.kind === 'reschedule') await ipvs.editService({ ...target, scheduler: harm.scheduler });
    else if (harm.kind === 'intrude') {
      const address = target.key.family === 'inet' ? `198.51.100.${harm.octet}` : `2001:db8:ffff::${harm.octet.toString(16)}`;
      await ipvs.addDestination(target.key, { family: target.key.family, address, port: 1, forward: 'route', weight: 1, upperThreshold: 0, lowerThreshold: 0 }).catch(() => undefined);
    } else if (victim === undefined) continue;
    else if (harm.kind === 'delete-destination') await ipvs.deleteDestination(target.key, victim);
    else await ipvs.editDestination(target.key, { ...victim, weight: harm.weight });
  }
}

describe('reconciling the in-memory kernel after random damage', () => {
  it('converges in one pass, keeps strangers, drops what it owned, and the second pass writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(tables, damage, fc.boolean(), async ({ desired, foreign, previous }, harms, flush) => {
        const ipvs = new MemoryIpvsClient();
        await program(ipvs, foreign);
        await program(ipvs, previous);
        await program(ipvs, desired);
        await inflict(ipvs, harms);
        const strangersBefore = normal(await readTable(ipvs)) as Record<string, unknown>;

        const first = await reconcile(ipvs, desired, { flush, owned: previous.services.map((e) => e.service.key) });
        expect(first.failures).toEqual([]);
        const after = normal(await readTable(ipvs)) as Record<string, unknown>;
        const expected = normal(desired) as Record<string, unknown>;
        for (const [id, value] of Object.entries(expected)) expect(after[id]).toEqual(value);
        for (const { service: s } of previous.services) expect(after[serviceId(s.key)]).toBeUndefined();
        for (const { service: s } of foreign.services) {
          const id = serviceId(s.key);
          expect(after[id]).toEqual(flush ? undefined : strangersBefore[id]);
        }
        expect(Object.keys(after).length).toBe(Object.keys(expected).length + (flush ? 0 : foreign.services.filter((e) => serviceId(e.service.key) in strangersBefore).length));

        const writes = ipvs.writes;
        const second = await reconcile(ipvs, desired, { flush, owned: previous.services.map((e) => e.service.key) });
        expect(second).toEqual({ steps: [], writes: 0, failures: [] });
        expect(ipvs.writes).toBe(writes);
      }),
      { numRuns: 300 },
    );
  });

  it('repairs a single harm with a single write', async () => {
    await fc.assert(
      fc.asyncProperty(tables, async ({ desired }) => {
        const withDestinations = desired.services.find((e) => e.destinations.length > 0);
        fc.pre(withDestinations !== undefined);
        const ipvs = new MemoryIpvsClient();
        await program(ipvs, desired);
        const victim = withDestinations.destinations[0]!;
        await ipvs.editDestination(withDestinations.service.key, { ...victim, weight: victim.weight + 1 });
        const steps = planReconcile(desired, await readTable(ipvs));
        expect(steps).toHaveLength(1);
        expect(steps[0]?.kind).toBe('edit-destination');
      }),
      { numRuns: 100 },
    );
  });
});
