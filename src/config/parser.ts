import { EmbeddedActionsParser, type IToken } from 'chevrotain';
import type { Arg, Diagnostic, SourcePos, Statement } from './ast.js';
import { AnyWord, LBrace, Newline, RBrace, UnterminatedWord, allTokens, configLexer, wordValue } from './lexer.js';
import { positionOf, type LogicalLine } from './preprocess.js';

/**
 * The grammar of keepalived.conf once lines are preprocessed:
 *
 *   items     := ( Newline | statement | '{' items '}' | '}' )*
 *   statement := word+ ( Newline* '{' items '}' )?
 *
 * A statement is the words of one line up to a brace or the line end; a `{` opens a block for
 * the statement before it even on a later line (keepalived accepts `vrrp_instance X` with `{`
 * on the next line). Every alternative is gated so that no input is a syntax error: a brace
 * without its partner, or a `{` with no keyword, is reported and parsing simply continues.
 */
class ConfigParser extends EmbeddedActionsParser {
  private depth = 0;
  private onToken: (token: IToken) => SourcePos = () => ({ file: '', line: 0, col: 0 });
  private problems: Diagnostic[] = [];

  constructor() {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 1 });
    this.performSelfAnalysis();
  }

  run(tokens: IToken[], onToken: (token: IToken) => SourcePos): { statements: Statement[]; diagnostics: Diagnostic[] } {
    this.input = tokens;
    this.depth = 0;
    this.onToken = onToken;
    this.problems = [];
    const statements = this.file();
    return { statements, diagnostics: this.problems };
  }

  private report(severity: 'error' | 'warning', code: string, message: string, token: IToken, hint?: string): void {
    this.problems.push({ severity, code, message, pos: this.onToken(token), ...(hint ? { hint } : {}) });
  }

  private readonly file = this.RULE('file', (): Statement[] => this.SUBRULE(this.items));

  private readonly items = this.RULE('items', (): Statement[] => {
    const list: Statement[] = [];
    this.MANY({
      GATE: () => this.depth === 0 || this.LA(1).tokenType !== RBrace,
      DEF: () => {
        this.OR([
          { ALT: () => this.CONSUME(Newline) },
          {
            ALT: () => {
              const statement = this.SUBRULE(this.statement);
              this.ACTION(() => list.push(statement));
            },
          },
          {
            ALT: () => {
              const open = this.LA(1);
              const inner = this.SUBRULE(this.block);
              this.ACTION(() => {
                this.report('error', 'block-without-keyword', "'{' with no keyword before it; its contents are read as if it were not there", open);
                list.push(...inner);
              });
            },
          },
          {
            ALT: () => {
              const close = this.CONSUME(RBrace);
              this.ACTION(() => this.report('error', 'extra-close-brace', "'}' closes no block; ignored", close, 'an earlier block may have been closed too soon'));
            },
          },
        ]);
      },
    });
    return list;
  });

  private readonly statement = this.RULE('statement', (): Statement => {
    const words: IToken[] = [this.CONSUME(AnyWord)];
    this.MANY(() => {
      const word = this.CONSUME2(AnyWord);
      this.ACTION(() => words.push(word));
    });
    let block: Statement[] | undefined;
    let open: IToken | undefined;
    this.OPTION({
      GATE: () => this.braceFollows(),
      DEF: () => {
        this.MANY2(() => this.CONSUME2(Newline));
        open = this.LA(1);
        block = this.SUBRULE2(this.block);
      },
    });
    return this.ACTION(() => this.buildStatement(words, block, open));
  });

  private readonly block = this.RULE('block', (): Statement[] => {
    const open = this.CONSUME(LBrace);
    this.ACTION(() => this.depth++);
    const inner = this.SUBRULE(this.items);
    this.ACTION(() => this.depth--);
    let closed = false;
    this.OPTION(() => {
      this.CONSUME(RBrace);
      closed = true;
    });
    this.ACTION(() => {
      if (!closed) this.report('error', 'missing-close-brace', "'{' is never closed by a '}'", open, "add the missing '}' where the block should end");
    });
    return inner;
  });

  /** True when, past any line ends, the next token opens a block. */
  private braceFollows(): boolean {
    for (let i = 1; ; i++) {
      const type = this.LA(i).tokenType;
      if (type === LBrace) return true;
      if (type !== Newline) return false;
    }
  }

  private buildStatement(words: IToken[], block: Statement[] | undefined, open: IToken | undefined): Statement {
    const keyword = this.toArg(words[0] as IToken);
    const args: Arg[] = [];
    for (let i = 1; i < words.length; i++) args.push(this.toArg(words[i] as IToken));
    const statement = { keyword: keyword.value, pos: keyword.pos, args };
    return block && open ? { ...statement, block, blockPos: this.onToken(open) } : statement;
  }

  private toArg(token: IToken): Arg {
    const { value, quoted } = wordValue(token.image);
    const pos = this.onToken(token);
    if (token.tokenType === UnterminatedWord) {
      const quoteAt = token.image.indexOf('"');
      this.problems.push({
        severity: 'error',
        code: 'unterminated-quote',
        message: 'this quote is never closed; the string runs to the end of the line',
        pos: this.onToken({ ...token, startOffset: token.startOffset + Math.max(quoteAt, 0) }),
        hint: 'add the closing "',
      });
    }
    return value === token.image ? { value, quoted, pos } : { value, quoted, pos, raw: token.image };
  }
}

let sharedParser: ConfigParser | undefined;

/** Splits preprocessed lines into words and braces and builds the statement tree. */
export function parseLines(lines: readonly LogicalLine[]): { statements: Statement[]; diagnostics: Diagnostic[] } {
  const joined = lines.map((l) => l.text.text).join('\n');
  const lexed = configLexer.tokenize(joined);
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.text.text.length + 1;
  }
  let cursor = 0;
  const positionOfOffset = (at: number): SourcePos => {
    // Tokens arrive in order, so the line of the previous one is nearly always right.
    if ((starts[cursor] as number) <= at && (cursor + 1 >= starts.length || (starts[cursor + 1] as number) > at)) {
      const line = lines[cursor] as LogicalLine;
      return positionOf(line, line.text, at - (starts[cursor] as number));
    }
    if (cursor + 2 < starts.length && (starts[cursor + 1] as number) <= at && (starts[cursor + 2] as number) > at) {
      cursor++;
      const line = lines[cursor] as LogicalLine;
      return positionOf(line, line.text, at - (starts[cursor] as number));
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= at) lo = mid;
      else hi = mid - 1;
    }
    cursor = lo;
    const line = lines[lo] as LogicalLine;
    return positionOf(line, line.text, at - (starts[lo] as number));
  };
  const diagnostics: Diagnostic[] = lexed.errors.map((e) => ({
    severity: 'error',
    code: 'unreadable-text',
    message: `cannot read this text: ${e.message}`,
    pos: positionOfOffset(e.offset),
  }));
  sharedParser ??= new ConfigParser();
  const result = sharedParser.run(lexed.tokens, (token) => positionOfOffset(token.startOffset));
  for (const e of sharedParser.errors) {
    diagnostics.push({ severity: 'error', code: 'syntax-error', message: e.message, pos: positionOfOffset(e.token.startOffset) });
  }
  return { statements: result.statements, diagnostics: [...diagnostics, ...result.diagnostics] };
}
