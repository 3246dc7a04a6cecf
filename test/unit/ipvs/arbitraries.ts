/** fast-check generators of IPVS values as a kernel dump would return them (canonical addresses). */
import fc from 'fast-check';
import { formatAddress, ipv4Netmask } from '../../../src/ipvs/address.js';
import type { Destination, Family, Service, ServiceKey } from '../../../src/ipvs/types.js';

export const family = fc.constantFrom<Family>('inet', 'inet6');

export function address(of: Family): fc.Arbitrary<string> {
  return fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => formatAddress(of, of === 'inet' ? bytes.subarray(0, 4) : bytes));
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
export const serviceFlags = fc.constantFrom(0x01, 0x04, 0x08, 0x10, 0x20).chain((bit) =>
  fc.subarray([0x01, 0x04, 0x08, 0x10, 0x20]).map((bits) => bits.reduce((a, b) => a | b, bit)),
);

export function service(of?: Family): fc.Arbitrary<Service> {
  return serviceKey(of).chain((key) =>
    fc.record(
      {
        key: fc.constant(key),
        scheduler: fc.constantFrom(...SCHEDULERS),
        flags: fc.oneof(fc.constant(0), serviceFlags),
        timeout: fc.integer({ min: 0, max: 0xffffffff }),
        netmask:
          key.family === 'inet'
            ? fc.integer({ min: 0, max: 32 }).map(ipv4Netmask)
            : fc.integer({ min: 1, max: 128 }),
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
      .map(({ tunnelType, tunnelPort, tunnelFlags, ...rest }): Destination =>
        rest.forward === 'tunnel' ? { ...rest, tunnelType, tunnelPort, tunnelFlags } : rest,
      ),
  );
}
