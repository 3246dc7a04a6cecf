import { describe, expect, it } from 'vitest';
import { brief, outline, parseText } from './helpers.js';

describe('~SEQ and ~LST line repetition', () => {
  it('repeats the rest of the line for start..end (keepalived man page)', () => {
    const r = parseText('~SEQ(SUBNET, 0, 3) ip_address 10.0.${SUBNET}.1\n');
    expect(outline(r.statements)).toEqual(['ip_address 10.0.0.1', 'ip_address 10.0.1.1', 'ip_address 10.0.2.1', 'ip_address 10.0.3.1']);
  });

  it('takes (var, end), (var, start, end) and (var, start, step, end) like keepalived', () => {
    const values = (line: string): string[] => outline(parseText(`${line} v $I\n`).statements).map((l) => l.slice(2));
    expect(values('~SEQ(I, 3)')).toEqual(['1', '2', '3']);
    expect(values('~SEQ(I, -2)')).toEqual(['-1', '-2']);
    expect(values('~SEQ(I, 0)')).toEqual(['1', '0']);
    expect(values('~SEQ(I, 5, 3)')).toEqual(['5', '4', '3']);
    expect(values('~SEQ(I, 0, 5, 12)')).toEqual(['0', '5', '10']);
    expect(values('~SEQ(I, 0x10, 010, 0x20)')).toEqual(['16', '24', '32']);
  });

  it('~SEQx writes values in hexadecimal', () => {
    const r = parseText('~SEQx(SUBNET, 0x90, 0x10, 0xc0) ip_address fe80::20:${SUBNET}:1\n');
    expect(outline(r.statements)).toEqual(['ip_address fe80::20:90:1', 'ip_address fe80::20:a0:1', 'ip_address fe80::20:b0:1', 'ip_address fe80::20:c0:1']);
  });

  it('nests several ~SEQ on one line, the last varying fastest', () => {
    const r = parseText('virtual_ipaddress {\n  ~SEQ(A, 1, 2) ~SEQx(B, 0xa, 0xb) fe81::${A}:${B}\n}\n');
    expect(outline(r.statements)).toEqual(['virtual_ipaddress {', '  fe81::1:a', '  fe81::1:b', '  fe81::2:a', '  fe81::2:b', '}']);
  });

  it('expands definitions in its parameters', () => {
    const r = parseText('$LAST=3\n~SEQ(I, 2, $LAST) x $I\n');
    expect(outline(r.statements)).toEqual(['x 2', 'x 3']);
  });

  it('repeats a multi-line definition whole for each value', () => {
    const conf = ['$BLOCK= \\', 'track_file f_${ID} { \\', '  weight -${ID} \\', '}', '', '~SEQ(ID, 1, 2) $BLOCK', 'after 1'].join('\n');
    expect(outline(parseText(conf).statements)).toEqual(['track_file f_1 {', '  weight -1', '}', 'track_file f_2 {', '  weight -2', '}', 'after 1']);
  });

  it('points every repeated statement at the text after the ~SEQ(...)', () => {
    const r = parseText('  ~SEQ(I, 1, 2)   x $I\n');
    expect(r.statements.map((s) => `${s.pos.line}:${s.pos.col}`)).toEqual(['1:19', '1:19']);
  });

  it('~LST sets one or several variables per value (keepalived man page)', () => {
    const r = parseText('~LST({IP, IP1}, {10,1},{20,4}) ~SEQ(IP2,168,2,170) a 192.${IP2}.${IP}.${IP1}\n~LST(X, p, q) b $X\n');
    expect(outline(r.statements)).toEqual(['a 192.168.10.1', 'a 192.170.10.1', 'a 192.168.20.4', 'a 192.170.20.4', 'b p', 'b q']);
  });

  it.each([
    ['~SEQ(I, 1, 0, 5) x', 'step 0'],
    ['~SEQ(I, 5, 1, 1) x', 'wrong direction'],
    ['~SEQ I, 1, 5) x', 'no ('],
    ['~SEQ(I, 1, 5 x', 'no )'],
    ['~SEQ(I, one, 5) x', 'not a number'],
    ['~SEQ(1I, 1, 5) x', 'bad variable'],
    ['~SEQ(I) x', 'no numbers'],
    ['~SEQ(I, 1, 2, 3, 4) x', 'too many numbers'],
    ['~SEQx(I, -1, 4) x', 'negative hex'],
    ['~SEQ(I, 1, 100000000) x', 'too long'],
    ['~LST(I) x', 'no values'],
    ['~LST({A,B}, {1}) x', 'short group'],
  ])('reports %s (%s) as one error on its line and reads the rest', (line) => {
    const r = parseText(`a 1\n${line}\nb 2\n`);
    expect(brief(r.diagnostics)).toHaveLength(1);
    expect(brief(r.diagnostics)[0]).toMatch(/^2:\d+ error bad-repetition$/);
    expect(outline(r.statements)).toEqual(['a 1', 'b 2']);
  });
});
