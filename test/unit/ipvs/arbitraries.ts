/** fast-check generators of IPVS values as a kernel dump would return them (canonical addresses). */
import fc from 'fast-check';
import { canonicalIpvsAddress } from '../../../src/ipvs/address.js';
import { inetNtop, ipv4Netmask } from '../../../src/net/inet.js';
import { destinationId, serviceId } from '../../../src/ipvs/keys.js';
import type { Destination, Family, Service, ServiceKey, Table } from '../../../src/ipvs/types.js';

export const family = fc.constantFrom<Family>('inet', 'inet6');

export function address(of: Family): fc.Arbitrary<string> {
  return fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => inetNtop(of === 'inet' ? bytes.subarray(0, 4) : bytes, of));
}

export const port = fc.integer({ min: 0, max: 0xffff });

export function serviceKey(of?: Family): fc.Arbitrary<ServiceKey> {
  return (of === undefined ? family : fc.constant(of)).chain((f) =>
    fc.oneof(
      fc.record({ family: fc.constant(f), fwmark: fc.integer({ min: 1, max: 0xffffffff }) }),
      fc.record({ family: fc.constant(f), protocol: fc.constantFrom('tcp', 'udp', 'sctp' as const), address: address(f), port }),
    ),
  );
}

const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'mh', 'fo', 'ovf'];

/** Flags a user may set: everything but HASHED, which is the kernel's. */
export const serviceFlags = fc.constantFrom(0x01, 0x04, 0x08, 0x10, 0x20).chain((bit) => fc.subarray([0x01, 0x04, 0x08, 0x10, 0x20]).map((bits) => bits.reduce((a, b) => a | b, bit)));

export function service(of?: Family): fc.Arbitrary<Service> {
  return serviceKey(of).chain((key) =>
    fc.record(
      {
        key: fc.constant(key),
        scheduler: fc.constantFrom(...SCHEDULERS),
        flags: fc.oneof(fc.constant(0), serviceFlags),
        timeout: fc.integer({ min: 0, max: 0xffffffff }),
        netmask: key.family === 'inet' ? fc.integer({ min: 0, max: 32 }).map(ipv4Netmask) : fc.integer({ min: 1, max: 128 }),
        pe: fc.constant('sip'),
      },
      { requiredKeys: ['key', 'scheduler', 'flags', 'timeout', 'netmask'] },
    ),
  );
}

export function destination(of?: Family): fc.Arbitrary<Destination> {
  return (of === undefined ? family : fc.constant(of)).chain((f) =>
    fc
      .record({
        family: fc.constant(f),
        address: address(f),
        port,
        forward: fc.constantFrom('masq', 'local', 'tunnel', 'route', 'bypass' as const),
        weight: fc.integer({ min: 0, max: 0x7fffffff }),
        upperThreshold: fc.integer({ min: 0, max: 0xffffffff }),
        lowerThreshold: fc.integer({ min: 0, max: 0xffffffff }),
        tunnelType: fc.constantFrom('ipip', 'gue', 'gre' as const),
        tunnelPort: port,
        tunnelFlags: fc.integer({ min: 0, max: 3 }),
      })
      .map(({ tunnelType, tunnelPort, tunnelFlags, ...rest }): Destination => (rest.forward === 'tunnel' ? { ...rest, tunnelType, tunnelPort, tunnelFlags } : rest)),
  );
}

/** Real servers must be unicast: 10/8 and 2001:db8::/32 are. */
const unicast = (family: Family): fc.Arbitrary<string> =>
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => (family === 'inet' ? `10.${a}.${b}.${c}` : `2001:db8::${a.toString(16)}:${b.toString(16)}:${c.toString(16)}`));

/** A destination the kernel accepts in a service of its family: unicast, thresholds ordered and at most INT_MAX, GUE with a port. */
const kernelDestination = (svc: Service): fc.Arbitrary<Destination> =>
  fc.tuple(destination(svc.key.family), unicast(svc.key.family)).map(([d, address]) => ({
    ...d,
    address: canonicalIpvsAddress(address, d.family),
    upperThreshold: Math.max(d.upperThreshold & 0x7fffffff, d.lowerThreshold & 0x7fffffff),
    lowerThreshold: Math.min(d.upperThreshold & 0x7fffffff, d.lowerThreshold & 0x7fffffff),
    ...(d.tunnelType === 'gue' && d.tunnelPort === 0 ? { tunnelPort: 1 } : {}),
  }));

/** A service the kernel keeps as given: it stores the timeout in jiffies in 32 bits, so keep it small. */
const entry = service().chain((svc) =>
  fc.record({
    service: fc.constant({ ...svc, timeout: svc.timeout % 1_000_000 }),
    destinations: fc.uniqueArray(kernelDestination(svc), { maxLength: 5, selector: (d) => destinationId(d) }),
  }),
);

/** Disjoint tables: what we want, a stranger's services, and services we owned before. */
export const tables = fc.uniqueArray(entry, { maxLength: 12, selector: (e) => serviceId(e.service.key) }).chain((entries) => {
  const cut = fc.integer({ min: 0, max: entries.length });
  return fc.tuple(cut, cut).map(([a, b]) => ({
    desired: { services: entries.slice(0, Math.min(a, b)) },
    foreign: { services: entries.slice(Math.min(a, b), Math.max(a, b)) },
    previous: { services: entries.slice(Math.max(a, b)) },
  }));
});

/** External damage, as an operator with ipvsadm might do it; each picks its target by index. */
export const damage = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('delete-service' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('delete-destination' as const), pick: fc.nat(), sub: fc.nat() }),
    fc.record({ kind: fc.constant('reweight' as const), pick: fc.nat(), sub: fc.nat(), weight: fc.integer({ min: 0, max: 100 }) }),
    fc.record({ kind: fc.constant('reschedule' as const), pick: fc.nat(), scheduler: fc.constantFrom('rr', 'lc', 'sh') }),
    fc.record({ kind: fc.constant('intrude' as const), pick: fc.nat(), octet: fc.integer({ min: 1, max: 254 }) }),
    fc.record({ kind: fc.constant('flush' as const) }),
  ),
  { maxLength: 8 },
);

export type Harm = typeof damage extends fc.Arbitrary<(infer T)[]> ? T : never;

/** What the kernel holds, in a form independent of the reconciler's own comparisons. */
export function normal(table: Table): unknown {
  return Object.fromEntries(
    table.services.map(({ service: s, destinations }) => [
      serviceId(s.key),
      {
        scheduler: s.scheduler,
        flags: s.flags & ~2,
        timeout: s.timeout,
        netmask: s.key.family === 'inet6' ? s.netmask : typeof s.netmask === 'number' ? ipv4Netmask(s.netmask) : canonicalIpvsAddress(s.netmask, 'inet'),
        pe: s.pe ?? '',
        destinations: Object.fromEntries(
          destinations.map((d) => [destinationId(d), [d.forward, d.weight, d.upperThreshold, d.lowerThreshold, ...(d.forward === 'tunnel' ? [d.tunnelType, d.tunnelPort, d.tunnelFlags] : [])]]),
        ),
      },
    ]),
  );
}
