import { createRtNetlink, FlagsNew, type RtNetlinkSocket, type rt, type ifla } from 'netlink';
import { bytesToIp, ipToBytes } from '../net/ip-address.js';
import { RT_TABLE_MAIN, describeRule, type AddressScope, type InterfaceAddress, type LinkState, type Route, type Rule } from '../net/kernel-objects.js';
import { netlinkFailure } from './netlink-error.js';

const AF_INET = 2;
const AF_INET6 = 10;

const SCOPES: Record<AddressScope, number> = { global: 0, site: 200, link: 253, host: 254, nowhere: 255 };

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

  async addRule(r: Rule): Promise<void> {
    const [data, attrs] = ruleMessage(r);
    await this.socket.newRule(data, attrs, { flags: FlagsNew.CREATE | FlagsNew.EXCL }).catch((e: unknown) => {
      throw netlinkFailure(`add rule ${describeRule(r)}`, e);
    });
  }

  async deleteRule(r: Rule): Promise<void> {
    const [data, attrs] = ruleMessage(r);
    await this.socket.delRule(data, attrs).catch((e: unknown) => {
      throw netlinkFailure(`delete rule ${describeRule(r)}`, e);
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
    table: legacyTable(r.table ?? RT_TABLE_MAIN),
    protocol: 'STATIC',
    scope: SCOPES[r.scope ?? (r.gateway === undefined ? 'link' : 'global')],
    type: 'UNICAST',
  };
  const attrs: rt.RouteAttrs = { dst: bytes };
  if (r.ifindex !== undefined) attrs.oif = r.ifindex;
  if (r.gateway !== undefined) attrs.gateway = ipToBytes(r.gateway).bytes;
  if (r.source !== undefined) attrs.prefsrc = ipToBytes(r.source).bytes;
  if (r.metric !== undefined) attrs.priority = r.metric;
  if (r.table !== undefined) attrs.table = r.table;
  return [data, attrs];
}

/** rtmsg/fib_rule_hdr hold a table id in one byte; larger ids travel only in the TABLE attribute. */
const RT_TABLE_COMPAT = 252;

function legacyTable(table: number): number {
  return table < 256 ? table : RT_TABLE_COMPAT;
}

function ruleMessage(r: Rule): [rt.Rule, rt.RuleAttrs] {
  const table = r.table ?? RT_TABLE_MAIN;
  const data: rt.Rule = {
    family: r.family === 'inet' ? AF_INET : AF_INET6,
    srcLen: r.from?.prefix ?? 0,
    dstLen: r.to?.prefix ?? 0,
    table: legacyTable(table),
    action: 'toTbl',
  };
  const attrs: rt.RuleAttrs = { table };
  if (r.from !== undefined) attrs.src = ipToBytes(r.from.address).bytes;
  if (r.to !== undefined) attrs.dst = ipToBytes(r.to.address).bytes;
  if (r.priority !== undefined) attrs.priority = r.priority;
  if (r.fwmark !== undefined) attrs.fwmark = r.fwmark;
  if (r.iifname !== undefined) attrs.iifname = r.iifname;
  if (r.oifname !== undefined) attrs.oifname = r.oifname;
  return [data, attrs];
}
