/**
 * planRelease: a flush only when the dump holds nothing but ours; else ours that the dump shows,
 * one by one; without a dump, every one of ours.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serviceId } from '../../../src/ipvs/keys.js';
import { planRelease } from '../../../src/ipvs/release.js';
import type { ServiceKey } from '../../../src/ipvs/types.js';
import { tcp } from './fixtures.js';

const web = tcp('192.0.2.1', 80);
const api = tcp('2001:db8::2', 443);
const stranger: ServiceKey = { family: 'inet', fwmark: 99 };

describe('planRelease', () => {
  it('flushes when every service in the dump is ours, whatever the address spelling', () => {
    expect(planRelease([web, api], [web, tcp('2001:db8:0::2', 443)])).toEqual({ kind: 'flush' });
    expect(planRelease([web, api], [api])).toEqual({ kind: 'flush' });
  });

  it("deletes ours one by one, and only those the dump shows, when anyone else's is there", () => {
    expect(planRelease([web, api], [stranger, web])).toEqual({ kind: 'delete', steps: [{ kind: 'delete-service', key: web }] });
  });

  it('writes nothing to an empty table, and deletes every one of ours without a dump', () => {
    expect(planRelease([web, api], [])).toEqual({ kind: 'delete', steps: [] });
    expect(planRelease([web, api], undefined)).toEqual({ kind: 'delete', steps: [web, api].map((key) => ({ kind: 'delete-service', key })) });
  });

  it('never plans to remove a service that is not ours, and leaves none of ours behind', () => {
    const key = fc.oneof(
      fc.record({ family: fc.constant('inet' as const), protocol: fc.constantFrom('tcp' as const, 'udp' as const), address: fc.ipV4(), port: fc.integer({ min: 1, max: 65535 }) }),
      fc.record({ family: fc.constant('inet' as const), fwmark: fc.integer({ min: 1, max: 9 }) }),
    );
    fc.assert(
      fc.property(fc.array(key, { maxLength: 8 }), fc.array(key, { maxLength: 8 }), (ours, others) => {
        const mine = new Set(ours.map(serviceId));
        const kernel = [...ours, ...others];
        const plan = planRelease(ours, kernel);
        // a flush removes the whole dump; deletes remove their keys
        const removed = plan.kind === 'flush' ? kernel : plan.steps.flatMap((step) => (step.kind === 'delete-service' ? [step.key] : []));
        expect(removed.every((k) => mine.has(serviceId(k)))).toBe(true);
        const gone = new Set(removed.map(serviceId));
        const left = kernel.filter((k) => !gone.has(serviceId(k)));
        expect(left.some((k) => mine.has(serviceId(k)))).toBe(false);
      }),
    );
  });
});
