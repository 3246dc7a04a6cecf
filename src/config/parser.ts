import type { Arg, Diagnostic, SourcePos, Statement } from './ast.js';
import { TokenKind, TokenList, tokenizeLine, wordValue } from './lexer.js';
import { positionOf, type LogicalLine } from './preprocess.js';
import { syntaxDiagnostic, type SyntaxCode } from './syntax-codes.js';

/**
 * The grammar of keepalived.conf once lines are preprocessed:
 *
 *   items     := ( Newline | statement | '{' items '}' | '}' )*
 *   statement := word+ ( Newline* '{' items '}' )?
 *
 * A statement is the words of one line up to a brace or the line end; a `{` opens a block for
 * the statement before it even on a later line (keepalived accepts `vrrp_instance X` with `{`
 * on the next line). Every alternative is chosen by the next token alone and none fails, so no
 * input is a syntax error: a brace without its partner, or a `{` with no keyword, is reported
 * and parsing simply continues. Hand-written recursive descent: a parser generator cost more
 * to load than a small configuration costs to check (issue 14).
 */
class ConfigParser {
  private next = 0;
  private depth = 0;
  readonly problems: Diagnostic[] = [];

  constructor(
    private readonly tokens: TokenList,
    private readonly lines: readonly LogicalLine[],
  ) {}

  /** The kind of the token `ahead` places on, or undefined past the end. */
  private kindAt(ahead = 0): TokenKind | undefined {
    const i = this.next + ahead;
    return i < this.tokens.length ? (this.tokens.kinds[i] as TokenKind) : undefined;
  }

  /** Moves past the next token and returns its index. */
  private take(): number {
    return this.next++;
  }

  private positionOfToken(token: number, extra = 0): SourcePos {
    return tokenPosition(this.lines, this.tokens, token, extra);
  }

  private report(code: SyntaxCode, message: string, pos: SourcePos, hint?: string): void {
    this.problems.push(syntaxDiagnostic(code, message, pos, hint));
  }

  /** items: at the top level until the end; inside a block until its `}` (or the end). */
  items(): Statement[] {
    const list: Statement[] = [];
    for (;;) {
      const kind = this.kindAt();
      if (kind === undefined || (kind === TokenKind.RBrace && this.depth > 0)) return list;
      if (kind === TokenKind.Newline) this.next++;
      else if (kind === TokenKind.Word) list.push(this.statement());
      else if (kind === TokenKind.LBrace) {
        for (const inner of this.strayBlock()) list.push(inner);
      } else this.strayClose();
    }
  }

  private statement(): Statement {
    const first = this.take();
    const keyword = this.toArg(first);
    const args: Arg[] = [];
    while (this.kindAt() === TokenKind.Word) args.push(this.toArg(this.take()));
    if (!this.braceFollows()) return { keyword: keyword.value, pos: keyword.pos, args };
    while (this.kindAt() === TokenKind.Newline) this.next++;
    const open = this.next;
    const block = this.block();
    return { keyword: keyword.value, pos: keyword.pos, args, block, blockPos: this.positionOfToken(open) };
  }

  /** True when, past any line ends, the next token opens a block. */
  private braceFollows(): boolean {
    for (let i = 0; ; i++) {
      const kind = this.kindAt(i);
      if (kind === TokenKind.LBrace) return true;
      if (kind !== TokenKind.Newline) return false;
    }
  }

  private strayBlock(): Statement[] {
    const open = this.next;
    const inner = this.block();
    this.report('block-without-keyword', "'{' with no keyword before it; its contents are read as if it were not there", this.positionOfToken(open));
    return inner;
  }

  private strayClose(): void {
    const close = this.take();
    this.report('extra-close-brace', "'}' closes no block; ignored", this.positionOfToken(close), 'an earlier block may have been closed too soon');
  }

  private block(): Statement[] {
    const open = this.take();
    this.depth++;
    const inner = this.items();
    this.depth--;
    if (this.kindAt() === TokenKind.RBrace) this.next++;
    else this.report('missing-close-brace', "'{' is never closed by a '}'", this.positionOfToken(open), "add the missing '}' where the block should end");
    return inner;
  }

  private toArg(token: number): Arg {
    const line = this.lines[this.tokens.lines[token] as number] as LogicalLine;
    const image = line.text.text.slice(this.tokens.starts[token], this.tokens.ends[token]);
    const pos = this.positionOfToken(token);
    // most words hold no quote: skip building wordValue's result for them
    if (!image.includes('"')) return { value: image, quoted: false, pos };
    const { value, quoted, openQuote } = wordValue(image);
    if (openQuote >= 0) {
      this.report('unterminated-quote', 'this quote is never closed; the string runs to the end of the line', this.positionOfToken(token, openQuote), 'add the closing "');
    }
    return value === image ? { value, quoted, pos } : { value, quoted, pos, raw: image };
  }
}

/** Where the user typed character `extra` of `token`. */
function tokenPosition(lines: readonly LogicalLine[], tokens: TokenList, token: number, extra = 0): SourcePos {
  const line = lines[tokens.lines[token] as number] as LogicalLine;
  return positionOf(line, line.text, (tokens.starts[token] as number) + extra);
}

/** keepalived's deepest block is 4 levels (virtual_server, real_server, HTTP_GET, url). */
const MAX_NESTING = 32;

/**
 * Drops the braces of blocks nested deeper than MAX_NESTING (and their partners), so that the
 * recursive parser cannot exhaust the stack on `{{{{...`. Reports the first such brace only.
 */
function limitNesting(tokens: TokenList, report: (token: number) => void): void {
  const kept: boolean[] = [];
  let depth = 0;
  let reported = false;
  tokens.filter((i) => {
    const kind = tokens.kinds[i];
    if (kind === TokenKind.LBrace) {
      const keep = depth < MAX_NESTING;
      kept.push(keep);
      if (keep) depth++;
      else if (!reported) {
        reported = true;
        report(i);
      }
      return keep;
    }
    if (kind === TokenKind.RBrace && kept.length > 0) {
      if (!kept.pop()) return false;
      depth--;
    }
    return true;
  });
}

/** Splits preprocessed lines into words and braces and builds the statement tree. */
export function parseLines(lines: readonly LogicalLine[]): { statements: Statement[]; diagnostics: Diagnostic[] } {
  const tokens = new TokenList();
  for (let i = 0; i < lines.length; i++) {
    const text = (lines[i] as LogicalLine).text.text;
    tokenizeLine(text, i, tokens);
    // the line end between two lines: a statement's words stop there
    if (i + 1 < lines.length) tokens.push(TokenKind.Newline, i, text.length, text.length + 1);
  }
  const diagnostics: Diagnostic[] = [];
  limitNesting(tokens, (token) =>
    diagnostics.push(syntaxDiagnostic('nesting-too-deep', `blocks nested more than ${MAX_NESTING} deep; this '{' and its '}' are ignored`, tokenPosition(lines, tokens, token))),
  );
  const parser = new ConfigParser(tokens, lines);
  const statements = parser.items();
  return { statements, diagnostics: [...diagnostics, ...parser.problems] };
}
