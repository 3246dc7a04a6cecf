import type { SyntaxCode } from './syntax-codes.js';
import { colAt, concatText, sliceText, textAtColumn, type LocatedText } from './located-text.js';

/**
 * keepalived's `$NAME=value` parameters. A definition is looked up when it is used, not when
 * it is defined, so a value may refer to names defined later; replacement repeats on the
 * replaced text until nothing more matches. A multi-line definition (each line but the last
 * ends in `\`) stands for several config lines and is only recognised at the end of a line.
 */

/** What a predefined name computes from, given the line being expanded. */
export interface ExpansionScope {
  /** Directory of the file the line came from: `${_PWD}`. */
  readonly pwd: string;
  /** The config id (`-i`, default the host name): `${_INSTANCE}`. */
  readonly configId: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A float in [0, 1), like Math.random; `${_RANDOM}` uses it. */
  readonly random: () => number;
}

export interface ExpansionProblem {
  readonly code: SyntaxCode;
  readonly message: string;
  /** Column in the original line. */
  readonly col: number;
}

interface Builtin {
  readonly minParams: number;
  readonly maxParams: number;
  readonly numbersOnly: boolean;
  readonly compute: (params: readonly string[], scope: ExpansionScope) => string | undefined;
}

const RANDOM_MAX_DEFAULT = 32767;

const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['_PWD', { minParams: 0, maxParams: 0, numbersOnly: false, compute: (_p, s) => s.pwd }],
  ['_INSTANCE', { minParams: 0, maxParams: 0, numbersOnly: false, compute: (_p, s) => s.configId }],
  ['_RANDOM', { minParams: 0, maxParams: 2, numbersOnly: true, compute: randomValue }],
  ['_ENV', { minParams: 1, maxParams: 1, numbersOnly: false, compute: (p, s) => s.env[p[0] as string] }],
  ['_HASH', { minParams: 0, maxParams: 0, numbersOnly: false, compute: () => '#' }],
  ['_BANG', { minParams: 0, maxParams: 0, numbersOnly: false, compute: () => '!' }],
]);

function randomValue(params: readonly string[], scope: ExpansionScope): string {
  const min = params[0] === undefined ? 0 : Number(params[0]);
  const max = Math.max(min, params[1] === undefined ? RANDOM_MAX_DEFAULT : Number(params[1]));
  return String(min + Math.floor(scope.random() * (max - min + 1)));
}

/** A user definition: one line, or several when it was continued with `\`. */
export interface Definition {
  readonly lines: readonly string[];
  readonly multiline: boolean;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * Recognises `$NAME=value`. keepalived allows no blank between the name and `=`: with one, the
 * line is not a definition, and `blankBeforeEquals` says so.
 */
export function parseDefinitionLine(text: string): { name: string; value: string; continued: boolean } | { blankBeforeEquals: string } | undefined {
  const m = /^\$([A-Za-z_][A-Za-z0-9_]*)([ \t]*)=[ \t]*(.*)$/s.exec(text);
  if (!m) return undefined;
  if (m[2] !== '') return { blankBeforeEquals: m[1] as string };
  let value = m[3] as string;
  const continued = value.endsWith('\\');
  if (continued) value = value.slice(0, -1).replace(/[ \t]+$/, '');
  return { name: m[1] as string, value, continued };
}

/** The longest chain of replacements one line may go through before we call it a loop. */
const MAX_REPLACEMENTS = 1_000;
/** keepalived's own line buffer is 1 KiB (`MAXBUF`); a line this long is a runaway expansion. */
const MAX_LINE_LENGTH = 20_000;

export interface ExpansionResult {
  readonly text: LocatedText;
  readonly changed: boolean;
  /** Further lines produced by multi-line definitions, in order, to be read after this one. */
  readonly extraLines: readonly string[];
  readonly problems: readonly ExpansionProblem[];
  /** Set when expansion was stopped because it would not end; the line is unusable. */
  readonly gaveUp: boolean;
}

/** The table of user definitions, in the order keepalived keeps them, plus the predefined names. */
export class DefinitionTable {
  private readonly defs = new Map<string, Definition>();

  define(name: string, def: Definition): void {
    this.defs.set(name, def);
  }

  get(name: string): Definition | undefined {
    return this.defs.get(name);
  }

  /** Whether `name` would be replaced at all (user definition or predefined name). */
  isKnown(name: string): boolean {
    return this.defs.has(name) || BUILTINS.has(name);
  }

