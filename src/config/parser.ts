import { EmbeddedActionsParser, type IOrAlt, type IToken } from 'chevrotain';
import type { Arg, Diagnostic, SourcePos, Statement } from './ast.js';
import { LBrace, Newline, RBrace, Word, allTokens, configLexer, wordValue } from './lexer.js';
import { syntaxDiagnostic, type SyntaxCode } from './syntax-codes.js';
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
  /** Words of the statement being read; turned into arguments before its block is parsed. */
  private words: IToken[] = [];

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

  private report(code: SyntaxCode, message: string, token: IToken, hint?: string): void {
    if (this.RECORDING_PHASE) return;
    this.problems.push(syntaxDiagnostic(code, message, this.onToken(token), hint));
  }

  private readonly file = this.RULE('file', (): Statement[] => this.SUBRULE(this.items));

  // The closures below are created once, not per statement: a large config has 100,000s.
  private readonly moreItems = (): boolean => this.depth === 0 || this.LA(1).tokenType !== RBrace;
  private readonly itemAlternatives: IOrAlt<Statement | Statement[] | undefined>[] = [
    { ALT: () => void this.CONSUME(Newline) },
    { ALT: () => this.SUBRULE(this.statement) },
    { ALT: () => this.SUBRULE(this.strayBlock) },
    { ALT: () => void this.SUBRULE(this.strayClose) },
  ];
  private readonly collectWord = (): void => {
    this.words.push(this.CONSUME2(Word));
  };
  private readonly blockFollows = (): boolean => this.braceFollows();
  private readonly skipNewline = (): void => void this.CONSUME2(Newline);

  private readonly items = this.RULE('items', (): Statement[] => {
    const list: Statement[] = [];
    this.MANY({
      GATE: this.moreItems,
      DEF: () => {
        const item = this.OR(this.itemAlternatives);
        if (Array.isArray(item)) for (const inner of item) list.push(inner);
        else if (item) list.push(item);
      },
    });
    return list;
  });

  private readonly statement = this.RULE('statement', (): Statement => {
    this.words = [this.CONSUME(Word)];
    this.MANY(this.collectWord);
    const head = this.RECORDING_PHASE ? undefined : this.toArgs(this.words);
    let block: Statement[] | undefined;
    let open: IToken | undefined;
    this.OPTION({
      GATE: this.blockFollows,
      DEF: () => {
        this.MANY2(this.skipNewline);
        open = this.LA(1);
        block = this.SUBRULE2(this.block);
      },
    });
    if (!head) return { keyword: '', pos: { file: '', line: 0, col: 0 }, args: [] };
    const statement = { keyword: head.keyword.value, pos: head.keyword.pos, args: head.args };
    return block && open ? { ...statement, block, blockPos: this.onToken(open) } : statement;
  });

  private readonly strayBlock = this.RULE('strayBlock', (): Statement[] => {
    const open = this.LA(1);
    const inner = this.SUBRULE(this.block);
    this.report('block-without-keyword', "'{' with no keyword before it; its contents are read as if it were not there", open);
    return inner;
  });

  private readonly strayClose = this.RULE('strayClose', (): void => {
    const close = this.CONSUME(RBrace);
    this.report('extra-close-brace', "'}' closes no block; ignored", close, 'an earlier block may have been closed too soon');
  });

  private readonly block = this.RULE('block', (): Statement[] => {
    const open = this.CONSUME(LBrace);
    this.depth++;
    const inner = this.SUBRULE(this.items);
    this.depth--;
    let closed = false;
    this.OPTION(() => {
      this.CONSUME(RBrace);
      closed = true;
    });
    if (!closed) this.report('missing-close-brace', "'{' is never closed by a '}'", open, "add the missing '}' where the block should end");
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

  private toArgs(words: readonly IToken[]): { keyword: Arg; args: Arg[] } {
    const keyword = this.toArg(words[0] as IToken);
    const args: Arg[] = [];
    for (let i = 1; i < words.length; i++) args.push(this.toArg(words[i] as IToken));
    return { keyword, args };
  }

  private toArg(token: IToken): Arg {
    const { value, quoted, openQuote } = wordValue(token.image);
    const pos = this.onToken(token);
    if (openQuote >= 0) {
      this.report('unterminated-quote', 'this quote is never closed; the string runs to the end of the line', { ...token, startOffset: token.startOffset + openQuote }, 'add the closing "');
    }
    return value === token.image ? { value, quoted, pos } : { value, quoted, pos, raw: token.image };
  }
}

let sharedParser: ConfigParser | undefined;

/** keepalived's deepest block is 4 levels (virtual_server, real_server, HTTP_GET, url). */
const MAX_NESTING = 32;

/**
 * Drops the braces of blocks nested deeper than MAX_NESTING (and their partners), so that the
 * recursive parser cannot exhaust the stack on `{{{{...`. Reports the first such brace only.
 */
function limitNesting(tokens: IToken[], report: (token: IToken) => void): IToken[] {
  const kept: boolean[] = [];
  let depth = 0;
  let reported = false;
  const out: IToken[] = [];
  for (const token of tokens) {
    if (token.tokenType === LBrace) {
      const keep = depth < MAX_NESTING;
      kept.push(keep);
      if (keep) depth++;
      else if (!reported) {
        reported = true;
        report(token);
      }
      if (!keep) continue;
    } else if (token.tokenType === RBrace && kept.length > 0) {
      if (kept.pop()) depth--;
      else continue;
    }
    out.push(token);
  }
  return out;
}

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
  // The tokens cover every character and the grammar accepts every token sequence, so these
  // two loops only ever report a bug in this file.
  const diagnostics: Diagnostic[] = lexed.errors.map((e) => syntaxDiagnostic('internal-error', `lexer: ${e.message}`, positionOfOffset(e.offset)));
  const tokens = limitNesting(lexed.tokens, (token) =>
    diagnostics.push(syntaxDiagnostic('nesting-too-deep', `blocks nested more than ${MAX_NESTING} deep; this '{' and its '}' are ignored`, positionOfOffset(token.startOffset))),
  );
  sharedParser ??= new ConfigParser();
  const result = sharedParser.run(tokens, (token) => positionOfOffset(token.startOffset));
  for (const e of sharedParser.errors) {
    diagnostics.push(syntaxDiagnostic('internal-error', `parser: ${e.message}`, positionOfOffset(e.token.startOffset)));
  }
  return { statements: result.statements, diagnostics: [...diagnostics, ...result.diagnostics] };
}
