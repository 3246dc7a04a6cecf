import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KEYWORDS } from '../../../src/config/keywords.js';
import { lookupKeyword } from '../../../src/config/keyword-index.js';

const registered = readFileSync(new URL('./keepalived-2.4.3-keywords.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');

describe('keyword table', () => {
  it('knows all 361 keywords keepalived 2.4.3 registers', () => {
    expect(registered).toHaveLength(361);
    const known = new Set(KEYWORDS.map((spec) => spec.name));
    expect(registered.filter((name) => !known.has(name))).toEqual([]);
  });

  it('also knows the checkers keepalived registers through a helper', () => {
    expect(lookupKeyword('real_server', 'HTTP_GET')?.opens).toBe('HTTP_GET');
    expect(lookupKeyword('real_server', 'SSL_GET')?.opens).toBe('SSL_GET');
  });

  it('has one row per keyword and block', () => {
    const seen = new Set<string>();
    for (const spec of KEYWORDS) {
      for (const block of spec.blocks) {
        const key = `${block} ${spec.name}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    }
  });

  it('resolves every legacy spelling to a keyword valid in the same block', () => {
    const aliases = KEYWORDS.filter((spec) => spec.canonical !== undefined);
    expect(aliases.map((spec) => spec.name)).toEqual(expect.arrayContaining(['lb_algo', 'lb_kind', 'nb_get_retry', 'vrrp_track_file', 'lvs_flush_onstop']));
    for (const alias of aliases) {
      for (const block of alias.blocks) {
        const target = block === '*' ? undefined : lookupKeyword(block, alias.canonical!);
        expect(target, `${alias.name} -> ${alias.canonical} in ${block}`).toBeDefined();
        expect(target!.canonical, `${alias.canonical} is itself canonical`).toBeUndefined();
      }
    }
  });

  it('gives every block a keyword opens a set of keywords', () => {
    const opened = new Set(KEYWORDS.flatMap((spec) => (spec.opens ? [spec.opens] : [])));
    for (const block of opened) {
      expect(
        KEYWORDS.some((spec) => spec.blocks.includes(block)),
        block,
      ).toBe(true);
    }
  });

  it('describes every keyword and keeps defaults inside the argument range', () => {
    for (const spec of KEYWORDS) {
      expect(spec.description.length, spec.name).toBeGreaterThan(5);
      const first = spec.shape.args[0];
      if (typeof spec.default === 'number' && first && (first.type === 'int' || first.type === 'decimal')) {
        expect(spec.default, spec.name).toBeGreaterThanOrEqual(first.type === 'int' ? Math.min(first.min, 0) : 0);
        expect(spec.default, spec.name).toBeLessThanOrEqual(first.max);
      }
    }
  });
});
