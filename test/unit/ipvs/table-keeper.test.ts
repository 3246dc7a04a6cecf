import { describe, expect, it } from 'vitest';
import { readTable } from '../../../src/ipvs/apply.js';
import { IpvsTableKeeper } from '../../../src/ipvs/table-keeper.js';
import { MemoryIpvsClient } from '../../../src/ipvs/memory-client.js';
import type { Destination, ServiceKey } from '../../../src/ipvs/types.js';
import { real as realAt, svc, table, tcp } from './fixtures.js';

const real = (address: string, extra: Parameters<typeof realAt>[2] = {}) => realAt(address, 8080, extra);
const web = tcp('192.0.2.1', 80);
const api = tcp('192.0.2.2', 443);
const stranger: ServiceKey = { family: 'inet', fwmark: 99 };

/** Counts the dumps a pass makes: an incremental pass must make none. */
class CountingClient extends MemoryIpvsClient {
  dumps = 0;
  override async services() {
    this.dumps++;
    return super.services();
  }
  override async destinations(key: ServiceKey): Promise<Destination[]> {
    this.dumps++;
    return super.destinations(key);
  }
}

const desired = table([svc(web), [real('10.0.0.1'), real('10.0.0.2')]], [svc(api), [real('10.0.1.1')]]);
const reweighted = table([svc(web), [real('10.0.0.1', { weight: 7 }), real('10.0.0.2')]], [svc(api), [real('10.0.1.1')]]);

