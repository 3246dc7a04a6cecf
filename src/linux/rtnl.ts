import { createRtNetlink, FlagsNew, type RtNetlinkSocket, type rt, type ifla } from 'netlink';
import { bytesToIp, ipToBytes, type AddressFamily } from '../net/ip-address.js';
import { netlinkFailure } from './netlink-error.js';

const AF_INET = 2;
const AF_INET6 = 10;

export type AddressScope = 'global' | 'site' | 'link' | 'host' | 'nowhere';
const SCOPES: Record<AddressScope, number> = { global: 0, site: 200, link: 253, host: 254, nowhere: 255 };

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

export function familyOf(address: string): AddressFamily {
  return ipToBytes(address).family;
}

/** Requests on one rtnetlink socket: the addresses, routes and link facts VRRP needs. */
export class Rtnl {
  private constructor(private readonly socket: RtNetlinkSocket) {}

  static open(): Rtnl {
    return new Rtnl(createRtNetlink());
  }

  close(): void {
    this.socket.socket.close();
  }

  async addAddress(a: InterfaceAddress): Promise<void> {
    const [data, attrs] = addressMessage(a);
    // NLM_F_EXCL: an address someone else configured must not be silently claimed as ours
    await this.socket.newAddress(data, attrs, { flags: FlagsNew.CREATE | FlagsNew.EXCL }).catch((e: unknown) => {
      throw netlinkFailure(`add address ${a.address}/${a.prefix} on ifindex ${a.ifindex}`, e);
    });
  }

  async deleteAddress(a: InterfaceAddress): Promise<void> {
    const [data, attrs] = addressMessage(a);
    await this.socket.delAddress(data, attrs).catch((e: unknown) => {
      throw netlinkFailure(`delete address ${a.address}/${a.prefix} on ifindex ${a.ifindex}`, e);
    });
  }

  async addresses(): Promise<InterfaceAddress[]> {
    const messages = await this.socket.getAddresses().catch((e: unknown) => {
      throw netlinkFailure('list addresses', e);
    });
    return messages.map((m) => parseAddress(m.data, m.attrs)).filter((a): a is InterfaceAddress => a !== undefined);
  }

  async links(): Promise<LinkState[]> {
    const messages = await this.socket.getLinks().catch((e: unknown) => {
      throw netlinkFailure('list links', e);
    });
    return messages.map((m) => parseLink(m.data, m.attrs));
  }

  async addRoute(r: Route): Promise<void> {
    const [data, attrs] = routeMessage(r);
    await this.socket.newRoute(data, attrs, { flags: FlagsNew.CREATE | FlagsNew.EXCL }).catch((e: unknown) => {
      throw netlinkFailure(`add route ${r.destination}/${r.prefix}`, e);
    });
  }

  async deleteRoute(r: Route): Promise<void> {
    const [data, attrs] = routeMessage(r);
    await this.socket.delRoute(data, attrs).catch((e: unknown) => {
      throw netlinkFailure(`delete route ${r.destination}/${r.prefix}`, e);
    });
  }
}

function addressMessage(a: InterfaceAddress): [rt.Address, rt.AddressAttrs] {
  const { family, bytes } = ipToBytes(a.address);
  const data: rt.Address = {
    family: family === 'inet' ? AF_INET : AF_INET6,
    prefixlen: a.prefix,
    scope: SCOPES[a.scope ?? 'global'],
    index: a.ifindex,
    // a VIP moves between directors: duplicate address detection would only delay it
    ...(family === 'inet6' ? { flags: { nodad: true } } : {}),
  };
  const attrs: rt.AddressAttrs = { local: bytes, address: bytes };
  if (a.label !== undefined) attrs.label = a.label;
  if (a.broadcast !== undefined) attrs.broadcast = ipToBytes(a.broadcast).bytes;
  return [data, attrs];
}

function scopeName(scope: number | undefined): AddressScope {
  const entry = Object.entries(SCOPES).find(([, value]) => value === scope);
  return (entry?.[0] as AddressScope | undefined) ?? 'global';
}

export function parseAddress(data: rt.Address, attrs: rt.AddressAttrs): InterfaceAddress | undefined {
  const raw = attrs.local ?? attrs.address;
  if (raw === undefined || data.index === undefined) return undefined;
  return {
    address: bytesToIp(raw),
    prefix: data.prefixlen ?? 0,
    ifindex: data.index,
    scope: scopeName(data.scope),
    ...(attrs.label !== undefined ? { label: attrs.label } : {}),
    ...(attrs.broadcast !== undefined ? { broadcast: bytesToIp(attrs.broadcast) } : {}),
  };
}

export function parseLink(data: rt.Link, attrs: ifla.LinkAttrs): LinkState {
  const mac = attrs.address?.length === 6 ? [...attrs.address].map((b) => b.toString(16).padStart(2, '0')).join(':') : undefined;
  return {
    index: data.index ?? 0,
    name: attrs.ifname ?? '',
    up: data.flags?.up === true,
    running: data.flags?.running === true,
    ...(mac !== undefined ? { mac } : {}),
  };
}

function routeMessage(r: Route): [rt.Route, rt.RouteAttrs] {
  const { family, bytes } = ipToBytes(r.destination);
  const data: rt.Route = {
    family: family === 'inet' ? AF_INET : AF_INET6,
    dstLen: r.prefix,
    table: r.table ?? 254,
    protocol: 'STATIC',
    scope: SCOPES[r.scope ?? (r.gateway === undefined ? 'link' : 'global')],
    type: 'UNICAST',
  };
  const attrs: rt.RouteAttrs = { dst: bytes };
  if (r.ifindex !== undefined) attrs.oif = r.ifindex;
  if (r.gateway !== undefined) attrs.gateway = ipToBytes(r.gateway).bytes;
  if (r.source !== undefined) attrs.prefsrc = ipToBytes(r.source).bytes;
  if (r.metric !== undefined) attrs.priority = r.metric;
  return [data, attrs];
}
