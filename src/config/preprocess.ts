import { posix } from 'node:path';
import type { Diagnostic, IncludeSite, SourcePos } from './ast.js';
import { DefinitionTable, parseDefinitionLine, unresolvedReferences, type ExpansionScope } from './definitions.js';
import type { ConfigFileSystem } from './file-system.js';
import { hasGlobMagic } from './glob.js';
import { colAt, concatText, located, sliceText, textAtColumn, trimText, type LocatedText } from './located-text.js';
import { syntaxDiagnostic, type SyntaxCode } from './syntax-codes.js';
import { isRepetitionLine, parseRepetition, type Repetition } from './repetition.js';

/**
 * keepalived reads its configuration line by line, and everything except braces and words is
 * decided per line before any parsing: comments, `@id` conditions, `$NAME=` definitions,
 * `~SEQ`/`~LST` repetition, `$NAME` replacement and `include`. This module does that part and
 * hands the parser finished lines, each still knowing where every character came from.
 */

/** One finished line, ready to be split into words and braces. */
export interface LogicalLine {
  readonly text: LocatedText;
  readonly file: string;
  readonly line: number;
  readonly via: readonly IncludeSite[];
}

export interface PreprocessOptions {
  readonly fs: ConfigFileSystem;
  /** Matched by `@id` / `@^id` lines; keepalived's default is the host name up to the first dot. */
  readonly configId: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly random: () => number;
  /** Stop after reading this many lines across files and repetitions (default 500,000). */
  readonly maxLines?: number;
}

/**
 * Bounds on what includes and repetition may produce, so that a typo in a `~SEQ` end cannot
 * exhaust memory (the syntax tree costs about 50 bytes per character read). A 1,000 virtual
 * server x 10 real server configuration is 130,000 lines and 4 MB.
 */
const DEFAULT_MAX_LINES = 500_000;
const MAX_CHARACTERS = 8_000_000;
/** More nested re-reads of one line than any sane `$NAME`/`@id` chain needs. */
const MAX_LINE_PASSES = 100;
/**
 * Deeper nesting of includes, repetitions and multi-line definitions than any real file has; a
 * multi-line definition that ends by naming itself would otherwise nest until the line limit.
 */
const MAX_SOURCE_DEPTH = 1_000;

interface Origin {
  readonly file: string;
  readonly line: number;
  readonly via: readonly IncludeSite[];
}

/** A line taken from a source: `fresh` lines come straight from a file and are not yet decommented. */
interface PendingLine extends Origin {
  readonly text: LocatedText;
  readonly fresh: boolean;
}

interface LineSource {
  next(): PendingLine | undefined;
}

export function positionOf(origin: Origin, text: LocatedText, index: number): SourcePos {
  return withVia({ file: origin.file, line: origin.line, col: colAt(text, index) }, origin.via);
}

function withVia(pos: SourcePos, via: readonly IncludeSite[]): SourcePos {
  return via.length > 0 ? { ...pos, via } : pos;
}

function fileSource(file: string, content: string, via: readonly IncludeSite[]): LineSource {
  const lines = (content.startsWith('\uFEFF') ? content.slice(1) : content).split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let index = 0;
  return {
    next: () => {
      if (index >= lines.length) return undefined;
      let raw = lines[index] as string;
      while (raw.endsWith('\r')) raw = raw.slice(0, -1);
      index++;
      return { text: located(raw), file, line: index, via, fresh: true };
    },
  };
}

function queueSource(items: readonly PendingLine[]): LineSource {
  let index = 0;
  return { next: () => items[index++] };
}

function repetitionSource(rep: Repetition, origin: Origin, table: DefinitionTable): LineSource {
  let index = 0;
  return {
    next: () => {
      if (index >= rep.count) return undefined;
      for (const [name, value] of rep.assignments(index)) table.define(name, { lines: [value], multiline: false });
      index++;
      return { ...origin, text: rep.rest, fresh: false };
    },
  };
}

/**
 * Removes comments (`#` or `!` outside double quotes, to the end of the line), turns `\#` and
 * `\!` outside quotes into the plain characters, and trims the line. A trailing `\` (a
 * continued definition) is kept.
 */