  /**
   * Replaces every `${NAME}`, `${NAME params}` and `$NAME` (followed by a blank, `,`, `)` or the
   * end of the line) that has a definition, rescanning replaced text. Undefined names stay as
   * they are. Replacement stops early when a replacement starts with `~`, so that a definition
   * may hold a `~SEQ` line.
   */
  expand(input: LocatedText, scope: ExpansionScope): ExpansionResult {
    let t = input;
    let changed = false;
    let extraLines: string[] = [];
    const problems: ExpansionProblem[] = [];
    let replacements = 0;
    let i = t.text.indexOf('$');
    while (i >= 0 && i < t.text.length - 1) {
      const ref = this.matchReference(t.text, i, colAt(t, i), problems);
      if (!ref) {
        i = t.text.indexOf('$', i + 1);
        continue;
      }
      if (++replacements > MAX_REPLACEMENTS || t.text.length > MAX_LINE_LENGTH) {
        problems.push({
          code: 'definition-loop',
          col: colAt(t, i),
          message: `expanding $${ref.name} never ends (a definition refers to itself?)`,
        });
        return { text: t, changed, extraLines, problems, gaveUp: true };
      }
      const col = colAt(t, i);
      let replacement: string;
      if (ref.builtin) {
        const value = ref.builtin.compute(ref.params, scope);
        if (value === undefined && ref.name === '_ENV') {
          problems.push({
            code: 'undefined-environment-variable',
            col,
            message: `environment variable ${ref.params[0] ?? ''} is not set; \${_ENV ${ref.params[0] ?? ''}} expands to nothing`,
          });
        }
        replacement = value ?? '';
      } else {
        const def = ref.def as Definition;
        replacement = def.lines[0] ?? '';
        if (def.multiline) extraLines = [...def.lines.slice(1), ...extraLines];
      }
      t = concatText([sliceText(t, 0, i), textAtColumn(replacement, col), sliceText(t, ref.end)]);
      changed = true;
      if (/^[ \t]*~/.test(replacement)) break;
    }
    return { text: t, changed, extraLines, problems, gaveUp: false };
  }

  private matchReference(text: string, dollar: number, col: number, problems: ExpansionProblem[]): { name: string; params: string[]; end: number; def?: Definition; builtin?: Builtin } | undefined {
    const braced = text[dollar + 1] === '{';
    let p = dollar + (braced ? 2 : 1);
    if (!NAME_START.test(text[p] ?? '')) return undefined;
    const nameStart = p;
    while (p < text.length && NAME_CHAR.test(text[p] as string)) p++;
    const name = text.slice(nameStart, p);
    let params: string[] = [];
    if (braced) {
      // Parameters are blanks and name characters up to the `}`; anything else means no reference.
      const paramStart = p;
      while (p < text.length && /[ \tA-Za-z0-9_]/.test(text[p] as string)) p++;
      if (text[p] !== '}') return undefined;
      const paramText = text.slice(paramStart, p);
      // keepalived accepts `${NAME }` but not trailing blanks after parameters.
      if (/[ \t]$/.test(paramText) && paramText.trim() !== '') return undefined;
      params = paramText.trim() === '' ? [] : paramText.trim().split(/[ \t]+/);
      p++;
    } else if (p < text.length && !/[ \t,)]/.test(text[p] as string)) {
      return undefined;
    }
    const atLineEnd = p === text.length;
    const def = this.defs.get(name);
    if (def) {
      if (params.length > 0) return undefined;
      if (def.multiline && !atLineEnd) {
        problems.push({
          code: 'multiline-definition-mid-line',
          col,
          message: `$${name} is a multi-line definition and is only replaced at the end of a line; left as is`,
        });
        return undefined;
      }
      return { name, params, end: p, def };
    }
    const builtin = BUILTINS.get(name);
    if (!builtin) return undefined;
    if (params.length > 0 && builtin.maxParams === 0) return undefined;
    if (params.length < builtin.minParams || params.length > builtin.maxParams) {
      problems.push({
        code: 'definition-parameters',
        col,
        message: `\${${name}} takes ${builtin.minParams === builtin.maxParams ? builtin.minParams : `${builtin.minParams} to ${builtin.maxParams}`} parameter(s), ${params.length} given`,
      });
      return undefined;
    }
    if (builtin.numbersOnly && params.some((x) => !/^[0-9]+$/.test(x))) {
      problems.push({
        code: 'definition-parameters',
        col,
        message: `\${${name}} takes numbers only`,
      });
      return undefined;
    }
    if (name === '_RANDOM' && params.length === 2 && Number(params[0]) > Number(params[1])) {
      problems.push({ code: 'definition-parameters', col, message: `\${_RANDOM}: min ${params[0]} exceeds max ${params[1]}, using ${params[0]}` });
    }
    return { name, params, end: p, builtin };
  }
}

/**
 * The `$NAME` / `${NAME}` references left in a finished line that no definition matched.
 * Bare `$NAME` inside double quotes is left alone: scripts often pass shell variables.
 */
export function unresolvedReferences(text: string, table: DefinitionTable): { index: number; name: string }[] {
  const found: { index: number; name: string }[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c !== '$') continue;
    const braced = /^\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}/.exec(text.slice(i + 1, i + 200));
    if (braced) {
      if (!table.isKnown(braced[1] as string)) found.push({ index: i, name: braced[1] as string });
      continue;
    }
    const bare = /^([A-Za-z_][A-Za-z0-9_]*)(?=$|[ \t,)])/.exec(text.slice(i + 1, i + 200));
    if (bare && !quoted && !table.isKnown(bare[1] as string)) found.push({ index: i, name: bare[1] as string });
  }
  return found;
}
