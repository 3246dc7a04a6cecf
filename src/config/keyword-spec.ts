/**
 * The vocabulary of the keyword table: where a keyword may appear, what its arguments look like,
 * what it opens, its default and how far keepalived-ts acts on it. The table itself
 * (keywords.ts) is plain data written in this vocabulary; the analyzer, the did-you-mean and the
 * generated reference all read it.
 */

import type { CheckerType } from './model.js';

/** A block whose lines are keywords. `root` is the top level of the file. */
export type BlockName =
  | 'root'
  | 'global_defs'
  | 'SSL'
  | 'vrrp_script'
  | 'track_file'
  | 'vrrp_track_process'
  | 'track_group'
  | 'vrrp_sync_group'
  | 'garp_group'
  | 'vrrp_instance'
  | 'authentication'
  | 'auth_hmac'
  | 'bfd_instance'
  | 'virtual_server'
  | 'real_server'
  | 'url'
  | 'smtp_host'
  | CheckerType;

/**
 * A block whose lines are data items rather than keywords: each line's first word is the item
 * (an address, an instance name, ...). The analyzer parses these lines by kind.
 */
export type ListKind =
  | 'address' // virtual_ipaddress, virtual_ipaddress_excluded, static_ipaddress
  | 'route' // virtual_routes, static_routes
  | 'rule' // virtual_rules, static_rules
  | 'peer' // unicast_peer
  | 'names' // sync group members, notification_email, interface lists
  | 'tracked-interface'
  | 'tracked-script'
  | 'tracked-file'
  | 'tracked-process'
  | 'tracked-bfd'
  | 'vsg-entry' // virtual_server_group members
  | 'words'; // accepted as is (blocks we do not act on yet)

export type ArgType =
  | { readonly type: 'int'; readonly min: number; readonly max: number }
  /** A duration or other decimal, in seconds unless the description says otherwise. */
  | { readonly type: 'decimal'; readonly min: number; readonly max: number }
  | { readonly type: 'bool' }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'ip' }
  /** Hexadecimal digits, exactly `length` of them. */
  | { readonly type: 'hex'; readonly length: number }
  | { readonly type: 'string' };

/** Positional argument types; when `max` exceeds `args.length`, the last type repeats. */
export interface ArgShape {
  readonly min: number;
  readonly max: number;
  readonly args: readonly ArgType[];
  /** The words form one command line (scripts): kept joined, quoting preserved by the parser. */
  readonly command?: boolean;
}

/**
 * What the running daemon does with a keyword today; the one field to flip when a feature lands.
 * `acted-on`: some runtime module reads it (test/unit/config/keyword-status.test.ts names which).
 * `parsed`: read and checked, shown by `-d`, but nothing at runtime uses it; a config that writes
 * it gets a `not-acted-on` warning (not-acted-on.ts) under `-t` and at start-up.
 */
export type KeywordStatus = 'acted-on' | 'parsed';

export type DefaultValue = number | string | boolean | null;

export interface KeywordSpec {
  /** The keyword as keepalived registers it. */
  readonly name: string;
  /** Blocks it is valid in; `*` means anywhere (include). */
  readonly blocks: readonly (BlockName | '*')[];
  readonly shape: ArgShape;
  readonly description: string;
  readonly status: KeywordStatus;
  /** The value used when the keyword is absent; `undefined` means "no value" (unset/none). */
  readonly default?: DefaultValue;
  /** How the default reads in the reference when it is not a plain value. */
  readonly defaultNote?: string;
  /** For a legacy spelling: the keyword it stands for. */
  readonly canonical?: string;
  /** The keyword opens a `{ }` block of keywords. */
  readonly opens?: BlockName;
  /** The keyword opens a `{ }` block of data lines. */
  readonly list?: ListKind;
  /** May appear several times, each adding to a list (otherwise the last one wins). */
  readonly repeatable?: boolean;
}

export const NONE: ArgShape = { min: 0, max: 0, args: [] };
export const OPT_BOOL: ArgShape = { min: 0, max: 1, args: [{ type: 'bool' }] };
export const STR: ArgShape = { min: 1, max: 1, args: [{ type: 'string' }] };
export const OPT_STR: ArgShape = { min: 0, max: 1, args: [{ type: 'string' }] };
export const WORDS: ArgShape = { min: 1, max: Infinity, args: [{ type: 'string' }] };
export const OPT_WORDS: ArgShape = { min: 0, max: Infinity, args: [{ type: 'string' }] };
export const COMMAND: ArgShape = { min: 1, max: Infinity, args: [{ type: 'string' }], command: true };
export const IP: ArgShape = { min: 1, max: 1, args: [{ type: 'ip' }] };

export function int(min: number, max: number): ArgShape {
  return { min: 1, max: 1, args: [{ type: 'int', min, max }] };
}

export function optInt(min: number, max: number): ArgShape {
  return { min: 0, max: 1, args: [{ type: 'int', min, max }] };
}

export function seconds(min: number, max: number): ArgShape {
  return { min: 1, max: 1, args: [{ type: 'decimal', min, max }] };
}

export function oneOf(...values: string[]): ArgShape {
  return { min: 1, max: 1, args: [{ type: 'enum', values }] };
}
