import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Statement } from '../../../src/config/ast.js';
import { MAIN, parseText } from './helpers.js';

/** Pieces that exercise every special case of the language, glued at random. */
const fragment = fc.oneof(
  fc.constantFrom('{', '}', '"', "'", '#', '!', '\\', '$', '${', '@', '@^', '~', '(', ')', ',', ' ', '\t', '\n', '\r\n', '\n\n'),
  fc.constantFrom('vrrp_instance', 'VI_1', 'url{', '} }', '$A=', '$A', '${A}', '$B= \\', '${_RANDOM 1 3}', '${_ENV X}', '${_PWD}'),
  fc.constantFrom('~SEQ(I,1,3)', '~SEQ(I,', '~SEQx(J,0,0x3)', '~LST(K,a,b)', '@main ', '@^main ', 'include x.conf', 'include *.conf', '$A=$A $A'),
  fc.constantFrom('include [z-a]*.conf', 'include {x,y}.conf', 'include [', 'include {{{', 'include ?.conf', 'include ../*/*'),
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

function everyWord(statements: readonly Statement[], visit: (text: string, line: number, col: number, keyword?: boolean) => void): void {
  for (const s of statements) {
    // A statement keeps no raw text for its keyword: a quoted one is checked by its opening quote.
    visit(s.keyword, s.pos.line, s.pos.col, true);
    for (const a of s.args) visit(a.raw ?? a.value, a.pos.line, a.pos.col);
    if (s.block && s.blockPos) visit('{', s.blockPos.line, s.blockPos.col);
    if (s.block) everyWord(s.block, visit);
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

  it('points every keyword and argument at its own text in the line as typed', () => {
    const word = fc.oneof(fc.stringMatching(/^[a-z0-9_./:-]{1,8}$/), fc.stringMatching(/^"[a-z #{}!]{0,6}"$/));
    const blank = fc.constantFrom(' ', '  ', '\t', ' \t ');
    const piece = fc.oneof(word, word, word, fc.constantFrom('{', '}', '# c', '! c'));
    const line = fc.tuple(fc.constantFrom('', ' ', '\t'), fc.array(fc.tuple(piece, blank), { maxLength: 6 })).map(([indent, parts]) => indent + parts.map(([p, b]) => p + b).join(''));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const r = parseText(lines.join('\n'));
        everyWord(r.statements, (text, line, col, keyword) => {
          const there = (lines[line - 1] ?? '').slice(col - 1);
          expect(there.startsWith(text) || (keyword === true && there.startsWith('"'))).toBe(true);
        });
      }),
      { numRuns: 300 },
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

  it.each([
    ['escaped comment characters', 'a \\#'],
    ['unclosed ${ references', '${a '],
    ['undefined references', '$NOPE '],
    ['quotes', '"x" '],
    ['unterminated quotes', 'a"'],
    ['braces', '{ } '],
  ])('reads a 200 kB line of %s in linear time', (_what, unit) => {
    const started = Date.now();
    const r = parseText(`x ${unit.repeat(Math.ceil(200_000 / unit.length))}\n`);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.statements.length).toBeGreaterThan(0);
  });

  it('stops a runaway repetition with an error instead of running for ever', () => {
    const r = parseText('~SEQ(A,1,1000) ~SEQ(B,1,1000) ~SEQ(C,1,1000) x\n', {}, { maxLines: 5000 });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['config-too-large']);
    expect(r.statements.length).toBeLessThan(5000);
  });
});
