import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/config/analyze.js';
import type { Statement } from '../../../src/config/ast.js';
import { DIAGNOSTIC_CODES } from '../../../src/config/diagnostic-codes.js';
import { dumpConfig } from '../../../src/config/dump.js';
import { keywordsIn, lookupKeyword } from '../../../src/config/keyword-index.js';
import type { BlockName } from '../../../src/config/keyword-spec.js';

const pos = { file: 'fuzz.conf', line: 1, col: 1 };
const dataWords = ['VI_1', 'VI_2', '10.0.0.1', '10.0.0.1/24', 'fe80::1', '10.0.0.1-9', 'fwmark', 'weight', 'dev', 'eth0', 'chk'];
const argWords = ['1', '0', '-5', '80', '255', '256', '0.5', '40.96', 'on', 'off', 'MASTER', 'eth0', '10.0.0.1', '::1', 'VI_1', '<string>', 'TUN', 'reverse', 'weight', 'chk', 'group', 'fwmark'];

const args = fc.array(fc.record({ value: fc.oneof(fc.constantFrom(...argWords), fc.string({ maxLength: 5 })), quoted: fc.boolean(), pos: fc.constant(pos) }), { maxLength: 4 });

/** Statements mostly made of keywords valid in `block`, opening the blocks those keywords open. */
function statementIn(block: BlockName, depth: number): fc.Arbitrary<Statement> {
  const keyword = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...keywordsIn(block)) },
    { weight: 1, arbitrary: fc.constantFrom(...dataWords) },
    { weight: 1, arbitrary: fc.stringMatching(/^[^\s{}"#!]{1,6}$/) },
  );
  return keyword.chain((word) => {
    const opens = lookupKeyword(block, word)?.opens;
    const inner =
      depth <= 0
        ? fc.constant(undefined)
        : opens
          ? fc.array(statementIn(opens, depth - 1), { maxLength: 6 })
          : fc.option(fc.array(fc.record({ keyword: fc.constantFrom(...dataWords), pos: fc.constant(pos), args }), { maxLength: 3 }), { nil: undefined });
    return fc.record({ args, block: inner }).map(({ args: a, block: b }) => ({ keyword: word, pos, args: a, ...(b ? { block: b } : {}) }));
  });
}

describe('analyze on arbitrary trees', () => {
  it('never throws, reports only registered codes with keyword and position, and dumps plain JSON', () => {
    fc.assert(
      fc.property(fc.array(statementIn('root', 4), { maxLength: 8 }), (tree) => {
        const result = analyze(tree, { interfaces: ['eth0'] });
        for (const d of result.diagnostics) {
          expect(Object.keys(DIAGNOSTIC_CODES)).toContain(d.code);
          expect(d.keyword, d.code).toBeTruthy();
          expect(d.pos, d.code).toBeDefined();
        }
        const dump = dumpConfig(result.config);
        expect(JSON.parse(JSON.stringify(dump))).toEqual(dump);
      }),
      { numRuns: 300 },
    );
  });
});
