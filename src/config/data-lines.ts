/**
 * Readers for the data lines inside list blocks (virtual_ipaddress, virtual_routes,
 * unicast_peer, track_script, virtual_server_group ...), where the first word of a line is an
 * item rather than a keyword. Each reader returns the item or reports why the line is unusable.
 */
import { canonicalIp, ipFamily } from '../net/ip-address.js';
import type { Arg, Statement } from './ast.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { RouteOrRule, Tracked, UnicastPeer, VirtualIp, VsgEntry } from './model.js';
import { readNumber } from './read-block.js';

/** The words of a data line: its first word and its arguments, with their positions. */
function words(stmt: Statement): readonly Arg[] {
  return [{ value: stmt.keyword, quoted: false, pos: stmt.pos }, ...stmt.args];
}

function lineText(stmt: Statement): string {
  return words(stmt)
    .map((w) => w.value)
    .join(' ');
}

export interface Prefix {
  readonly ip: string;
  readonly prefix: number;
  readonly family: 4 | 6;
}

/** `IP[/LEN]`; the length defaults to a host route. */
export function parsePrefix(text: string): Prefix | undefined {
  const [written = '', len, ...rest] = text.split('/');
  const family = ipFamily(written);
  const ip = canonicalIp(written);
  if (family === undefined || ip === undefined || rest.length > 0) return undefined;
  const max = family === 4 ? 32 : 128;
  if (len === undefined) return { ip, prefix: max, family };
  if (!/^\d+$/.test(len) || Number(len) > max) return undefined;
  return { ip, prefix: Number(len), family };
}

const VIP_VALUE_OPTIONS = new Set(['brd', 'broadcast', 'dev', 'scope', 'label', 'peer', 'preferred_lft', 'track_group']);
const VIP_FLAGS = new Set(['home', '-nodad', 'nodad', 'noprefixroute', 'autojoin', 'no_track']);
/** Address labels are interface names: IFNAMSIZ - 1 characters at most. */
const LABEL_MAX = 15;
const SCOPES = new Set(['global', 'site', 'link', 'host', 'nowhere']);

/** `IP[/LEN] [brd IP] [dev IF] [scope S] [label L] [peer IP] [home] [-nodad] ...` */
export function readVirtualIp(stmt: Statement, sink: DiagnosticSink, keyword: string): VirtualIp | undefined {
  const prefix = parsePrefix(stmt.keyword);
  if (!prefix) {
    sink.report('invalid-line', `'${stmt.keyword}' is not an IP address (in ${keyword})`, { pos: stmt.pos, keyword });
    return undefined;
  }
  const options: Record<string, string | true> = {};
  const args = stmt.args;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (VIP_FLAGS.has(word.value)) {
      options[word.value] = true;
      continue;
    }
    const value = args[i + 1];
    if (!VIP_VALUE_OPTIONS.has(word.value) || value === undefined) {
      sink.report(
        'invalid-line',
        value === undefined && VIP_VALUE_OPTIONS.has(word.value)
          ? `'${word.value}' needs a value in virtual address ${stmt.keyword}`
          : `Unknown configuration entry '${word.value}' for ip address - ignoring`,
        { pos: word.pos, keyword },
      );
      continue;
    }
    i++;
    options[word.value === 'broadcast' ? 'brd' : word.value] = value.value;
  }
  const take = (name: string): string | null => {
    const v = options[name];
    delete options[name];
    return typeof v === 'string' ? v : null;
  };
  const site = { pos: stmt.pos, keyword };
  // What keepalived ignores on an address line (vrrp_ipaddress.c, parse_ipaddress), in its words.
  const ignored = (message: string): null => {
    sink.report('invalid-line', message, site);
    return null;
  };
  let scope = take('scope');
  if (scope !== null && !SCOPES.has(scope) && !/^\d+$/.test(scope)) scope = ignored(`Invalid scope '${scope}' specified for ${stmt.keyword} - ignoring`);
  if (scope !== null && prefix.family === 6) scope = ignored(`Cannot specify scope for IPv6 addresses (${stmt.keyword}) - ignoring scope`);
  let label = take('label');
  if (label !== null && label.length > LABEL_MAX) {
    sink.report('invalid-line', `Address label ${label} is longer than maximum length ${LABEL_MAX} - removing address`, site);
    return undefined;
  }
  if (label !== null && prefix.family === 6) label = ignored(`Cannot specify label for IPv6 addresses (${stmt.keyword}) - ignoring label`);
  const peer = take('peer');
  let brd = take('brd');
  if (brd !== null && prefix.family === 6) brd = ignored(`Cannot assign a broadcast address to the IPv6 address ${stmt.keyword} - ignoring`);
  if (brd !== null && peer !== null) brd = ignored('Cannot specify broadcast and peer addresses - ignoring broadcast address');
  const noTrack = options['no_track'] === true;
  delete options['no_track'];
  return { pos: stmt.pos, ip: prefix.ip, prefix: prefix.prefix, family: prefix.family, dev: take('dev'), brd, scope, label, peer, no_track: noTrack, options };
}

