import { createToken, Lexer, type CustomPatternMatcherFunc, type TokenType } from 'chevrotain';

/**
 * The tokens of a preprocessed keepalived.conf: words, braces and line ends. Comments are gone
 * by now. A word runs until a blank, a brace or the end of the line; double-quoted parts of a
 * word keep blanks and braces, `${NAME}` left undefined stays one word, and a backslash keeps
 * the next character from ending a quote. So `url{` is `url` then `{`, and `} }` is two braces.
 */

const BREAKS = new Set([' ', '\t', '\r', '\v', '\f', '\n', '{', '}']);

interface WordScan {
  readonly end: number;
  readonly terminated: boolean;
}

/** Scans one word from `offset`; `terminated` is false when a quote runs to the end of the line. */
export function scanWord(text: string, offset: number): WordScan {
  let i = offset;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '$' && text[i + 1] === '{') {
      const close = findDefinitionClose(text, i + 2);
      if (close > 0) {
        i = close + 1;
        continue;
      }
    }
    if (BREAKS.has(c)) break;
    if (c === '\\') {
      const next = text[i + 1];
      i += next === undefined || BREAKS.has(next) ? 1 : 2;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '\n' && text[j] !== '"') j += text[j] === '\\' && text[j + 1] !== undefined && text[j + 1] !== '\n' ? 2 : 1;
      if (text[j] !== '"') return { end: j, terminated: false };
      i = j + 1;
      continue;
    }
    i++;
  }
  return { end: i, terminated: true };
}

/** The `}` ending an unreplaced `${NAME ...}`, if it comes before any blank, quote or brace. */
function findDefinitionClose(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text[j] as string;
    if (c === '}') return j;
    if (c === '{' || c === '"' || c === '\n') return -1;
  }
  return -1;
}

let lastScan: { text: string; offset: number; scan: WordScan } | undefined;

function scanCached(text: string, offset: number): WordScan {
  if (lastScan && lastScan.text === text && lastScan.offset === offset) return lastScan.scan;
  const scan = scanWord(text, offset);
  lastScan = { text, offset, scan };
  return scan;
}

function wordMatcher(wantTerminated: boolean): CustomPatternMatcherFunc {
  return (text, offset) => {
    const c = text[offset];
    if (c === undefined || BREAKS.has(c)) return null;
    const scan = scanCached(text, offset);
    if (scan.terminated !== wantTerminated || scan.end === offset) return null;
    return [text.slice(offset, scan.end)] as unknown as RegExpExecArray;
  };
}

export const Newline = createToken({ name: 'Newline', pattern: /\n/, line_breaks: true });
export const Blank = createToken({ name: 'Blank', pattern: /[ \t\r\v\f]+/, group: Lexer.SKIPPED });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/ });
export const AnyWord = createToken({ name: 'AnyWord', pattern: Lexer.NA });
export const Word = createToken({ name: 'Word', pattern: wordMatcher(true), line_breaks: false, categories: [AnyWord] });
/** A word whose double quote is never closed on its line. */
export const UnterminatedWord = createToken({
  name: 'UnterminatedWord',
  pattern: wordMatcher(false),
  line_breaks: false,
  categories: [AnyWord],
});

export const allTokens: TokenType[] = [Newline, Blank, LBrace, RBrace, AnyWord, Word, UnterminatedWord];

export const configLexer = new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false });

/** A word's value: the double quotes that group it removed, everything else as written. */
export function wordValue(image: string): { value: string; quoted: boolean } {
  if (!image.includes('"')) return { value: image, quoted: false };
  let value = '';
  let quoted = false;
  for (let i = 0; i < image.length; i++) {
    const c = image[i] as string;
    if (c === '\\' && i + 1 < image.length) {
      value += c + (image[i + 1] as string);
      i++;
    } else if (c === '"') quoted = true;
    else value += c;
  }
  return { value, quoted };
}
