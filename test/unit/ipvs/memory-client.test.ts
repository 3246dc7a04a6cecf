import { describe, expect, it } from 'vitest';
import { MemoryIpvsClient } from '../../../src/ipvs/memory-client.js';
import { IpvsError } from '../../../src/ipvs/errors.js';
import type { Destination, Service, ServiceKey } from '../../../src/ipvs/types.js';

const key: ServiceKey = { family: 'inet', protocol: 'tcp', address: '10.0.0.1', port: 80 };
const service: Service = { key, scheduler: 'wrr', flags: 0, timeout: 0, netmask: '255.255.255.255' };
const real: Destination = {
  family: 'inet',
  address: '10.0.1.1',
  port: 8080,
  forward: 'masq',
  weight: 1,
  upperThreshold: 0,
  lowerThreshold: 0,
};

async function rejection(promise: Promise<unknown>): Promise<IpvsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IpvsError);
  return error as IpvsError;
}

describe('MemoryIpvsClient answers like the kernel', () => {
  it('refuses a duplicate service with EEXIST naming the service', async () => {
    const ipvs = new MemoryIpvsClient();
    await ipvs.addService(service);
    const error = await rejection(ipvs.addService(service));
    expect(error.code).toBe('IPVS_EEXIST');
    expect(error.message).toBe('add-service TCP 10.0.0.1:80: service already exists (EEXIST)');
  });

  it('marks stored services HASHED, as a kernel dump shows them', async () => {
    const ipvs = new MemoryIpvsClient();
    await ipvs.addService(service);
    expect((await ipvs.service(key)).flags).toBe(2);
  });

  it('answers ESRCH for any operation on a missing service', async () => {
    const ipvs = new MemoryIpvsClient();
    for (const attempt of [ipvs.editService(service), ipvs.deleteService(key), ipvs.service(key), ipvs.addDestination(key, real), ipvs.zero(key)]) {
      expect((await rejection(attempt)).code).toBe('IPVS_ESRCH');
    }
  });

  it('dumps no destinations for a missing service, as GET_DEST does', async () => {
    expect(await new MemoryIpvsClient().destinations(key)).toEqual([]);
  });

  it('answers ENOENT for a missing destination and for an unknown scheduler', async () => {
    const ipvs = new MemoryIpvsClient();
    await ipvs.addService(service);
    const missing = await rejection(ipvs.deleteDestination(key, real));
    expect(missing.code).toBe('IPVS_ENOENT');
    expect(missing.message).toBe('delete-destination 10.0.1.1:8080 in TCP 10.0.0.1:80: no such destination (ENOENT)');
    expect((await rejection(ipvs.editDestination(key, real))).code).toBe('IPVS_ENOENT');
    const badScheduler = await rejection(ipvs.editService({ ...service, scheduler: 'nope' }));
    expect(badScheduler.message).toContain('scheduler or persistence engine not found');
  });

  it('answers EEXIST for a duplicate destination, whatever the address spelling', async () => {
    const ipvs = new MemoryIpvsClient();
    const v6: ServiceKey = { family: 'inet6', protocol: 'udp', address: '2001:db8::1', port: 53 };
    await ipvs.addService({ key: v6, scheduler: 'rr', flags: 0, timeout: 0, netmask: 128 });
    await ipvs.addDestination(v6, { ...real, family: 'inet6', address: '2001:db8:0:0::2' });
    const error = await rejection(ipvs.addDestination({ ...v6, address: '2001:0db8::1' }, { ...real, family: 'inet6', address: '2001:db8::2' }));
    expect(error.code).toBe('IPVS_EEXIST');
    expect(error.object).toBe('[2001:db8::2]:8080 in UDP [2001:db8::1]:53');
  });

  it('answers ERANGE for negative weights and inverted thresholds, EINVAL for mixed families outside TUN', async () => {
    const ipvs = new MemoryIpvsClient();
    await ipvs.addService(service);
    expect((await rejection(ipvs.addDestination(key, { ...real, weight: -1 }))).code).toBe('IPVS_ERANGE');
    expect((await rejection(ipvs.addDestination(key, { ...real, upperThreshold: 1, lowerThreshold: 2 }))).code).toBe('IPVS_ERANGE');
    expect((await rejection(ipvs.addDestination(key, { ...real, family: 'inet6', address: '::1' }))).code).toBe('IPVS_EINVAL');
    expect((await rejection(ipvs.addDestination(key, { ...real, upperThreshold: 2 ** 31 }))).code).toBe('IPVS_EINVAL');
    expect((await rejection(ipvs.addDestination(key, { ...real, lowerThreshold: 2 ** 31 }))).code).toBe('IPVS_ERANGE');
    await ipvs.addDestination(key, { ...real, family: 'inet6', address: '::1', forward: 'tunnel' });
    expect((await rejection(ipvs.addDestination(key, { ...real, forward: 'tunnel', tunnelType: 'gue' }))).code).toBe('IPVS_EINVAL');
  });

  it('keeps counters across a destination edit and counts every write', async () => {
    const ipvs = new MemoryIpvsClient();
    await ipvs.addService(service);
    await ipvs.addDestination(key, real);
    await ipvs.editDestination(key, { ...real, weight: 5 });
    expect((await ipvs.destinations(key)).map((d) => d.weight)).toEqual([5]);
    expect(ipvs.writes).toBe(3);
  });

  it('starts one daemon per state, fills kernel defaults, and stops with ESRCH when none runs', async () => {
    const ipvs = new MemoryIpvsClient();
    await ipvs.startDaemon({ state: 'master', mcastInterface: 'lo', syncId: 0 });
    expect(await ipvs.daemons()).toEqual([{ state: 'master', mcastInterface: 'lo', syncId: 0, maxLen: 1472, group: '224.0.0.81', port: 8848, ttl: 1 }]);
    expect((await rejection(ipvs.startDaemon({ state: 'master', mcastInterface: 'lo', syncId: 1 }))).code).toBe('IPVS_EEXIST');
    await ipvs.stopDaemon('master');
    expect((await rejection(ipvs.stopDaemon('master'))).code).toBe('IPVS_ESRCH');
  });

  it('leaves a timeout unchanged when set to zero', async () => {
    const ipvs = new MemoryIpvsClient();
    await ipvs.setTimeouts({ tcp: 60, tcpFin: 0, udp: 0 });
    expect(await ipvs.timeouts()).toEqual({ tcp: 60, tcpFin: 120, udp: 300 });
  });
});

