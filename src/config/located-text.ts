/**
 * Text that remembers, for every character, the 1-based column it came from in the line the
 * user typed. Comment stripping, `$NAME` expansion and `~SEQ` splitting all rewrite a line;
 * carrying the columns along lets a diagnostic on the rewritten text still point at the
 * original. Untouched text keeps a single starting column instead of one number per character.
 */
export interface LocatedText {
  readonly text: string;
  /** The column of `text[0]` when the columns run on without gaps, else one column per character. */
  readonly cols: number | readonly number[];
}

export function located(text: string, firstCol = 1): LocatedText {
  return { text, cols: firstCol };
}

/** The original column of character `index`; past the end, one after the last character. */
export function colAt(t: LocatedText, index: number): number {
  if (typeof t.cols === 'number') return t.cols + index;
  if (t.cols.length === 0) return 1;
  const clamped = Math.min(Math.max(index, 0), t.cols.length - 1);
  return (t.cols[clamped] as number) + (index >= t.cols.length ? 1 : 0);
}

export function sliceText(t: LocatedText, start: number, end = t.text.length): LocatedText {
  const text = t.text.slice(start, end);
  if (typeof t.cols === 'number') return { text, cols: t.cols + start };
  return { text, cols: t.cols.slice(start, start + text.length) };
}

export function concatText(parts: readonly LocatedText[]): LocatedText {
  const nonEmpty = parts.filter((p) => p.text.length > 0);
  if (nonEmpty.length === 0) return { text: '', cols: colAt(parts[0] ?? located(''), 0) };
  if (nonEmpty.length === 1) return nonEmpty[0] as LocatedText;
  const cols: number[] = [];
  for (const part of nonEmpty) {
    for (let i = 0; i < part.text.length; i++) cols.push(colAt(part, i));
  }
  return { text: nonEmpty.map((p) => p.text).join(''), cols };
}

/** `text` placed entirely at one column: what a `$NAME` reference turns into. */
export function textAtColumn(text: string, col: number): LocatedText {
  return text.length <= 1 ? { text, cols: col } : { text, cols: new Array<number>(text.length).fill(col) };
}

/** Strips the blanks keepalived strips (space, tab and stray carriage returns), not Unicode spaces. */
export function trimText(t: LocatedText): LocatedText {
  let start = 0;
  let end = t.text.length;
  while (start < end && isBlank(t.text.charCodeAt(start))) start++;
  while (end > start && isBlank(t.text.charCodeAt(end - 1))) end--;
  return start === 0 && end === t.text.length ? t : sliceText(t, start, end);
}

/** Space, tab, CR, VT, FF: the characters that separate words in keepalived.conf. */
export function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 11 || code === 12;
}
