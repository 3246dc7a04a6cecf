/**
 * The kernel objects VRRP installs and watches, as plain data: addresses on interfaces, links,
 * routes and policy rules. Pure code (the daemon's plans, the VRRP core) describes what it wants
 * in these types; only src/linux/rtnl.ts turns them into rtnetlink messages.
 */
import type { AddressFamily } from './ip-address.js';

/** rtnetlink.h RT_TABLE_MAIN: the table a route or rule means when it names none. */
export const RT_TABLE_MAIN = 254;

export type AddressScope = 'global' | 'site' | 'link' | 'host' | 'nowhere';

/** An address on an interface, as keepalived's `virtual_ipaddress` lines describe one. */
export interface InterfaceAddress {
  readonly address: string;
  readonly prefix: number;
  readonly ifindex: number;
  readonly label?: string;
  readonly scope?: AddressScope;
  readonly broadcast?: string;
}

export interface LinkState {
  readonly index: number;
  readonly name: string;
  /** Administratively up (IFF_UP). */
  readonly up: boolean;
  /** Carrier present and operational (IFF_RUNNING); what track_interface watches. */
  readonly running: boolean;
  readonly mac?: string;
}

export interface Route {
  readonly destination: string;
  readonly prefix: number;
  readonly ifindex?: number;
  readonly gateway?: string;
  readonly source?: string;
  readonly metric?: number;
  readonly table?: number;
  readonly scope?: AddressScope;
}

/** An address with its prefix length, as a rule's `from` and `to` select them. */
export interface AddressPrefix {
  readonly address: string;
  readonly prefix: number;
}

/** A policy routing rule, as keepalived's `virtual_rules` lines describe one. */
export interface Rule {
  readonly family: AddressFamily;
  readonly from?: AddressPrefix;
  readonly to?: AddressPrefix;
  readonly table?: number;
  readonly priority?: number;
  readonly fwmark?: number;
  readonly iifname?: string;
  readonly oifname?: string;
}

/** A rule as `ip rule` prints it, for logs. */
export function describeRule(r: Rule): string {
  const parts = [
    r.from !== undefined ? `from ${r.from.address}/${r.from.prefix}` : 'from all',
    ...(r.to !== undefined ? [`to ${r.to.address}/${r.to.prefix}`] : []),
    ...(r.fwmark !== undefined ? [`fwmark ${r.fwmark}`] : []),
    ...(r.iifname !== undefined ? [`iif ${r.iifname}`] : []),
    ...(r.oifname !== undefined ? [`oif ${r.oifname}`] : []),
    ...(r.priority !== undefined ? [`pref ${r.priority}`] : []),
    `table ${r.table ?? RT_TABLE_MAIN}`,
  ];
  return parts.join(' ');
}
