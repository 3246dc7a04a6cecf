/**
 * Typed access to one block's keywords, with the defaults taken from the keyword table so the
 * reference documentation and the behaviour cannot drift apart.
 */
import type { SourcePos, Statement } from './ast.js';
import { lookupKeyword } from './keyword-index.js';
import type { BlockName } from './keyword-spec.js';
import type { PlainValue, ScriptUser } from './model.js';
import { lastEntry, type BlockReading, type Entry } from './read-block.js';

/** Blocks with more entries than this get an index; smaller ones are scanned (cheaper there). */
const INDEX_FROM = 8;

export class Settings {
  private index: Map<string, Entry> | undefined;

  constructor(
    readonly block: BlockName,
    readonly reading: BlockReading | undefined,
  ) {}

  entry(name: string): Entry | undefined {
    const entries = this.reading?.entries;
    if (!entries || entries.length <= INDEX_FROM) return lastEntry(this.reading, name);
    if (!this.index) {
      this.index = new Map();
      for (const entry of entries) this.index.set(entry.name, entry);
    }
    return this.index.get(name);
  }

  /** The data lines of every block `name` opens here (keepalived appends repeated blocks). */
  lines(name: string): readonly Statement[] {
    return this.reading?.entries.flatMap((e) => (e.name === name ? (e.lines ?? []) : [])) ?? [];
  }

  has(name: string): boolean {
    return this.entry(name) !== undefined;
  }

  pos(name: string): SourcePos | undefined {
    return this.entry(name)?.stmt.pos;
  }

  /** The table's default for `name` in this block. */
  default(name: string): PlainValue | undefined {
    return lookupKeyword(this.block, name)?.default;
  }

  number(name: string): number | undefined {
    const v = this.entry(name)?.value;
    return typeof v === 'number' ? v : undefined;
  }

  numberOr(name: string, fallback?: number): number {
    const v = this.number(name);
    if (v !== undefined) return v;
    if (fallback !== undefined) return fallback;
    const d = this.default(name);
    if (typeof d !== 'number') throw new Error(`keyword table has no numeric default for ${this.block}/${name}`);
    return d;
  }

  /** A flag or optional boolean: `undefined` when absent. */
  flag(name: string): boolean | undefined {
    const v = this.entry(name)?.value;
    return typeof v === 'boolean' ? v : v === undefined ? undefined : true;
  }

  flagOr(name: string, fallback?: boolean): boolean {
    const v = this.flag(name);
    if (v !== undefined) return v;
    if (fallback !== undefined) return fallback;
    return this.default(name) === true;
  }

  string(name: string): string | null {
    const v = this.entry(name)?.value;
    return typeof v === 'string' ? v : null;
  }

  stringOr(name: string): string {
    const v = this.string(name);
    if (v !== null) return v;
    const d = this.default(name);
    if (typeof d !== 'string') throw new Error(`keyword table has no string default for ${this.block}/${name}`);
    return d;
  }

  words(name: string): readonly string[] | undefined {
    const v = this.entry(name)?.value;
    if (Array.isArray(v)) return v as readonly string[];
    return typeof v === 'string' ? [v] : undefined;
  }

  /** `USER [GROUP]` keywords (script_user, user). */
  scriptUser(name: string): ScriptUser | null {
    const words = this.words(name);
    if (!words || words[0] === undefined) return null;
    return { user: words[0], group: words[1] ?? null };
  }

  /** Where each keyword given here stands (the one that wins, for repeated keywords). */
  positions(): Record<string, SourcePos> {
    const out: Record<string, SourcePos> = {};
    for (const entry of this.reading?.entries ?? []) out[entry.name] = entry.stmt.pos;
    return out;
  }

  /** The keywords given that keepalived-ts does not act on yet, as written. */
  others(): Record<string, PlainValue> {
    const out: Record<string, PlainValue> = {};
    for (const entry of this.reading?.entries ?? []) {
      if (entry.spec.status !== 'parsed') continue;
      if (entry.lines) out[entry.name] = entry.lines.map((l) => [l.keyword, ...l.args.map((a) => a.value)].join(' '));
      else if (entry.child) out[entry.name] = true;
      // Given without its optional argument: present, which `null` would hide.
      else out[entry.name] = entry.value ?? true;
    }
    return out;
  }
}
