/**
 * The reconciler's plan: from the table we want and the table the kernel has (a dump), the
 * fewest IPVS operations that make the kernel's match ours. Pure.
 *
 * What is ours: every desired service, with all its destinations (a destination added by hand to
 * one of our services is removed). Services we do not desire are left alone unless `flush` is on
 * (keepalived's `lvs_flush`) or they are listed in `owned` (what we programmed before: a reload
 * that drops a virtual_server deletes it, a stranger's service survives).
 *
 * Order: unwanted services go first (freeing their keys and the destinations with them), then
 * services are added or edited, then per service destinations are added, edited, and last
 * deleted, so a service being moved from one set of real servers to another never runs empty.
 */
import type { Destination, DestinationKey, Service, ServiceKey, Table } from './types.js';
import { IP_VS_SVC_F } from './ip-vs-header.js';
import { ipv4Netmask } from '../net/inet.js';
import { canonicalIpvsAddress } from './address.js';
import { canonicalDestinationKey, canonicalServiceKey, describeService, destinationId, serviceId } from './keys.js';
import { IpvsError, IPVS_BAD_VALUE } from './errors.js';

export type ReconcileStep =
  | { readonly kind: 'delete-service'; readonly key: ServiceKey }
  | { readonly kind: 'add-service'; readonly service: Service }
  | { readonly kind: 'edit-service'; readonly service: Service }
  | { readonly kind: 'add-destination'; readonly service: ServiceKey; readonly destination: Destination }
  | { readonly kind: 'edit-destination'; readonly service: ServiceKey; readonly destination: Destination }
  | { readonly kind: 'delete-destination'; readonly service: ServiceKey; readonly destination: DestinationKey };

export interface ReconcileOptions {
  /** Delete every service that is not desired, like keepalived's `lvs_flush`. Default false. */
  readonly flush?: boolean;
  /** Services we programmed before: deleted when no longer desired, even without `flush`. */
  readonly owned?: Iterable<ServiceKey>;
}

/** A v4 netmask may be written as a prefix length; the kernel always answers with the dotted mask. */
function netmaskText(service: Service): string {
  const { netmask } = service;
  if (service.key.family === 'inet6') return String(netmask);
  return typeof netmask === 'string' ? canonicalIpvsAddress(netmask, 'inet') : ipv4Netmask(netmask);
}

/** Equal as far as the kernel is concerned: HASHED is the kernel's bit, an empty pe is no pe. */
export function sameService(a: Service, b: Service): boolean {
  return (
    a.scheduler === b.scheduler &&
    (a.flags & ~IP_VS_SVC_F.HASHED) === (b.flags & ~IP_VS_SVC_F.HASHED) &&
    a.timeout === b.timeout &&
    netmaskText(a) === netmaskText(b) &&
    (a.pe || undefined) === (b.pe || undefined)
  );
}

/** Equal settings; tunnel settings count only for tunnel destinations (the dump reports no others). */
export function sameDestination(a: Destination, b: Destination): boolean {
  const tunnelMatches =
    a.forward !== 'tunnel' || ((a.tunnelType ?? 'ipip') === (b.tunnelType ?? 'ipip') && (a.tunnelPort ?? 0) === (b.tunnelPort ?? 0) && (a.tunnelFlags ?? 0) === (b.tunnelFlags ?? 0));
  return a.forward === b.forward && a.weight === b.weight && a.upperThreshold === b.upperThreshold && a.lowerThreshold === b.lowerThreshold && tunnelMatches;
}

type Entry = Table['services'][number];

function byService(table: Table, what: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  for (const entry of table.services) {
    const id = serviceId(entry.service.key);
    if (entries.has(id)) throw new IpvsError(IPVS_BAD_VALUE, `${what} table lists ${describeService(entry.service.key)} twice`);
    entries.set(id, entry);
  }
  return entries;
}

function byDestination(destinations: readonly Destination[]): Map<string, Destination> {
  return new Map(destinations.map((destination) => [destinationId(destination), destination]));
}

export function planReconcile(desired: Table, actual: Table, options: ReconcileOptions = {}): ReconcileStep[] {
  const want = byService(desired, 'desired');
  const have = byService(actual, 'actual');
  const owned = new Set([...(options.owned ?? [])].map(serviceId));
  const steps: ReconcileStep[] = [];

  for (const [id, entry] of have) {
    if (!want.has(id) && (options.flush === true || owned.has(id))) steps.push({ kind: 'delete-service', key: entry.service.key });
  }

  const destinationSteps: ReconcileStep[] = [];
  for (const [id, entry] of want) {
    const key = canonicalServiceKey(entry.service.key);
    const current = have.get(id);
    const service = { ...entry.service, key };
    if (current === undefined) steps.push({ kind: 'add-service', service });
    else if (!sameService(service, current.service)) steps.push({ kind: 'edit-service', service });

    const existing = byDestination(current?.destinations ?? []);
    const wanted = byDestination(entry.destinations);
    const deletions: ReconcileStep[] = [];
    for (const [destinationKey, destination] of wanted) {
      const normal = { ...destination, ...canonicalDestinationKey(destination) };
      const now = existing.get(destinationKey);
      if (now === undefined) destinationSteps.push({ kind: 'add-destination', service: key, destination: normal });
      else if (!sameDestination(normal, now)) destinationSteps.push({ kind: 'edit-destination', service: key, destination: normal });
    }
    for (const [destinationKey, now] of existing) {
      if (!wanted.has(destinationKey)) {
        deletions.push({ kind: 'delete-destination', service: key, destination: { family: now.family, address: now.address, port: now.port } });
      }
    }
    destinationSteps.push(...deletions);
  }
  return [...steps, ...destinationSteps];
}
