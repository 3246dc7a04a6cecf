/**
 * Lookups over the keyword table: which row applies to a keyword written in a given block, and
 * which keywords a block accepts (for did-you-mean).
 */
import type { BlockName, KeywordSpec } from './keyword-spec.js';
import { KEYWORDS } from './keywords.js';

const byBlock = new Map<BlockName | '*', Map<string, KeywordSpec>>();
for (const spec of KEYWORDS) {
  for (const block of spec.blocks) {
    let names = byBlock.get(block);
    if (!names) {
      names = new Map();
      byBlock.set(block, names);
    }
    names.set(spec.name, spec);
  }
}

/** The row for `name` written inside `block`, if keepalived accepts it there. */
export function lookupKeyword(block: BlockName, name: string): KeywordSpec | undefined {
  return byBlock.get(block)?.get(name) ?? byBlock.get('*')?.get(name);
}

/** Every keyword spelling valid in `block`, legacy spellings included. */
export function keywordsIn(block: BlockName): readonly string[] {
  return [...(byBlock.get(block)?.keys() ?? []), ...(byBlock.get('*')?.keys() ?? [])];
}

/** Blocks other than `block` where `name` is a keyword (to say "belongs in global_defs"). */
export function blocksOf(name: string): readonly (BlockName | '*')[] {
  return KEYWORDS.filter((spec) => spec.name === name).flatMap((spec) => spec.blocks);
}
