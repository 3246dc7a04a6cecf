import { createToken, Lexer, type CustomPatternMatcherFunc, type TokenType } from 'chevrotain';

/**
 * The tokens of a preprocessed keepalived.conf: words, braces and line ends. Comments are gone
 * by now. A word runs until a blank, a brace or the end of the line; double-quoted parts of a
 * word keep blanks and braces, `${NAME}` left undefined stays one word, and a backslash keeps
 * the next character from ending a quote; a quote never closed runs to the end of the line.
 * So `url{` is `url` then `{`, and `} }` is two braces.
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

/** One word, whether or not its quotes close: an open quote is reported by the parser. */
const matchWord: CustomPatternMatcherFunc = (text, offset) => {
  const c = text[offset];
  if (c === undefined || BREAKS.has(c)) return null;
  return [text.slice(offset, scanWord(text, offset).end)] as unknown as RegExpExecArray;
};

export const Newline = createToken({ name: 'Newline', pattern: /\n/, line_breaks: true });
export const Blank = createToken({ name: 'Blank', pattern: /[ \t\r\v\f]+/, group: Lexer.SKIPPED });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/ });
export const Word = createToken({ name: 'Word', pattern: matchWord, line_breaks: false });

export const allTokens: TokenType[] = [Word, Blank, Newline, LBrace, RBrace];

export const configLexer = new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false });

/**
 * A word's value: the double quotes that group it removed, everything else as written.
 * `openQuote` is the index of a quote never closed, or -1.
 */
export function wordValue(image: string): { value: string; quoted: boolean; openQuote: number } {
  if (!image.includes('"')) return { value: image, quoted: false, openQuote: -1 };
  let value = '';
  let openQuote = -1;
  for (let i = 0; i < image.length; i++) {
    const c = image[i] as string;
    if (c === '\\' && i + 1 < image.length) {
      value += c + (image[i + 1] as string);
      i++;
    } else if (c === '"') openQuote = openQuote < 0 ? i : -1;
    else value += c;
  }
  return { value, quoted: true, openQuote };
}
