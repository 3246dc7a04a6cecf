/**
 * The corpus, damaged further at random: lines dropped, lines from other corpus files spliced
 * in, braces, quotes and odd numbers typed into the middle of words, keywords swapped. Whatever
 * comes out, the whole pipeline (parse and analyze) must not throw, must not fail inside, and
 * must place every diagnostic inside the file.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { memoryFileSystem } from '../../../src/config/file-system.js';
import { CONF_DIR, brokenConfigs, configsUnder } from './corpus-files.js';
import { checkConfig } from './pipeline.js';

const SOURCES = [...configsUnder(CONF_DIR), ...brokenConfigs()]
  // the two giants are slow to damage and bring nothing the small files do not
  .filter((path) => !path.endsWith('/huge-seq.conf') && !path.endsWith('/deep-nesting.conf'))
  .map((path) => readFileSync(path, 'utf8'));
const ALL_LINES = SOURCES.flatMap((text) => text.split('\n'));
const FIRST_WORDS = [...new Set(ALL_LINES.map((l) => l.trim().split(/\s+/)[0] ?? '').filter((w) => w !== ''))];
const TYPOS = ['{', '}', '"', ' ', '#', '!', '0', '-1', '4294967296', '::', '/', '$', '@', '~SEQ(', '\t'];

type Mutation =
  | { readonly kind: 'drop'; readonly at: number }
  | { readonly kind: 'splice'; readonly at: number; readonly line: string }
  | { readonly kind: 'type'; readonly at: number; readonly col: number; readonly typo: string }
  | { readonly kind: 'swap-keyword'; readonly at: number; readonly word: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat(200) }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(200), line: fc.constantFrom(...ALL_LINES) }),
  fc.record({ kind: fc.constant('type' as const), at: fc.nat(200), col: fc.nat(60), typo: fc.constantFrom(...TYPOS) }),
  fc.record({ kind: fc.constant('swap-keyword' as const), at: fc.nat(200), word: fc.constantFrom(...FIRST_WORDS) }),
);

function apply(text: string, mutations: readonly Mutation[]): string {
  const lines = text.split('\n');
  for (const m of mutations) {
    const at = m.at % (lines.length + 1);
    const line = lines[at] ?? '';
    if (m.kind === 'drop') lines.splice(at, 1);
    else if (m.kind === 'splice') lines.splice(at, 0, m.line);
    else if (m.kind === 'type') lines[at] = line.slice(0, m.col) + m.typo + line.slice(m.col);
    else lines[at] = line.replace(/\S+/, m.word);
  }
  return lines.join('\n');
}

it('never throws or fails inside on damaged corpus configs, and places every diagnostic in the file', () => {
  const file = '/etc/keepalived/keepalived.conf';
  fc.assert(
    fc.property(fc.constantFrom(...SOURCES), fc.array(mutation, { minLength: 1, maxLength: 6 }), (source, mutations) => {
      const text = apply(source, mutations);
      const result = checkConfig(file, { fs: memoryFileSystem({ [file]: text }) });
      expect(result.diagnostics.filter((d) => d.code === 'internal-error')).toEqual([]);
      const lineCount = text.split('\n').length;
      for (const d of result.diagnostics) {
        expect(d.pos?.file).toBe(file);
        expect(d.pos?.line).toBeGreaterThanOrEqual(1);
        expect(d.pos?.line).toBeLessThanOrEqual(lineCount);
        expect(d.pos?.col).toBeGreaterThanOrEqual(1);
      }
    }),
    { numRuns: 400 },
  );
});