const ROUTE_VALUE_OPTIONS = new Set([
  'src',
  'to',
  'from',
  'via',
  'gw',
  'dev',
  'oif',
  'iif',
  'scope',
  'table',
  'lookup',
  'metric',
  'preference',
  'pref',
  'priority',
  'order',
  'proto',
  'protocol',
  'realms',
  'realm',
  'mtu',
  'advmss',
  'tos',
  'dsfield',
  'fwmark',
  'goto',
  'suppress_prefixlength',
  'suppress_ifgroup',
  'uidrange',
  'ipproto',
  'sport',
  'dport',
  'type',
  'track_group',
  'rtt',
  'rttvar',
  'window',
  'cwnd',
  'initcwnd',
  'initrwnd',
  'ssthresh',
  'hoplimit',
  'reordering',
  'features',
  'quickack',
  'congctl',
  'expires',
  'fastopen_no_cookie',
  'encap',
  'nexthop',
  'weight',
  'l3mdev',
  'tun_id',
]);
const ADDRESS_OPTIONS = new Set(['src', 'via', 'gw', 'from', 'to']);

/** A route or rule line, kept as text with its options; addresses in it are checked. */
export function readRouteOrRule(stmt: Statement, sink: DiagnosticSink, keyword: string): RouteOrRule | undefined {
  const all = words(stmt);
  const options: Record<string, string | true> = {};
  let ok = true;
  for (let i = 0; i < all.length; i++) {
    const word = all[i]!;
    const next = all[i + 1];
    if (ROUTE_VALUE_OPTIONS.has(word.value) && next !== undefined) {
      if (ADDRESS_OPTIONS.has(word.value) && !isAddressOrSpecial(next.value)) {
        sink.report('invalid-line', `'${next.value}' is not an address (after '${word.value}' in ${keyword})`, { pos: next.pos, keyword });
        ok = false;
      }
      options[word.value] = next.value;
      i++;
    } else if (i === 0 && isAddressOrSpecial(word.value)) {
      options['to'] = word.value;
    } else {
      options[word.value] = true;
    }
  }
  return ok ? { pos: stmt.pos, text: lineText(stmt), options } : undefined;
}

function isAddressOrSpecial(text: string): boolean {
  return text === 'default' || text === 'all' || text === 'any' || parsePrefix(text) !== undefined;
}

