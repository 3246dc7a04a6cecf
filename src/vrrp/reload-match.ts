import { isDeepStrictEqual } from 'node:util';
import { ipFamily } from '../net/ip-address.js';
import type { InstanceConfig } from './instance-config.js';

/** A running instance and the one the reloaded file has for it. */
export interface InstanceMatch {
  readonly current: InstanceConfig;
  readonly next: InstanceConfig;
}

export interface InstanceMatches {
  readonly matched: readonly InstanceMatch[];
  /** In the new file only: they start. */
  readonly started: readonly InstanceConfig[];
  /** Running, not in the new file: they release what they hold and go. */
  readonly stopped: readonly InstanceConfig[];
}

function familyOf(c: InstanceConfig): 'inet' | 'inet6' {
  return c.endpoint?.family ?? (ipFamily(c.primaryAddress) === 6 ? 'inet6' : 'inet');
}

/**
 * keepalived's vrrp_exist (vrrp/vrrp.c): the same router is the same VRID, address family and
 * interface, both unicast or both multicast, and then the same unicast source address or the
 * same multicast group. The name plays no part: a renamed instance keeps running.
 */
export function routerKey(c: InstanceConfig): string {
  const unicast = c.endpoint !== undefined && c.endpoint.multicastGroup === undefined;
  return JSON.stringify([c.vrid, familyOf(c), c.endpoint?.ifname, unicast ? `unicast ${c.primaryAddress}` : `multicast ${c.endpoint?.multicastGroup}`]);
}

export function sameRouter(a: InstanceConfig, b: InstanceConfig): boolean {
  return routerKey(a) === routerKey(b);
}

/** Pairs running instances with the new file's, first fit in file order, each new one taken once. */
export function matchInstances(current: readonly InstanceConfig[], next: readonly InstanceConfig[]): InstanceMatches {
  const free = new Map<string, InstanceConfig[]>();
  for (const n of next) free.set(routerKey(n), [...(free.get(routerKey(n)) ?? []), n]);
  const taken = new Set<InstanceConfig>();
  const matched: InstanceMatch[] = [];
  const stopped: InstanceConfig[] = [];
  for (const c of current) {
    const n = free.get(routerKey(c))?.shift();
    if (n === undefined) {
      stopped.push(c);
      continue;
    }
    taken.add(n);
    matched.push({ current: c, next: n });
  }
  return { matched, started: next.filter((n) => !taken.has(n)), stopped };
}

/** The InstanceConfig fields that differ, the name left out (a rename is reported on its own). */
export function changedFields(a: InstanceConfig, b: InstanceConfig): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])] as (keyof InstanceConfig)[];
  return keys.filter((k) => k !== 'name' && !isDeepStrictEqual(a[k], b[k]));
}

/** Addresses in `b` and not in `a`. */
export function addressesOnlyIn(b: readonly string[], a: readonly string[]): string[] {
  return b.filter((x) => !a.includes(x));
}

/** One thing a reload keeps but changes. */
export interface InstanceChange {
  /** Its name in the new file. */
  readonly name: string;
  /** Its running name, when the new file calls it otherwise (matched as `sameRouter` says). */
  readonly renamedFrom?: string;
  /** What differs, by field name (VRRP: InstanceConfig's, then the service's: destinations, ttl, vips, routes, rules, authentication). */
  readonly fields: readonly string[];
  /** Addresses it would gain and lose (VRRP: VIPs). */
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** What a reload would do, by name; daemon/service.ts ReloadPreview is this plus the service's name. */
export interface VrrpReloadPlan {
  /** In the new file only (by their new names). */
  readonly started: readonly string[];
  /** Running and not in the new file (by their running names). */
  readonly stopped: readonly string[];
  readonly changed: readonly InstanceChange[];
  /** Matched and left exactly as they run. */
  readonly unchanged: readonly string[];
}

/**
 * The dry-run's answer: pure. `moreFields` names differences the core does not see (the
 * service's virtual routes and rules).
 */
export function planVrrpReload(
  current: readonly InstanceConfig[],
  next: readonly InstanceConfig[],
  moreFields: (current: InstanceConfig, next: InstanceConfig) => string[] = () => [],
): VrrpReloadPlan {
  const m = matchInstances(current, next);
  const changed: InstanceChange[] = [];
  const unchanged: string[] = [];
  for (const { current: c, next: n } of m.matched) {
    const fields = [...changedFields(c, n), ...moreFields(c, n)];
    if (fields.length === 0 && c.name === n.name) {
      unchanged.push(n.name);
      continue;
    }
    changed.push({
      name: n.name,
      ...(c.name !== n.name ? { renamedFrom: c.name } : {}),
      fields,
      added: addressesOnlyIn(n.virtualAddresses, c.virtualAddresses),
      removed: addressesOnlyIn(c.virtualAddresses, n.virtualAddresses),
    });
  }
  return { started: m.started.map((c) => c.name), stopped: m.stopped.map((c) => c.name), changed, unchanged };
}
