/**
 * The table-driven pass over the syntax tree: for each statement of a block, find its keyword
 * row, resolve legacy spellings, check the arguments against the row's shape and convert them,
 * and descend into sub-blocks. Everything the user wrote is either read into an `Entry` or
 * reported; nothing is dropped silently. The builders then only see well-formed values.
 */
import { canonicalIp } from './address.js';
import type { Arg, Statement } from './ast.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { blocksOf, keywordsIn, lookupKeyword } from './keyword-index.js';
import type { ArgType, BlockName, KeywordSpec } from './keyword-spec.js';
import { REMOVED_KEYWORDS } from './keywords.js';
import { suggest } from './suggest.js';

/** A converted argument list: flags are `true`, optional arguments left out are `null`. */
export type Value = boolean | number | string | null | readonly string[];

export interface Entry {
  /** The canonical row (for a legacy spelling, the row it stands for). */
  readonly spec: KeywordSpec;
  readonly name: string;
  readonly stmt: Statement;
  readonly value: Value;
  /** The keywords of the block the keyword opens. */
  readonly child?: BlockReading;
  /** The data lines of the block the keyword opens. */
  readonly lines?: readonly Statement[];
}

export interface BlockReading {
  readonly block: BlockName;
  readonly entries: readonly Entry[];
}

export interface ReadOptions {
  /** Called for a statement that is no keyword of its block; return true if it was handled. */
  readonly unknown?: (block: BlockName, stmt: Statement) => boolean;
}

const INTEGER = /^[+-]?\d+$/;
const PLACEHOLDER = /^<[A-Za-z][\w -]*>$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const BOOLEANS: Readonly<Record<string, boolean>> = { on: true, true: true, yes: true, off: false, false: false, no: false };

export function readBlock(
  block: BlockName,
  statements: readonly Statement[],
  sink: DiagnosticSink,
  options: ReadOptions = {},
): BlockReading {
  const entries: Entry[] = [];
  const seen = new Map<string, Statement>();
  for (const stmt of statements) {
    const written = lookupKeyword(block, stmt.keyword);
    if (!written) {
      if (!options.unknown?.(block, stmt)) reportUnknown(block, stmt, sink);
      continue;
    }
    if (written.name === 'include') continue;
    const spec = written.canonical ? lookupKeyword(block, written.canonical) ?? written : written;
    if (written.canonical) {
      sink.report(
        'deprecated-keyword',
        `'${stmt.keyword}' is deprecated - please use '${spec.name}'`,
        { pos: stmt.pos, keyword: stmt.keyword },
        `replace with '${spec.name}'`,
      );
    }
    const entry = readEntry(spec, stmt, sink, options);
    if (!entry) continue;
    const single = !spec.opens && !spec.list && !spec.repeatable;
    const earlier = seen.get(spec.name);
    if (single && earlier) {
      sink.report(
        'duplicate-keyword',
        `'${spec.name}' given again (first at line ${earlier.pos.line}); the last one wins`,
        { pos: stmt.pos, keyword: stmt.keyword },
      );
    }
    seen.set(spec.name, stmt);
    entries.push(entry);
  }
  return { block, entries };
}

function reportUnknown(block: BlockName, stmt: Statement, sink: DiagnosticSink): void {
  const elsewhere = blocksOf(stmt.keyword).filter((b) => b !== '*');
  if (elsewhere.length > 0) {
    sink.report(
      'misplaced-keyword',
      `'${stmt.keyword}' is not valid in ${block === 'root' ? 'the top level' : block}`,
      { pos: stmt.pos, keyword: stmt.keyword },
      `it belongs in ${[...new Set(elsewhere)].map((b) => (b === 'root' ? 'the top level' : b)).join(' or ')}`,
    );
    return;
  }
  const guess = suggest(stmt.keyword, keywordsIn(block));
  sink.report(
    'unknown-keyword',
    `Unknown keyword '${stmt.keyword}'`,
    { pos: stmt.pos, keyword: stmt.keyword },
    REMOVED_KEYWORDS[stmt.keyword] ?? (guess !== undefined ? `did you mean '${guess}'?` : undefined),
  );
}

