import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Statement } from '../../../src/config/ast.js';
import { MAIN, parseText } from './helpers.js';

/** Pieces that exercise every special case of the language, glued at random. */
const fragment = fc.oneof(
  fc.constantFrom('{', '}', '"', "'", '#', '!', '\\', '$', '${', '@', '@^', '~', '(', ')', ',', ' ', '\t', '\n', '\r\n', '\n\n'),
  fc.constantFrom('vrrp_instance', 'VI_1', 'url{', '} }', '$A=', '$A', '${A}', '$B= \\', '${_RANDOM 1 3}', '${_ENV X}', '${_PWD}'),
  fc.constantFrom('~SEQ(I,1,3)', '~SEQ(I,', '~SEQx(J,0,0x3)', '~LST(K,a,b)', '@main ', '@^main ', 'include x.conf', 'include *.conf', '$A=$A $A'),
  fc.string({ maxLength: 8 }),
);
const configText = fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join(''));

function everyPosition(statements: readonly Statement[], visit: (line: number, col: number) => void): void {
  for (const s of statements) {
    visit(s.pos.line, s.pos.col);
    for (const a of s.args) visit(a.pos.line, a.pos.col);
    if (s.block) everyPosition(s.block, visit);
  }
}

describe('robustness', () => {
  it('never throws, always ends, and points every diagnostic and statement into the file', () => {
    fc.assert(
      fc.property(configText, configText, (main, other) => {
        const started = Date.now();
        const r = parseText(main, { '/etc/keepalived/x.conf': other, '/etc/keepalived/y.conf': `include keepalived.conf\n${other}` });
        expect(Date.now() - started).toBeLessThan(2000);
        expect(r.diagnostics.filter((d) => d.code === 'internal-error')).toEqual([]);
        const lineCount = (file: string): number => (file === MAIN ? main : other).split('\n').length + 1;
        for (const d of r.diagnostics) {
          if (!d.pos) continue;
          expect(d.pos.line).toBeGreaterThanOrEqual(1);
          expect(d.pos.line).toBeLessThanOrEqual(lineCount(d.pos.file));
          expect(d.pos.col).toBeGreaterThanOrEqual(1);
        }
        everyPosition(r.statements, (line, col) => {
          expect(line).toBeGreaterThanOrEqual(1);
          expect(col).toBeGreaterThanOrEqual(1);
        });
      }),
      { numRuns: 400 },
    );
  });

  it('terminates on random include graphs, reporting each cycle', () => {
    const names = ['a.conf', 'b.conf', 'c.conf'];
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(...names, 'keepalived.conf', '*.conf'), { maxLength: 3 }), { minLength: 4, maxLength: 4 }), (edges) => {
        const text = (i: number): string => `s${i} 1\n${(edges[i] ?? []).map((n) => `include ${n}`).join('\n')}\n`;
        const others = Object.fromEntries(names.map((n, i) => [`/etc/keepalived/${n}`, text(i + 1)]));
        const r = parseText(text(0), others);
        expect(r.diagnostics.every((d) => d.code === 'include-cycle')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('stops a runaway repetition with an error instead of running for ever', () => {
    const r = parseText('~SEQ(A,1,1000) ~SEQ(B,1,1000) ~SEQ(C,1,1000) x\n', {}, { maxLines: 5000 });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['config-too-large']);
    expect(r.statements.length).toBeLessThan(5000);
  });
});