describe('IpvsTableKeeper', () => {
  it('reads the kernel back on its first pass, then changes a weight with one write and no dump', async () => {
    const ipvs = new CountingClient();
    const keeper = new IpvsTableKeeper(ipvs);
    const first = await keeper.apply(desired);
    expect(first.mode).toBe('full');
    expect(ipvs.dumps).toBe(1);
    ipvs.dumps = 0;
    const change = await keeper.apply(reweighted);
    expect(change).toMatchObject({ mode: 'incremental', writes: 1, failures: [] });
    expect(change.steps).toEqual([{ kind: 'edit-destination', service: web, destination: real('10.0.0.1', { weight: 7 }) }]);
    expect(ipvs.dumps).toBe(0);
    expect((await ipvs.destinations(web)).map((d) => d.weight)).toEqual([7, 1]);
  });

  it('deletes a service dropped from the configuration, incrementally and in a full pass, and leaves a stranger alone', async () => {
    const ipvs = new MemoryIpvsClient();
    await ipvs.addService(svc(stranger));
    const keeper = new IpvsTableKeeper(ipvs);
    await keeper.apply(desired);
    const dropped = table([svc(web), [real('10.0.0.1'), real('10.0.0.2')]]);
    expect((await keeper.apply(dropped)).steps).toEqual([{ kind: 'delete-service', key: api }]);

    const other = new IpvsTableKeeper(new MemoryIpvsClient());
    await other.apply(desired);
    expect((await other.fullCheck(dropped)).steps).toEqual([{ kind: 'delete-service', key: api }]);
    expect((await ipvs.services()).map((s) => s.key)).toEqual([stranger, web]);
  });

  it('does not see damage done behind its back until a full check, which repairs it', async () => {
    const ipvs = new CountingClient();
    const keeper = new IpvsTableKeeper(ipvs);
    await keeper.apply(desired);
    await ipvs.deleteDestination(web, real('10.0.0.2'));
    await ipvs.editDestination(api, real('10.0.1.1', { weight: 50 }));
    expect((await keeper.apply(desired)).steps).toEqual([]);
    const repair = await keeper.fullCheck(desired);
    expect(repair.mode).toBe('full');
    expect(repair.steps).toEqual([
      { kind: 'add-destination', service: web, destination: real('10.0.0.2') },
      { kind: 'edit-destination', service: api, destination: real('10.0.1.1') },
    ]);
    expect(await readTable(ipvs)).toEqual(await readTable(await programmed(desired)));
  });

  it('check: sees a deleted or changed service at once, a destination changed by hand within `parts` calls, dumping one part of the destinations each time', async () => {
    const ipvs = new CountingClient();
    await ipvs.addService(svc(stranger));
    await ipvs.addDestination(stranger, real('10.9.9.9'));
    const keeper = new IpvsTableKeeper(ipvs);
    await keeper.apply(desired);
    const destinationDumps: string[] = [];
    const dumps = ipvs.destinations.bind(ipvs);
    ipvs.destinations = (key) => {
      destinationDumps.push(JSON.stringify(key));
      return dumps(key);
    };
    // part 0 of 2 is web (index 0), part 1 is api: never the stranger's
    expect(await keeper.check(desired, 2)).toMatchObject({ mode: 'partial', steps: [] });
    expect(destinationDumps).toEqual([JSON.stringify(web)]);
    await ipvs.deleteDestination(web, real('10.0.0.2'));
    await ipvs.deleteService(api);
    // the next call dumps api's part: api is re-added whole, web's lost destination waits for its part
    const second = await keeper.check(desired, 2);
    expect(second.steps).toEqual([
      { kind: 'add-service', service: svc(api) },
      { kind: 'add-destination', service: api, destination: real('10.0.1.1') },
    ]);
    const third = await keeper.check(desired, 2);
    expect(third.steps).toEqual([{ kind: 'add-destination', service: web, destination: real('10.0.0.2') }]);
    // a service whose desired entry changed since the last pass is planned whatever its part (api's part is next; web changed)
    expect((await keeper.check(reweighted, 2)).steps).toEqual([{ kind: 'edit-destination', service: web, destination: real('10.0.0.1', { weight: 7 }) }]);
    expect(destinationDumps.slice(-2).sort()).toEqual([JSON.stringify(web), JSON.stringify(api)].sort());
    // unchanged entries outside the part cost no dump
    destinationDumps.length = 0;
    await keeper.check(reweighted, 2);
    expect(destinationDumps).toEqual([JSON.stringify(web)]);
    await keeper.apply(desired);
    const ours = (await readTable(ipvs)).services.filter((entry) => !('fwmark' in entry.service.key));
    expect(ours).toEqual((await readTable(await programmed(desired))).services);
    expect((await dumps(stranger)).map((d) => d.address)).toEqual(['10.9.9.9']);
  });

  it('check: reads everything back when it has no memory of a pass that landed', async () => {
    const ipvs = new CountingClient();
    const keeper = new IpvsTableKeeper(ipvs);
    await keeper.apply(desired);
    keeper.forget();
    await ipvs.deleteDestination(api, real('10.0.1.1'));
    ipvs.dumps = 0;
    const pass = await keeper.check(desired, 3);
    expect(pass).toMatchObject({ mode: 'full', steps: [{ kind: 'add-destination', service: api, destination: real('10.0.1.1') }] });
    expect(ipvs.dumps).toBe(3);
  });

  it('reads the kernel back after a failed write, and after forget()', async () => {
    const ipvs = new CountingClient({ schedulers: ['wlc'] });
    const keeper = new IpvsTableKeeper(ipvs);
    const failing = table([svc(web, { scheduler: 'nosuch' }), [real('10.0.0.1')]]);
    expect((await keeper.apply(failing)).failures.map((f) => f.step.kind)).toEqual(['add-service', 'add-destination']);
    expect((await keeper.apply(desired)).mode).toBe('full');
    expect((await keeper.apply(desired)).mode).toBe('incremental');
    keeper.forget();
    await ipvs.deleteService(api);
    const after = await keeper.apply(desired);
    expect(after.mode).toBe('full');
    expect(after.steps.map((s) => s.kind)).toEqual(['add-service', 'add-destination']);
  });

  it('runs passes one at a time in call order', async () => {
    const ipvs = new MemoryIpvsClient();
    const keeper = new IpvsTableKeeper(ipvs);
    const [first, second] = await Promise.all([keeper.apply(desired), keeper.apply(reweighted)]);
    expect(first.steps).toHaveLength(5);
    expect(second).toMatchObject({ mode: 'incremental', writes: 1 });
  });
});

async function programmed(wanted: typeof desired): Promise<MemoryIpvsClient> {
  const ipvs = new MemoryIpvsClient();
  await new IpvsTableKeeper(ipvs).apply(wanted);
  return ipvs;
}
