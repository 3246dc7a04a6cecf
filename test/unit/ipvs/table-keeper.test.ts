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
