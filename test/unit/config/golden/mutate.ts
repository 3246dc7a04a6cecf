/**
 * Seeded damage for the golden corpus: each mutation is a pure function of the source text and
 * a seed, so the same seed gives the same broken file on every machine and every run.
 * Kinds: delete, duplicate or swap words, break braces, bad numbers, unknown keywords.
 */
import { createHash } from 'node:crypto';

/** Draw n of seed `seed`: a slice of sha256(seed:n), as a float in [0, 1). Slow but plain. */
export function seededRandom(seed: number): () => number {
  let n = 0;
  return () => createHash('sha256').update(`${seed}:${n++}`).digest().readUInt32BE(0) / 4294967296;
}

const KINDS = ['delete', 'duplicate', 'swap', 'break-brace', 'bad-number', 'unknown-keyword'] as const;
export type MutationKind = (typeof KINDS)[number];

const BAD_NUMBERS = ['-1', '0', '4294967296', '99999999999999999999', '1.5.5', '0x10', '256', '-0', '1e3', ''];
const UNKNOWN_KEYWORDS = ['vrrp_instanse', 'real_servr', 'delay_lop', 'frobnicate', 'virtual_server_grup', 'HTTP_GETT', 'notify_mastr'];

interface Word {
  readonly start: number;
  readonly end: number;
}

function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(/[^\s]+/g)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

function replace(text: string, w: Word, by: string): string {
  return text.slice(0, w.start) + by + text.slice(w.end);
}

/** One mutation of `text`: which kind, where, and the damaged text. */
export function mutate(text: string, seed: number): { kind: MutationKind; text: string } {
  const random = seededRandom(seed);
  const kind = pick(KINDS, random);
  const words = wordsOf(text);
  if (words.length < 2) return { kind, text: `${text}\n}` };
  const w = pick(words, random);
  const word = text.slice(w.start, w.end);
  switch (kind) {
    case 'delete':
      return { kind, text: replace(text, w, '') };
    case 'duplicate':
      return { kind, text: replace(text, w, `${word} ${word}`) };
    case 'swap': {
      const other = pick(words, random);
      const [a, b] = w.start < other.start ? [w, other] : [other, w];
      if (a === b) return { kind, text };
      const wa = text.slice(a.start, a.end);
      const wb = text.slice(b.start, b.end);
      return { kind, text: text.slice(0, a.start) + wb + text.slice(a.end, b.start) + wa + text.slice(b.end) };
    }
    case 'break-brace': {
      const braces = words.filter((x) => text[x.start] === '{' || text[x.end - 1] === '{' || text[x.start] === '}');
      const b = braces.length > 0 ? pick(braces, random) : w;
      const choice = random();
      if (choice < 0.4) return { kind, text: replace(text, b, text.slice(b.start, b.end).replace(/[{}]/, '')) };
      if (choice < 0.7) return { kind, text: replace(text, b, `${text.slice(b.start, b.end)} }`) };
      return { kind, text: replace(text, b, `${text.slice(b.start, b.end)} {`) };
    }
    case 'bad-number': {
      const numbers = words.filter((x) => /^\d/.test(text.slice(x.start, x.end)));
      return { kind, text: replace(text, numbers.length > 0 ? pick(numbers, random) : w, pick(BAD_NUMBERS, random)) };
    }
    case 'unknown-keyword': {
      const starts = words.filter((x) => x.start === 0 || /\n[ \t]*$/.test(text.slice(Math.max(0, x.start - 40), x.start)));
      return { kind, text: replace(text, starts.length > 0 ? pick(starts, random) : w, pick(UNKNOWN_KEYWORDS, random)) };
    }
  }
}
