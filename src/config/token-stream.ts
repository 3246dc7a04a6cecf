import type { Diagnostic, SourcePos } from './ast.js';
import { TokenKind, TokenList, tokenizeLine } from './lexer.js';
import { positionOf, type LineReader, type LogicalLine } from './preprocess.js';
import { syntaxDiagnostic } from './syntax-codes.js';

/** keepalived's deepest block is 4 levels (virtual_server, real_server, HTTP_GET, url). */
const MAX_NESTING = 32;

/**
 * The parser's view of the tokens: read line by line from the preprocessor as the parser looks
 * ahead, with a line end between lines, and only the lines not yet fully parsed kept. A token is
 * an index, valid until the parser has consumed every token read so far (then the window starts
 * over), so the parser turns a token into its text or position before looking further.
 *
 * Braces of blocks nested deeper than MAX_NESTING (and their partners) are dropped on the way,
 * so that the recursive parser cannot exhaust the stack on `{{{{...`; the first is reported.
 */
export class TokenStream {
  private readonly tokens = new TokenList();
  private readonly lines: LogicalLine[] = [];
  private next = 0;
  private started = false;
  /** For each open brace, whether it was kept. */
  private readonly kept: boolean[] = [];
  private depth = 0;
  readonly nestingProblems: Diagnostic[] = [];

  constructor(private readonly reader: LineReader) {}

  /** The kind of the token `ahead` places on, or undefined past the end. */
  kindAt(ahead = 0): TokenKind | undefined {
    while (this.next + ahead >= this.tokens.length && this.fill());
    const i = this.next + ahead;
    return i < this.tokens.length ? (this.tokens.kinds[i] as TokenKind) : undefined;
  }

  /** Moves past the next token (look at it with kindAt first) and returns it. */
  take(): number {
    return this.next++;
  }

  /** Where the user typed character `extra` of `token`. */
  position(token: number, extra = 0): SourcePos {
    const line = this.lines[this.tokens.lines[token] as number] as LogicalLine;
    return positionOf(line, line.text, (this.tokens.starts[token] as number) + extra);
  }

  /** The characters of a word token. */
  image(token: number): string {
    const line = this.lines[this.tokens.lines[token] as number] as LogicalLine;
    return line.text.text.slice(this.tokens.starts[token], this.tokens.ends[token]);
  }

  /** Reads one more line into the window; false at the end of the configuration. */
  private fill(): boolean {
    const line = this.reader.next();
    if (line === undefined) return false;
    if (this.next === this.tokens.length) {
      this.tokens.clear();
      this.lines.length = 0;
      this.next = 0;
    }
    const index = this.lines.push(line) - 1;
    // the line end before this line: a statement's words stop there (never reported, so placed at its start)
    if (this.started) this.tokens.push(TokenKind.Newline, index, 0, 0);
    this.started = true;
    const from = this.tokens.length;
    tokenizeLine(line.text.text, index, this.tokens);
    this.tokens.filter((i) => this.keepBrace(i), from);
    return true;
  }

  private keepBrace(i: number): boolean {
    const kind = this.tokens.kinds[i];
    if (kind === TokenKind.LBrace) {
      const keep = this.depth < MAX_NESTING;
      this.kept.push(keep);
      if (keep) this.depth++;
      else if (this.nestingProblems.length === 0) {
        this.nestingProblems.push(syntaxDiagnostic('nesting-too-deep', `blocks nested more than ${MAX_NESTING} deep; this '{' and its '}' are ignored`, this.position(i)));
      }
      return keep;
    }
    if (kind === TokenKind.RBrace && this.kept.length > 0) {
      if (!this.kept.pop()) return false;
      this.depth--;
    }
    return true;
  }
}
