import { describe, expect, it } from 'vitest';
import { planReconcile } from '../../../src/ipvs/reconcile.js';
import { applySteps, reconcile } from '../../../src/ipvs/apply.js';
import { MemoryIpvsClient } from '../../../src/ipvs/memory-client.js';
import type { ServiceKey } from '../../../src/ipvs/types.js';
import { real as realAt, svc, table } from './fixtures.js';

const real = (address: string, extra: Parameters<typeof realAt>[2] = {}) => realAt(address, 8080, extra);

const web: ServiceKey = { family: 'inet', protocol: 'tcp', address: '192.0.2.1', port: 80 };
const dns: ServiceKey = { family: 'inet6', protocol: 'udp', address: '2001:db8::53', port: 53 };
const stranger: ServiceKey = { family: 'inet', fwmark: 99 };

describe('planReconcile', () => {
  it('plans nothing when the kernel already matches, despite HASHED, prefix-length netmasks and address spellings', () => {
    const desired = table([svc(web, { netmask: 24, flags: 1, timeout: 300 }), [real('10.0.0.1')]], [svc(dns), [real('2001:db8:0::7')]]);
    const actual = table([svc(web, { netmask: '255.255.255.0', flags: 3, timeout: 300 }), [real('10.0.0.1')]], [svc({ ...dns, address: '2001:db8::53' }, { flags: 2 }), [real('2001:db8::7')]]);
    expect(planReconcile(desired, actual)).toEqual([]);
  });

  it('adds a missing service before its destinations', () => {
    expect(planReconcile(table([svc(web), [real('10.0.0.1'), real('10.0.0.2')]]), table()).map((s) => s.kind)).toEqual(['add-service', 'add-destination', 'add-destination']);
  });

  it('changes one weight with one edit', () => {
    const steps = planReconcile(table([svc(web), [real('10.0.0.1', { weight: 5 }), real('10.0.0.2')]]), table([svc(web), [real('10.0.0.1'), real('10.0.0.2')]]));
    expect(steps).toEqual([{ kind: 'edit-destination', service: web, destination: real('10.0.0.1', { weight: 5 }) }]);
  });

  it('edits a service whose scheduler, flags, timeout, netmask or engine changed', () => {
    for (const change of [{ scheduler: 'rr' }, { flags: 1 }, { timeout: 60 }, { netmask: '255.255.0.0' }, { pe: 'sip' }]) {
      expect(planReconcile(table([svc(web, change), []]), table([svc(web), []])).map((s) => s.kind)).toEqual(['edit-service']);
    }
  });

  it('compares tunnel settings only on tunnel destinations', () => {
    const tunnel = real('10.0.0.1', { forward: 'tunnel', tunnelType: 'gue', tunnelPort: 6080 });
    expect(planReconcile(table([svc(web), [{ ...tunnel, tunnelPort: 6081 }]]), table([svc(web), [tunnel]])).map((s) => s.kind)).toEqual(['edit-destination']);
    const routed = real('10.0.0.1', { forward: 'route', tunnelType: 'gre' });
    expect(planReconcile(table([svc(web), [routed]]), table([svc(web), [real('10.0.0.1', { forward: 'route' })]]))).toEqual([]);
  });

  it('adds new real servers before removing old ones, so a service never runs empty', () => {
    const steps = planReconcile(table([svc(web), [real('10.0.0.9')]]), table([svc(web), [real('10.0.0.1')]]));
    expect(steps.map((s) => s.kind)).toEqual(['add-destination', 'delete-destination']);
  });

  it("leaves a stranger's service alone, deletes it with flush, and deletes services we owned before", () => {
    const actual = table([svc(stranger), [real('10.9.9.9')]], [svc(dns), []]);
    expect(planReconcile(table(), actual)).toEqual([]);
    expect(planReconcile(table(), actual, { owned: [dns] })).toEqual([{ kind: 'delete-service', key: dns }]);
    expect(planReconcile(table(), actual, { flush: true }).map((s) => s.kind)).toEqual(['delete-service', 'delete-service']);
  });

  it('deletes unwanted services before adding anything', () => {
    const steps = planReconcile(table([svc(web), []]), table([svc(dns), []]), { flush: true });
    expect(steps.map((s) => s.kind)).toEqual(['delete-service', 'add-service']);
  });

  it('refuses a desired table that lists a service twice', () => {
    expect(() => planReconcile(table([svc(web), []], [svc({ ...web }), []]), table())).toThrow(/lists TCP 192.0.2.1:80 twice/);
  });
});

describe('applySteps', () => {
  it('counts one write per step and carries on past a step the kernel refused', async () => {
    const ipvs = new MemoryIpvsClient();
    const steps = planReconcile(table([svc(web, { scheduler: 'nope' }), [real('10.0.0.1')]], [svc(dns), [real('2001:db8::7')]]), table());
    const result = await applySteps(ipvs, steps);
    expect(result.writes).toBe(4);
    expect(ipvs.writes).toBe(4);
    expect(result.failures.map((f) => [f.step.kind, (f.error as { code: string }).code])).toEqual([
      ['add-service', 'IPVS_ENOENT'],
      ['add-destination', 'IPVS_ESRCH'],
    ]);
    expect((await ipvs.destinations(dns)).map((d) => d.address)).toEqual(['2001:db8::7']);
  });

  it('restores entries deleted behind its back, then has nothing to do', async () => {
    const ipvs = new MemoryIpvsClient();
    const desired = table([svc(web), [real('10.0.0.1'), real('10.0.0.2')]]);
    await reconcile(ipvs, desired);
    await ipvs.deleteDestination(web, real('10.0.0.2'));
    const repair = await reconcile(ipvs, desired);
    expect(repair.steps).toEqual([{ kind: 'add-destination', service: web, destination: real('10.0.0.2') }]);
    const again = await reconcile(ipvs, desired);
    expect(again).toEqual({ steps: [], writes: 0, failures: [] });
  });
});