export function stripComment(t: LocatedText): LocatedText {
  const s = t.text;
  if (!COMMENT_OR_ESCAPE.test(s)) return trimText(t);
  let quoted = false;
  let cut = s.length;
  const escapesToDrop: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\\') {
      const next = s[i + 1];
      if (!quoted && (next === '#' || next === '!')) escapesToDrop.push(i);
      i++;
    } else if (!quoted && (c === '#' || c === '!')) {
      cut = i;
      break;
    }
  }
  let result = sliceText(t, 0, cut);
  if (escapesToDrop.length > 0) {
    const pieces: LocatedText[] = [];
    let from = 0;
    for (const at of escapesToDrop) {
      pieces.push(sliceText(result, from, at));
      from = at + 1;
    }
    pieces.push(sliceText(result, from));
    result = concatText(pieces);
  }
  return trimText(result);
}

const COMMENT_OR_ESCAPE = /["\\#!]/;

const INCLUDE_KEYWORD = /^include([rmwba]?)(?:[ \t]+|$)/;

/** Finished lines one at a time, and the problems found so far (all of them once `next` returns undefined). */
export interface LineReader {
  next(): LogicalLine | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads the file at `path` (absolute) into finished lines as they are asked for, reporting
 * problems on the way. The parser pulls each line once it needs it, so a line lives only until
 * its words are in the syntax tree: holding all 100,000 lines of a large configuration at once
 * was a sixth of the peak heap (issue 14).
 */
export function readLines(path: string, options: PreprocessOptions): LineReader {
  const reader = new Preprocessor(options);
  let content: string;
  try {
    content = options.fs.readFile(path);
  } catch (err) {
    reader.report('config-file-unreadable', `cannot read configuration file ${path}: ${describeError(err)}`);
    return reader;
  }
  reader.start(fileSource(path, content, []));
  return reader;
}

/**
 * The state of one preprocessing run: a stack of line sources (files, repetitions, the extra lines
 * of multi-line definitions), the definitions seen so far, and the lines and diagnostics produced.
 * Each step below handles one kind of line, in the order keepalived decides them.
 */
class Preprocessor implements LineReader {
  /** The line `finish` produced and `next` has not handed out yet (at most one per step). */
  private ready: LogicalLine | undefined;
  readonly diagnostics: Diagnostic[] = [];
  private readonly table = new DefinitionTable();
  private readonly stack: LineSource[] = [];
  private readonly maxLines: number;
  private linesRead = 0;
  private charactersKept = 0;
  /** A multi-line definition being collected, and where its lines go. */
  private collecting: { name: string; lines: string[] } | undefined;

  constructor(private readonly options: PreprocessOptions) {
    this.maxLines = options.maxLines ?? DEFAULT_MAX_LINES;
  }

  report(code: SyntaxCode, message: string, pos?: SourcePos, hint?: string): void {
    this.diagnostics.push(syntaxDiagnostic(code, message, pos, hint));
  }

  start(first: LineSource): void {
    this.stack.push(first);
  }

  next(): LogicalLine | undefined {
    while (this.ready === undefined && this.step());
    const line = this.ready;
    this.ready = undefined;
    return line;
  }

  /** Reads one line from the innermost source; false once every source is used up (or reading stopped). */
  private step(): boolean {
    const source = this.stack[this.stack.length - 1];
    if (source === undefined) return false;
    const pending = source.next();
    if (!pending) {
      this.stack.pop();
      if (this.stack.length === 0) this.finishCollecting();
      return true;
    }
    if (++this.linesRead > this.maxLines || this.charactersKept > MAX_CHARACTERS) {
      const what = this.linesRead > this.maxLines ? `${this.maxLines} lines` : `${MAX_CHARACTERS} characters`;
      this.report('config-too-large', `more than ${what} after includes and repetition; stopped reading`, positionOf(pending, pending.text, 0));
      this.stack.length = 0;
      this.finishCollecting();
      return false;
    }
    if (this.collecting) {
      this.collect(pending, this.collecting);
      return true;
    }
    const t = pending.fresh ? stripComment(pending.text) : trimText(pending.text);
    if (t.text !== '') this.process(pending, t);
    return true;
  }

  /** One more line of a multi-line definition: it ends at a blank line or a line without a trailing `\`. */
  private collect(pending: PendingLine, collecting: { name: string; lines: string[] }): void {
    if (pending.fresh && pending.text.text === '') {
      this.finishCollecting();
      return;
    }
    const t = pending.fresh ? stripComment(pending.text) : pending.text;
    if (t.text === '') return;
    const continued = t.text.endsWith('\\');
    const body = continued ? t.text.slice(0, -1).replace(/[ \t]+$/, '') : t.text;
    if (body !== '') collecting.lines.push(body);
    if (!continued) this.finishCollecting();
  }

  private finishCollecting(): void {
    if (!this.collecting) return;
    const body = this.collecting.lines;
    this.table.define(this.collecting.name, { lines: body.length > 0 ? body : [''], multiline: body.length > 0 });
    this.collecting = undefined;
  }

  private scopeFor(origin: Origin): ExpansionScope {
    return { pwd: posix.dirname(origin.file), configId: this.options.configId, env: this.options.env, random: this.options.random };
  }

  /** Applies conditions, definitions, repetition, replacement and include to one decommented line. */
  private process(start: Origin, line: LocatedText): void {
    let t = line;
    for (let pass = 0; pass < MAX_LINE_PASSES; pass++) {
      if (t.text === '') return;
      if (t.text.startsWith('@')) {
        const kept = this.conditional(start, t);
        if (kept === undefined) return;
        t = kept;
        continue;
      }
      if (t.text.startsWith('$') && this.definition(start, t)) return;
      if (isRepetitionLine(t.text)) {
        this.repetition(start, t);
        return;
      }
      if (t.text.includes('$')) {
        const expanded = this.expand(start, t);
        if (expanded === undefined) return;
        if (expanded !== t) {
          t = expanded;
          if (t.text.startsWith('@') || t.text.startsWith('$') || isRepetitionLine(t.text)) continue;
        }
      }
      this.finish(start, t);
      return;
    }
    this.report('definition-loop', 'this line keeps expanding into conditions or definitions; gave up', positionOf(start, t, 0));
  }

  /** `@id TEXT` / `@^id TEXT`: the rest of the line when the condition holds, else undefined. */
  private conditional(start: Origin, t: LocatedText): LocatedText | undefined {
    const negate = t.text[1] === '^';
    const idStart = negate ? 2 : 1;
    const blank = t.text.search(/[ \t]/);
    if (blank < 0) {
      this.report('conditional-without-text', `conditional line '${t.text}' has nothing after the config id; ignored`, positionOf(start, t, 0));
      return undefined;
    }
    const matches = t.text.slice(idStart, blank) === this.options.configId;
    if (matches === negate) return undefined;
    return trimText(sliceText(t, blank));
  }

  /** `$NAME=value` (or its start, continued with `\`): true when the line was a definition, used up. */
  private definition(start: Origin, t: LocatedText): boolean {
    const def = parseDefinitionLine(t.text);
    if (def && 'blankBeforeEquals' in def) {
      this.report(
        'definition-syntax',
        `blank before '=': keepalived does not read this as a definition of $${def.blankBeforeEquals}; line ignored`,
        positionOf(start, t, 0),
        `write $${def.blankBeforeEquals}=value`,
      );
      return true;
    }
    if (!def) return false;
    if (def.continued) this.collecting = { name: def.name, lines: def.value === '' ? [] : [def.value] };
    else this.table.define(def.name, { lines: [def.value], multiline: false });
    return true;
  }

  /** `~SEQ(...)` / `~LST(...)`: the repeated lines become a new source. */
  private repetition(start: Origin, t: LocatedText): void {
    const scope = this.scopeFor(start);
    const parsed = parseRepetition(t, (params) => this.table.expand(located(params), scope).text.text);
    if (!parsed.ok) {
      this.report(
        'bad-repetition',
        `invalid ${t.text.slice(0, 4)} line: ${parsed.message}; line skipped`,
        positionOf(start, t, parsed.index),
        'the form is ~SEQ(var, start, step, end) or ~LST(var, value, ...)',
      );
      return;
    }
    this.stack.push(repetitionSource(parsed.repetition, start, this.table));
  }

  /**
   * `$NAME` replacement: the line as replaced (the same object when nothing changed), or undefined
   * when it is dropped. The further lines of a multi-line definition become a new source.
   */
  private expand(start: Origin, t: LocatedText): LocatedText | undefined {
    const expanded = this.table.expand(t, this.scopeFor(start));
    for (const problem of expanded.problems) {
      this.report(problem.code, problem.message, withVia({ file: start.file, line: start.line, col: problem.col }, start.via));
    }
    if (expanded.gaveUp) return undefined;
    if (expanded.extraLines.length > 0) {
      const col = colAt(t, t.text.length);
      if (this.stack.length >= MAX_SOURCE_DEPTH) {
        this.report('definition-loop', `multi-line definitions nested more than ${MAX_SOURCE_DEPTH} deep (one names itself?); line dropped`, positionOf(start, t, 0));
        return undefined;
      }
      this.stack.push(queueSource(expanded.extraLines.map((text) => ({ ...start, text: textAtColumn(text, col), fresh: false }))));
    }
    return expanded.changed ? trimText(expanded.text) : t;
  }

  /** A line with nothing left to decide: an include, or a finished line (naming any `$NAME` left undefined). */
  private finish(start: Origin, t: LocatedText): void {
    const inc = INCLUDE_KEYWORD.exec(t.text);
    if (inc) {
      this.include(`include${inc[1] ?? ''}`, trimText(sliceText(t, inc[0].length)), start, colAt(t, 0));
      return;
    }
    const refs = t.text.includes('$') ? unresolvedReferences(t.text, this.table) : [];
    for (const ref of refs) {
      this.report('undefined-definition', `$${ref.name} is not defined; left as is`, positionOf(start, t, ref.index), `define it first with $${ref.name}=value`);
    }
    this.charactersKept += t.text.length + 1;
    this.ready = { text: t, file: start.file, line: start.line, via: start.via };
  }

  private include(keyword: string, argument: LocatedText, origin: Origin, keywordCol: number): void {
    const strict = keyword !== 'include';
    const pattern = argument.text.replace(/^"(.*)"$/s, '$1');
    const site: IncludeSite = { file: origin.file, line: origin.line, col: keywordCol };
    const pos = withVia({ file: origin.file, line: origin.line, col: colAt(argument, 0) }, origin.via);
    if (pattern === '') {
      this.report('include-without-file', `${keyword} needs a file name or pattern`, pos);
      return;
    }
    const resolved = posix.resolve(posix.dirname(origin.file), pattern);
    const matches = this.options.fs.glob(resolved);
    if (matches.length === 0) {
      if (hasGlobMagic(pattern) && !strict) {
        this.report('include-no-match', `'${pattern}' matches no file; nothing included`, pos);
      } else {
        this.report('include-not-found', `included file '${pattern}' not found (looked for ${resolved})`, pos);
      }
      return;
    }
    const chain = [...origin.via.map((v) => v.file), origin.file];
    const sources: LineSource[] = [];
    for (const file of matches) {
      if (chain.includes(file)) {
        const cycle = [...chain.slice(chain.indexOf(file)), file].map((f) => posix.basename(f)).join(' -> ');
        this.report('include-cycle', `include cycle: ${cycle}; not including ${file} again`, pos);
        continue;
      }
      let text: string;
      try {
        text = this.options.fs.readFile(file);
      } catch (err) {
        this.report('include-unreadable', `cannot read included file ${file}: ${describeError(err)}`, pos);
        continue;
      }
      sources.push(fileSource(file, text, [...origin.via, site]));
    }
    for (let i = sources.length - 1; i >= 0; i--) this.stack.push(sources[i] as LineSource);
  }
}

function describeError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
