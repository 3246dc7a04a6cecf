import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IPVS_CMD_ATTR, decodeDestination, decodeService, destinationAttributes, serviceAttributes } from '../../../src/ipvs/genl.js';
import { Attributes, nested } from '../../../src/ipvs/nlattr.js';
import { destination, family, service } from './arbitraries.js';

/** Encode as a request nest, then read it back as the kernel would hand it to a dump. */
function viaWire(type: number, attributes: Uint8Array[]): Attributes {
  const outer = new Attributes(nested(type, attributes));
  const inner = outer.nested(type);
  if (inner === undefined) throw new Error('nest lost');
  return inner;
}

describe('every service and destination round-trips through the IPVS attributes', () => {
  it('services', () => {
    fc.assert(
      fc.property(service(), (svc) => {
        expect(decodeService(viaWire(IPVS_CMD_ATTR.SERVICE, serviceAttributes(svc)))).toEqual(svc);
      }),
      { numRuns: 500 },
    );
  });

  it('destinations, with the counters a dump always carries', () => {
    fc.assert(
      fc.property(family, destination(), (serviceFamily, dest) => {
        expect(decodeDestination(viaWire(IPVS_CMD_ATTR.DEST, destinationAttributes(dest)), serviceFamily)).toEqual({
          ...dest,
          activeConns: 0,
          inactiveConns: 0,
          persistConns: 0,
        });
      }),
      { numRuns: 500 },
    );
  });
});
