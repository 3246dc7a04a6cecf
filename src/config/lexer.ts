import { isBlank } from './located-text.js';

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

export const TokenKind = { Word: 0, Newline: 1, LBrace: 2, RBrace: 3 } as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/** A token of one logical line: its kind and where it stands in that line's text. */
export interface Token {
  readonly kind: TokenKind;
  /** Index of the logical line it was read from. */
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Appends the tokens of one line's text to `out`. Tokens never span lines (a word and a quote
 * both stop at the line end), so each line is scanned alone; blanks separate and are dropped.
 */
export function tokenizeLine(text: string, line: number, out: Token[]): void {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) i++;
    else if (c === 10) out.push({ kind: TokenKind.Newline, line, start: i, end: ++i });
    else if (c === 123) out.push({ kind: TokenKind.LBrace, line, start: i, end: ++i });
    else if (c === 125) out.push({ kind: TokenKind.RBrace, line, start: i, end: ++i });
    else {
      const end = scanWord(text, i).end;
      out.push({ kind: TokenKind.Word, line, start: i, end });
      i = end;
    }
  }
}

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