describe('MemoryIpvsClient sync daemons and mixed families', () => {
  it('refuses to start a sync daemon while a destination has another family than its service (EINVAL)', async () => {
    const ipvs = new MemoryIpvsClient();
    await ipvs.addService(service);
    await ipvs.addDestination(key, { ...real, family: 'inet6', address: '2001:db8::1', forward: 'tunnel' });
    await expect(ipvs.startDaemon({ state: 'backup', mcastInterface: 'lo', syncId: 1 })).rejects.toMatchObject({ code: 'IPVS_EINVAL' });
  });
});

describe('MemoryIpvsClient real-server addresses', () => {
  it.each(['0.0.0.0', '0.1.2.3', '224.0.0.1', '239.255.255.255', '255.255.255.255'])('refuses the IPv4 non-unicast %s with EINVAL', async (address) => {
    const ipvs = new MemoryIpvsClient();
    await ipvs.addService(service);
    await expect(ipvs.addDestination(key, { ...real, address })).rejects.toMatchObject({ code: 'IPVS_EINVAL' });
  });

  it.each(['::', 'ff02::1', 'fe80::1', 'febf::1', '::ffff:10.0.0.1'])('refuses the IPv6 non-unicast or link-local %s with EINVAL', async (address) => {
    const ipvs = new MemoryIpvsClient();
    const v6: ServiceKey = { family: 'inet6', fwmark: 1 };
    await ipvs.addService({ key: v6, scheduler: 'rr', flags: 0, timeout: 0, netmask: 128 });
    await expect(ipvs.addDestination(v6, { ...real, family: 'inet6', address })).rejects.toMatchObject({ code: 'IPVS_EINVAL' });
  });

  it.each(['::1', '::10.0.0.1', 'fec0::1', 'fd00::1', '2001:db8::1', 'e000::1'])('accepts the IPv6 unicast %s', async (address) => {
    const ipvs = new MemoryIpvsClient();
    const v6: ServiceKey = { family: 'inet6', fwmark: 1 };
    await ipvs.addService({ key: v6, scheduler: 'rr', flags: 0, timeout: 0, netmask: 128 });
    await ipvs.addDestination(v6, { ...real, family: 'inet6', address });
    expect(await ipvs.destinations(v6)).toHaveLength(1);
  });
});
