/**
 * How a stop empties the kernel of the services the daemon made, planned from a service dump
 * taken just before. Pure.
 *
 * When the dump holds nothing but ours, one IPVS_CMD_FLUSH does it: at 1,000 x 10 in the vm
 * (TCG) a flush took 0.03-0.32 s where our 1,000 DEL_SERVICE took 1.2-2.0 s
 * (docs/performance.md, "LVS controller"). Otherwise each of ours that the dump shows is deleted
 * on its own (the kernel drops its destinations with it) and the others are left alone.
 * Without a dump (it failed) every one of ours is deleted, a missing one answering ESRCH.
 *
 * The race that remains: a service someone else adds between the dump and the flush goes with
 * the flush. The window is one netlink round trip.
 */
import { serviceId } from './keys.js';
import type { ReconcileStep } from './reconcile.js';
import type { ServiceKey } from './types.js';

export type ReleasePlan = { readonly kind: 'flush' } | { readonly kind: 'delete'; readonly steps: readonly ReconcileStep[] };

export function planRelease(ours: readonly ServiceKey[], kernel: readonly ServiceKey[] | undefined): ReleasePlan {
  const remove = (keys: readonly ServiceKey[]): ReleasePlan => ({ kind: 'delete', steps: keys.map((key) => ({ kind: 'delete-service', key })) });
  if (kernel === undefined) return remove(ours);
  const mine = new Set(ours.map(serviceId));
  const present = kernel.filter((key) => mine.has(serviceId(key)));
  if (present.length > 0 && present.length === kernel.length) return { kind: 'flush' };
  return remove(present);
}