function readEntry(spec: KeywordSpec, stmt: Statement, sink: DiagnosticSink, options: ReadOptions): Entry | undefined {
  const site = { pos: stmt.pos, keyword: stmt.keyword };
  const opensBlock = spec.opens !== undefined || spec.list !== undefined;
  if (opensBlock && !stmt.block) {
    sink.report('missing-block', `'${stmt.keyword}' must be followed by a { } block`, site);
    return undefined;
  }
  if (!opensBlock && stmt.block) {
    sink.report('unexpected-block', `'${stmt.keyword}' takes no { } block; its content is ignored`, { pos: stmt.blockPos ?? stmt.pos, keyword: stmt.keyword });
  }
  const { shape } = spec;
  if (stmt.args.length < shape.min) {
    if (opensBlock) {
      sink.report('missing-name', `'${stmt.keyword}' needs a name; the block is ignored`, site);
    } else {
      sink.report(
        'missing-argument',
        `Configuration line starting '${stmt.keyword}' is missing a parameter at word position ${stmt.args.length + 2}`,
        site,
      );
    }
    return undefined;
  }
  let args = stmt.args;
  if (args.length > shape.max) {
    const extra = args[shape.max];
    sink.report(
      'extra-argument',
      `'${stmt.keyword}' takes ${shape.max === 0 ? 'no arguments' : `at most ${shape.max} argument${shape.max > 1 ? 's' : ''}`}; ignoring '${args
        .slice(shape.max)
        .map((a) => a.value)
        .join(' ')}'`,
      { pos: extra?.pos ?? stmt.pos, keyword: stmt.keyword },
    );
    args = args.slice(0, shape.max);
  }
  // An index loop with no per-argument allocation: this runs for every line of every config.
  let first: string | number | boolean | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (isPlaceholder(arg)) {
      sink.report(
        'placeholder-argument',
        `'${arg.value}' after '${stmt.keyword}' looks like a placeholder copied from documentation`,
        { pos: arg.pos, keyword: stmt.keyword },
        'replace it with a real value',
      );
      return undefined;
    }
    const type = shape.args[Math.min(index, shape.args.length - 1)];
    if (!type) continue;
    const value = convertArg(type, arg, stmt.keyword, sink);
    if (value === undefined) return undefined;
    if (index === 0) first = value;
  }
  let value: Value;
  if (shape.max === 0) value = true;
  else if (shape.command) value = commandLine(args);
  else if (shape.max === 1) value = first ?? (shape.args[0]?.type === 'bool' ? true : null);
  else value = args.map((a) => a.value);
  if (spec.opens && stmt.block) {
    return { spec, name: spec.name, stmt, value, child: readBlock(spec.opens, stmt.block, sink, options) };
  }
  if (spec.list && stmt.block) return { spec, name: spec.name, stmt, value, lines: stmt.block };
  return { spec, name: spec.name, stmt, value };
}

function convertArg(type: ArgType, arg: Arg, keyword: string, sink: DiagnosticSink): string | number | boolean | undefined {
  if (type.type === 'string') return arg.value;
  const site = { pos: arg.pos, keyword };
  switch (type.type) {
    case 'bool': {
      const b = BOOLEANS[arg.value];
      if (b === undefined) {
        sink.report('invalid-value', `'${keyword}' expects on|off|true|false|yes|no, not '${arg.value}'`, site);
      }
      return b;
    }
    case 'enum': {
      if (type.values.includes(arg.value)) return arg.value;
      const caseless = type.values.find((v) => v.toLowerCase() === arg.value.toLowerCase());
      sink.report(
        'invalid-value',
        `'${keyword}' expects ${type.values.join('|')}, not '${arg.value}'`,
        site,
        caseless !== undefined ? `did you mean '${caseless}'?` : undefined,
      );
      return undefined;
    }
    case 'ip': {
      const ip = canonicalIp(arg.value);
      if (ip !== undefined) return ip;
      sink.report('invalid-address', `'${keyword}' expects an IP address, not '${arg.value}'`, site);
      return undefined;
    }
    case 'hex':
      if (arg.value.length === type.length && /^[0-9a-fA-F]+$/.test(arg.value)) return arg.value.toLowerCase();
      sink.report('invalid-value', `'${keyword}' expects ${type.length} hexadecimal digits, not '${arg.value}'`, site);
      return undefined;
    case 'int':
    case 'decimal':
      return readNumber(type, arg, keyword, sink);
  }
}

export function readNumber(
  type: { readonly type: 'int' | 'decimal'; readonly min: number; readonly max: number },
  arg: Arg,
  keyword: string,
  sink: DiagnosticSink,
): number | undefined {
  const site = { pos: arg.pos, keyword };
  const pattern = type.type === 'int' ? INTEGER : DECIMAL;
  if (!pattern.test(arg.value)) {
    sink.report(
      'invalid-number',
      `'${keyword}' expects ${type.type === 'int' ? 'an integer' : 'a number'}, not '${arg.value}'`,
      site,
    );
    return undefined;
  }
  const n = Number(arg.value);
  if (n < type.min || n > type.max) {
    sink.report('out-of-range', `number '${arg.value}' outside range [${type.min}, ${type.max}]`, site);
    return undefined;
  }
  return n;
}

/** `<string>`, `<IPADDR>`, `<INTEGER>`: the notation of keepalived.conf(5), left in a real file. */
function isPlaceholder(arg: Arg): boolean {
  return !arg.quoted && PLACEHOLDER.test(arg.value);
}

/**
 * A script line as one command string: a single quoted argument is the whole command (keepalived
 * splits it like a shell); several arguments are joined as written (quotes and backslashes kept,
 * from the parser's `raw`), so splitting the string gives back the words the user meant.
 */
function commandLine(args: readonly Arg[]): string {
  if (args.length === 1 && args[0]) return args[0].value;
  return args.map((a) => a.raw ?? a.value).join(' ');
}

/** The last entry for a canonical keyword (the one that wins). */
export function lastEntry(reading: BlockReading | undefined, name: string): Entry | undefined {
  if (!reading) return undefined;
  for (let i = reading.entries.length - 1; i >= 0; i--) {
    const entry = reading.entries[i];
    if (entry?.name === name) return entry;
  }
  return undefined;
}

export function allEntries(reading: BlockReading | undefined, name: string): readonly Entry[] {
  return reading ? reading.entries.filter((e) => e.name === name) : [];
}
