import { isBlank } from './located-text.js';

/**
 * The tokens of a preprocessed keepalived.conf: words, braces and line ends. Comments are gone
 * by now. A word runs until a blank, a brace or the end of the line; double-quoted parts of a
 * word keep blanks and braces, `${NAME}` left undefined stays one word, and a backslash keeps
 * the next character from ending a quote; a quote never closed runs to the end of the line.
 * So `url{` is `url` then `{`, and `} }` is two braces.
 */

/** Blank, line end or brace: what ends a word outside quotes. */
function isBreak(code: number): boolean {
  return isBlank(code) || code === 10 || code === 123 || code === 125;
}

/** Scans one word from `offset` and returns where it ends; a quote never closed runs to the line end. */
export function scanWord(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    // `${NAME ...}` left undefined: one word up to its `}`
    if (c === 36 && text.charCodeAt(i + 1) === 123) {
      const close = findDefinitionClose(text, i + 2);
      if (close > 0) {
        i = close + 1;
        continue;
      }
    }
    if (isBreak(c)) break;
    if (c === 92) {
      // a backslash keeps the next character in the word, unless nothing or a break follows
      i += i + 1 >= text.length || isBreak(text.charCodeAt(i + 1)) ? 1 : 2;
      continue;
    }
    if (c === 34) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 && j + 1 < text.length && text.charCodeAt(j + 1) !== 10 ? 2 : 1;
      if (text.charCodeAt(j) !== 34) return j;
      i = j + 1;
      continue;
    }
    i++;
  }
  return i;
}

/** The `}` ending an unreplaced `${NAME ...}`, if it comes before any quote or brace or the line end. */
function findDefinitionClose(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 125) return j;
    if (c === 123 || c === 34 || c === 10) return -1;
  }
  return -1;
}

export const TokenKind = { Word: 0, Newline: 1, LBrace: 2, RBrace: 3 } as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/**
 * The tokens of a whole configuration, column-wise in typed arrays: token i is kinds[i], read
 * from logical line lines[i], characters starts[i] to ends[i] of that line's text. A 1,000 x 10
 * configuration has about 300,000 tokens, and one object each was a large part of the garbage
 * collector's work (issue 14).
 */
export class TokenList {
  kinds = new Uint8Array(1024);
  lines = new Int32Array(1024);
  starts = new Int32Array(1024);
  ends = new Int32Array(1024);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  push(kind: TokenKind, line: number, start: number, end: number): void {
    if (this.length === this.kinds.length) this.grow();
    const i = this.length++;
    this.kinds[i] = kind;
    this.lines[i] = line;
    this.starts[i] = start;
    this.ends[i] = end;
  }

  /** Keeps only the tokens from `from` on that `keep` accepts, in order, in place. */
  filter(keep: (index: number) => boolean, from = 0): void {
    let out = from;
    for (let i = from; i < this.length; i++) {
      if (!keep(i)) continue;
      this.kinds[out] = this.kinds[i] as number;
      this.lines[out] = this.lines[i] as number;
      this.starts[out] = this.starts[i] as number;
      this.ends[out] = this.ends[i] as number;
      out++;
    }
    this.length = out;
  }

  private grow(): void {
    const size = this.kinds.length * 2;
    const kinds = new Uint8Array(size);
    const lines = new Int32Array(size);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    kinds.set(this.kinds);
    lines.set(this.lines);
    starts.set(this.starts);
    ends.set(this.ends);
    Object.assign(this, { kinds, lines, starts, ends });
  }
}

/**
 * Appends the tokens of one line's text to `out`. Tokens never span lines (a word and a quote
 * both stop at the line end), so each line is scanned alone; blanks separate and are dropped.
 */
export function tokenizeLine(text: string, line: number, out: TokenList): void {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) i++;
    else if (c === 10) out.push(TokenKind.Newline, line, i, ++i);
    else if (c === 123) out.push(TokenKind.LBrace, line, i, ++i);
    else if (c === 125) out.push(TokenKind.RBrace, line, i, ++i);
    else {
      const end = scanWord(text, i);
      out.push(TokenKind.Word, line, i, end);
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
