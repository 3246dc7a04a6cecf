/**
 * The syntax tree of a keepalived.conf after preprocessing (includes, definitions, conditional
 * and repeated lines): one statement per keyword line, with its arguments and, for a block, the
 * statements inside. Every node keeps where it came from, so a diagnostic can name the file,
 * line and column the user typed, and the chain of `include` lines that brought it in.
 */

/** The `include` line that pulled a file in. */
export interface IncludeSite {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** 1-based line and column in `file`; `via` lists the include lines that led there, outermost first. */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly via?: readonly IncludeSite[];
}

export interface Arg {
  /** The argument after expansion of `$NAME` definitions, without surrounding quotes. */
  readonly value: string;
  readonly quoted: boolean;
  readonly pos: SourcePos;
  /**
   * The word exactly as it stood after expansion, quotes and backslashes included; present only
   * when it differs from `value`. Script keywords re-split this the way keepalived does.
   */
  readonly raw?: string;
}

export interface Statement {
  /** The first word of the line as written (not yet resolved to a canonical keyword). */
  readonly keyword: string;
  readonly pos: SourcePos;
  readonly args: readonly Arg[];
  /** Present when the statement opens a `{ ... }` block. */
  readonly block?: readonly Statement[];
  /**
   * Where the `{` of `block` stands. It may be on a later line than the keyword (keepalived
   * accepts `virtual_server ...` with `{` on the next line), so a complaint about an unwanted
   * block can point at the brace itself.
   */
  readonly blockPos?: SourcePos;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly severity: Severity;
  /** Stable identifier of the kind of problem, e.g. `unknown-keyword`. */
  readonly code: string;
  readonly message: string;
  /** The keyword the diagnostic is about, printed as `[keyword]`. */
  readonly keyword?: string;
  readonly pos?: SourcePos;
  /** A short suggestion, e.g. a did-you-mean. */
  readonly hint?: string;
}
