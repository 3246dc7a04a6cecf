/**
 * `virtual_routes` and `virtual_rules` lines, as the configuration keeps them (text plus
 * options), turned into what rtnetlink is asked for. Pure. An option this daemon cannot yet
 * install is refused at start-up rather than silently left out of the kernel.
 */

import { parsePrefix } from '../config/data-lines.js';
import type { RouteOrRule } from '../config/model.js';
import { KeepalivedError } from '../errors.js';
import type { AddressFamily } from '../net/ip-address.js';
import type { AddressPrefix, AddressScope, Rule } from '../net/kernel-objects.js';

/** A route with its interface by name: the index is looked up when it is installed. */
export interface RoutePlan {
  readonly destination: string;
  readonly prefix: number;
  readonly ifname?: string;
  readonly gateway?: string;
  readonly source?: string;
  readonly metric?: number;
  readonly table?: number;
  readonly scope?: AddressScope;
}

const TABLE_NAMES: Readonly<Record<string, number>> = { default: 253, main: 254, local: 255 };
const SCOPE_NAMES: ReadonlySet<string> = new Set(['global', 'site', 'link', 'host', 'nowhere']);
/** keepalived's options that change nothing this daemon installs. */
const IGNORED = new Set(['no_track']);

export function planRoute(line: RouteOrRule, instance: string, family: AddressFamily): RoutePlan {
  const o = options(line, instance, 'virtual_routes', ['to', 'via', 'gw', 'src', 'dev', 'oif', 'metric', 'preference', 'priority', 'table', 'scope']);
  const to = o.text('to');
  if (to === undefined) throw unusable(line, instance, 'virtual_routes', 'no destination');
  const gateway = o.text('via') ?? o.text('gw');
  const source = o.text('src');
  const destination = o.prefix('to', familyOfAny([gateway, source]) ?? family);
  const ifname = o.text('dev') ?? o.text('oif');
  const metric = o.number('metric') ?? o.number('preference') ?? o.number('priority');
  const table = o.table('table');
  const scope = o.text('scope');
  if (scope !== undefined && !SCOPE_NAMES.has(scope)) throw unusable(line, instance, 'virtual_routes', `scope '${scope}' is not supported`);
  return {
    destination: destination.address,
    prefix: destination.prefix,
    ...(ifname !== undefined ? { ifname } : {}),
    ...(gateway !== undefined ? { gateway } : {}),
    ...(source !== undefined ? { source } : {}),
    ...(metric !== undefined ? { metric } : {}),
    ...(table !== undefined ? { table } : {}),
    ...(scope !== undefined ? { scope: scope as AddressScope } : {}),
  };
}

export function planRule(line: RouteOrRule, instance: string, family: AddressFamily): Rule {
  const o = options(line, instance, 'virtual_rules', ['from', 'to', 'table', 'lookup', 'priority', 'preference', 'pref', 'order', 'fwmark', 'iif', 'oif']);
  const ruleFamily = familyOfAny([o.text('from'), o.text('to')]) ?? family;
  const from = o.text('from') === undefined ? undefined : o.prefix('from', ruleFamily);
  const to = o.text('to') === undefined ? undefined : o.prefix('to', ruleFamily);
  const table = o.table('table') ?? o.table('lookup');
  const priority = o.number('priority') ?? o.number('preference') ?? o.number('pref') ?? o.number('order');
  const fwmark = o.number('fwmark');
  const iifname = o.text('iif');
  const oifname = o.text('oif');
  return {
    family: ruleFamily,
    // `from all` is no selector at all
    ...(from !== undefined && from.prefix > 0 ? { from } : {}),
    ...(to !== undefined && to.prefix > 0 ? { to } : {}),
    ...(table !== undefined ? { table } : {}),
    ...(priority !== undefined ? { priority } : {}),
    ...(fwmark !== undefined ? { fwmark } : {}),
    ...(iifname !== undefined ? { iifname } : {}),
    ...(oifname !== undefined ? { oifname } : {}),
  };
}

function options(line: RouteOrRule, instance: string, keyword: string, known: readonly string[]) {
  for (const name of Object.keys(line.options)) {
    if (!known.includes(name) && !IGNORED.has(name)) throw unusable(line, instance, keyword, `option '${name}' is not supported`);
  }
  const text = (name: string): string | undefined => {
    const value = line.options[name];
    return typeof value === 'string' ? value : undefined;
  };
  const number = (name: string): number | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    // fwmark is usually written in hex
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw unusable(line, instance, keyword, `'${value}' after '${name}' is not a number`);
    return n;
  };
  return {
    text,
    number,
    table: (name: string): number | undefined => {
      const value = text(name);
      return value !== undefined && value in TABLE_NAMES ? TABLE_NAMES[value] : number(name);
    },
    prefix: (name: string, family: AddressFamily): AddressPrefix => {
      const value = text(name) ?? '';
      if (value === 'default' || value === 'all' || value === 'any') return { address: family === 'inet' ? '0.0.0.0' : '::', prefix: 0 };
      const parsed = parsePrefix(value);
      if (parsed === undefined) throw unusable(line, instance, keyword, `'${value}' after '${name}' is not an address`);
      return { address: parsed.ip, prefix: parsed.prefix };
    },
  };
}

function familyOfAny(texts: readonly (string | undefined)[]): AddressFamily | undefined {
  for (const text of texts) {
    const parsed = text === undefined ? undefined : parsePrefix(text);
    if (parsed !== undefined) return parsed.family === 4 ? 'inet' : 'inet6';
  }
  return undefined;
}

function unusable(line: RouteOrRule, instance: string, keyword: string, why: string): KeepalivedError {
  return new KeepalivedError('ERR_INSTANCE_UNUSABLE', `${instance}: ${keyword} '${line.text}' (line ${line.pos.line}): ${why}`);
}
