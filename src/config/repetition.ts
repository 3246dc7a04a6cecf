import { splitTopLevelCommas } from './split-commas.js';
import { sliceText, trimText, type LocatedText } from './located-text.js';

/**
 * keepalived's line repetition: `~SEQ(var, start, step, end) rest` and `~SEQx(...)` (values in
 * hexadecimal) read `rest` once per value with `$var` defined; `~LST(var, v1, v2, ...)` and
 * `~LST({a, b}, {1, 2}, {3, 4})` do the same for listed values. Several may prefix one line;
 * each repeats everything after it.
 */
export interface Repetition {
  /** The text after the closing `)`, read once per step. */
  readonly rest: LocatedText;
  readonly count: number;
  /** The definitions to make before step `i` (0-based). */
  assignments(i: number): readonly (readonly [string, string])[];
}

export type RepetitionParse = { ok: true; repetition: Repetition } | { ok: false; message: string; index: number };

/** Refuse repetitions larger than this: a typo in `end` must not hang the parser. */
export const MAX_REPETITIONS = 1_000_000;

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when the line is a repetition line keepalived would act on. */
export function isRepetitionLine(text: string): boolean {
  return text.startsWith('~SEQ') || text.startsWith('~LST');
}

/**
 * Parses a repetition line. `expandParams` applies `$NAME` definitions to the parenthesised
 * part first, as keepalived does, so `~SEQ(I, 1, $COUNT)` works.
 */
export function parseRepetition(line: LocatedText, expandParams: (text: string) => string): RepetitionParse {
  const text = line.text;
  const isSeq = text.startsWith('~SEQ');
  const hex = isSeq && text[4] === 'x';
  let p = hex ? 5 : 4;
  while (text[p] === ' ' || text[p] === '\t') p++;
  if (text[p] !== '(') return { ok: false, index: p, message: `expected '(' after ${text.slice(0, hex ? 5 : 4)}` };
  const close = findClose(text, p);
  if (close < 0) return { ok: false, index: p, message: `${isSeq ? '~SEQ' : '~LST'} has no closing ')'` };
  const inner = expandParams(text.slice(p + 1, close));
  const rest = trimText(sliceText(line, close + 1));
  return isSeq ? parseSeq(inner, hex, rest, p + 1) : parseLst(inner, rest, p + 1);
}

/** The index of the `)` that closes the `(` at `open`, skipping `{...}` groups. */
function findClose(text: string, open: number): number {
  let depth = 0;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ')' && depth <= 0) return i;
  }
  return -1;
}

/** strtol(..., 0) without its silent acceptance of garbage: decimal, 0x hex or leading-0 octal. */
function parseInteger(word: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(word);
  if (!m) return undefined;
  const digits = m[2] as string;
  const magnitude = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits.startsWith('0') ? parseInt(digits, 8) : parseInt(digits, 10);
  return m[1] === '-' ? -magnitude : magnitude;
}

function parseSeq(inner: string, hex: boolean, rest: LocatedText, at: number): RepetitionParse {
  const parts = inner.split(',').map((s) => s.trim());
  const name = parts[0] ?? '';
  if (!VAR_NAME.test(name)) return { ok: false, index: at, message: `~SEQ variable '${name}' is not a valid name` };
  const numbers: number[] = [];
  for (const word of parts.slice(1)) {
    const n = parseInteger(word);
    if (n === undefined) return { ok: false, index: at, message: `~SEQ value '${word}' is not an integer` };
    numbers.push(n);
  }
  let start: number;
  let step: number;
  let end: number;
  if (numbers.length === 1) {
    end = numbers[0] as number;
    step = end < 1 ? -1 : 1;
    start = end < 0 ? -1 : 1;
  } else if (numbers.length === 2) {
    [start, end] = numbers as [number, number];
    step = start <= end ? 1 : -1;
  } else if (numbers.length === 3) {
    [start, step, end] = numbers as [number, number, number];
    if (step === 0) return { ok: false, index: at, message: '~SEQ step must not be 0' };
    if ((start < end && step < 0) || (start > end && step > 0)) {
      return { ok: false, index: at, message: `~SEQ step ${step} never gets from ${start} to ${end}` };
    }
  } else {
    return { ok: false, index: at, message: `~SEQ takes a variable and 1 to 3 numbers, got ${numbers.length} numbers` };
  }
  if (hex && (start < 0 || end < 0)) return { ok: false, index: at, message: '~SEQx works only with numbers >= 0' };
  const count = Math.floor((end - start) / step) + 1;
  if (count > MAX_REPETITIONS) return { ok: false, index: at, message: `~SEQ would repeat the line ${count} times (limit ${MAX_REPETITIONS})` };
  return {
    ok: true,
    repetition: {
      rest,
      count,
      assignments: (i) => {
        const value = start + i * step;
        return [[name, hex ? value.toString(16) : String(value)]];
      },
    },
  };
}

function groupMembers(part: string): string[] {
  return part.startsWith('{') && part.endsWith('}')
    ? part
        .slice(1, -1)
        .split(',')
        .map((s) => s.trim())
    : [part];
}

function parseLst(inner: string, rest: LocatedText, at: number): RepetitionParse {
  const [head, ...valueParts] = splitTopLevelCommas(inner).map((s) => s.trim());
  const names = groupMembers(head ?? '');
  const bad = names.find((n) => !VAR_NAME.test(n));
  if (bad !== undefined) return { ok: false, index: at, message: `~LST variable '${bad}' is not a valid name` };
  if (valueParts.length === 0) return { ok: false, index: at, message: '~LST needs at least one value' };
  const rows = valueParts.map(groupMembers);
  const wrong = rows.find((r) => r.length !== names.length);
  if (wrong) return { ok: false, index: at, message: `~LST value {${wrong.join(',')}} has ${wrong.length} members for ${names.length} variables` };
  return {
    ok: true,
    repetition: {
      rest,
      count: rows.length,
      assignments: (i) => names.map((n, k) => [n, (rows[i] as string[])[k] as string] as const),
    },
  };
}