/** `IP [min_ttl N] [max_ttl N]` */
export function readPeer(stmt: Statement, sink: DiagnosticSink): UnicastPeer | undefined {
  const keyword = 'unicast_peer';
  const ip = canonicalIp(stmt.keyword);
  if (ip === undefined) {
    sink.report('invalid-line', `'${stmt.keyword}' is not an IP address (in unicast_peer)`, { pos: stmt.pos, keyword });
    return undefined;
  }
  let minTtl: number | null = null;
  let maxTtl: number | null = null;
  for (let i = 0; i < stmt.args.length; i += 2) {
    const name = stmt.args[i]!;
    const value = stmt.args[i + 1];
    if ((name.value !== 'min_ttl' && name.value !== 'max_ttl') || value === undefined) {
      sink.report('invalid-line', `Unknown unicast_peer option '${name.value}' - ignoring`, { pos: name.pos, keyword });
      continue;
    }
    const n = readNumber({ type: 'int', min: 0, max: 255 }, value, name.value, sink);
    if (n === undefined) continue;
    if (name.value === 'min_ttl') minTtl = n;
    else maxTtl = n;
  }
  return { pos: stmt.pos, ip, min_ttl: minTtl, max_ttl: maxTtl };
}

/** `NAME [weight W [reverse]]` in track_interface / track_script / track_file lists. */
export function readTracked(stmt: Statement, sink: DiagnosticSink, keyword: string): Tracked | undefined {
  let weight: number | null = null;
  let reverse = false;
  const args = stmt.args;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word.value === 'weight') {
      const value = args[i + 1];
      if (value === undefined) {
        sink.report('invalid-line', `(${stmt.keyword}) weight without value specified - ignoring`, { pos: word.pos, keyword });
        return undefined;
      }
      i++;
      if (!/^[+-]?\d+$/.test(value.value) || Math.abs(Number(value.value)) > 253) {
        sink.report('tracking-weight-range', `${keyword} ${stmt.keyword}: weight must be between [-253..253] inclusive, ignoring...`, { pos: value.pos, keyword });
        return undefined;
      }
      weight = Number(value.value);
    } else if (word.value === 'reverse') {
      reverse = true;
    } else {
      sink.report('invalid-line', `unknown ${keyword} option '${word.value}' - ignoring`, { pos: word.pos, keyword });
    }
  }
  return { name: stmt.keyword, pos: stmt.pos, weight, reverse };
}

/** `IP PORT`, `IP-LASTPART PORT` (an address range) or `fwmark N` in a virtual_server_group. */
export function readVsgEntry(stmt: Statement, sink: DiagnosticSink): VsgEntry | undefined {
  const keyword = 'virtual_server_group';
  const site = { pos: stmt.pos, keyword };
  if (stmt.keyword === 'fwmark') {
    const arg = stmt.args[0];
    if (!arg) {
      sink.report('invalid-line', 'fwmark needs a number in virtual_server_group', site);
      return undefined;
    }
    const fwmark = readNumber({ type: 'int', min: 1, max: 4294967295 }, arg, 'fwmark', sink);
    return fwmark === undefined ? undefined : { pos: stmt.pos, fwmark };
  }
  const [written = '', rangeEnd] = stmt.keyword.split('-');
  const ip = canonicalIp(written);
  const portArg = stmt.args[0];
  if (ip === undefined || (rangeEnd !== undefined && !/^[0-9a-fA-F]+$/.test(rangeEnd))) {
    sink.report('invalid-line', `'${stmt.keyword}' is not an address or address range (in virtual_server_group)`, site);
    return undefined;
  }
  if (!portArg) {
    sink.report('invalid-line', `virtual_server_group entry ${stmt.keyword} has no port`, site);
    return undefined;
  }
  const port = readNumber({ type: 'int', min: 0, max: 65535 }, portArg, 'port', sink);
  if (port === undefined) return undefined;
  return { pos: stmt.pos, ip, range_end: rangeEnd ?? null, port };
}

/** A plain name line (sync group member, e-mail address, interface). */
export function readName(stmt: Statement, sink: DiagnosticSink, keyword: string): string {
  for (const extra of stmt.args) {
    sink.report('extra-argument', `ignoring '${extra.value}' after '${stmt.keyword}' in ${keyword}`, { pos: extra.pos, keyword });
  }
  return stmt.keyword;
}
