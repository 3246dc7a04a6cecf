import type { Arg, Diagnostic, SourcePos, Statement } from './ast.js';
import { TokenKind, wordValue } from './lexer.js';
import type { LineReader } from './preprocess.js';
import { syntaxDiagnostic, type SyntaxCode } from './syntax-codes.js';
import { TokenStream } from './token-stream.js';

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
  private depth = 0;
  readonly problems: Diagnostic[] = [];

  constructor(private readonly tokens: TokenStream) {}

  private report(code: SyntaxCode, message: string, pos: SourcePos, hint?: string): void {
    this.problems.push(syntaxDiagnostic(code, message, pos, hint));
  }

  /** items: at the top level until the end; inside a block until its `}` (or the end). */
  items(): Statement[] {
    const list: Statement[] = [];
    for (;;) {
      const kind = this.tokens.kindAt();
      if (kind === undefined || (kind === TokenKind.RBrace && this.depth > 0)) return list;
      if (kind === TokenKind.Newline) this.tokens.take();
      else if (kind === TokenKind.Word) list.push(this.statement());
      else if (kind === TokenKind.LBrace) {
        for (const inner of this.strayBlock()) list.push(inner);
      } else this.strayClose();
    }
  }

  private statement(): Statement {
    const keyword = this.toArg(this.tokens.take());
    const args: Arg[] = [];
    while (this.tokens.kindAt() === TokenKind.Word) args.push(this.toArg(this.tokens.take()));
    if (!this.braceFollows()) return { keyword: keyword.value, pos: keyword.pos, args };
    while (this.tokens.kindAt() === TokenKind.Newline) this.tokens.take();
    const blockPos = this.tokens.position(this.tokens.take());
    const block = this.block(blockPos);
    return { keyword: keyword.value, pos: keyword.pos, args, block, blockPos };
  }

  /** True when, past any line ends, the next token opens a block. */
  private braceFollows(): boolean {
    for (let i = 0; ; i++) {
      const kind = this.tokens.kindAt(i);
      if (kind === TokenKind.LBrace) return true;
      if (kind !== TokenKind.Newline) return false;
    }
  }

  private strayBlock(): Statement[] {
    const open = this.tokens.position(this.tokens.take());
    const inner = this.block(open);
    this.report('block-without-keyword', "'{' with no keyword before it; its contents are read as if it were not there", open);
    return inner;
  }

  private strayClose(): void {
    const close = this.tokens.position(this.tokens.take());
    this.report('extra-close-brace', "'}' closes no block; ignored", close, 'an earlier block may have been closed too soon');
  }

  /** The block whose `{` (at `open`) was just taken. */
  private block(open: SourcePos): Statement[] {
    this.depth++;
    const inner = this.items();
    this.depth--;
    if (this.tokens.kindAt() === TokenKind.RBrace) this.tokens.take();
    else this.report('missing-close-brace', "'{' is never closed by a '}'", open, "add the missing '}' where the block should end");
    return inner;
  }

  private toArg(token: number): Arg {
    const image = this.tokens.image(token);
    const pos = this.tokens.position(token);
    // most words hold no quote: skip building wordValue's result for them
    if (!image.includes('"')) return { value: image, quoted: false, pos };
    const { value, quoted, openQuote } = wordValue(image);
    if (openQuote >= 0) {
      this.report('unterminated-quote', 'this quote is never closed; the string runs to the end of the line', this.tokens.position(token, openQuote), 'add the closing "');
    }
    return value === image ? { value, quoted, pos } : { value, quoted, pos, raw: image };
  }
}

/** Splits the preprocessed lines into words and braces as it reads them, and builds the statement tree. */
export function parseLines(lines: LineReader): { statements: Statement[]; diagnostics: Diagnostic[] } {
  const tokens = new TokenStream(lines);
  const parser = new ConfigParser(tokens);
  const statements = parser.items();
  return { statements, diagnostics: [...tokens.nestingProblems, ...parser.problems] };
}
