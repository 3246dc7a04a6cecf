import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryFileSystem, nodeFileSystem } from '../../../src/config/file-system.js';
import { expandBraces, segmentMatcher } from '../../../src/config/glob.js';
import { parseConfigFile } from '../../../src/config/parse-config.js';

describe('glob pieces', () => {
  it('expands nested braces left to right', () => {
    expect(expandBraces('{foo/{,cat,dog},bar}.conf')).toEqual(['foo/.conf', 'foo/cat.conf', 'foo/dog.conf', 'bar.conf']);
    expect(expandBraces('no{brace')).toEqual(['no{brace']);
    expect(expandBraces('{a,b}'.repeat(30))).toHaveLength(1024);
    expect(expandBraces('x{'.repeat(50_000))).toEqual(['x{'.repeat(50_000)]);
    expect(expandBraces('{a}'.repeat(50_000))).toEqual(['{a}'.repeat(50_000)]);
    expect(expandBraces('{a,{b,c}}{d,e}')).toEqual(['ad', 'ae', 'bd', 'be', 'cd', 'ce']);
  });

  it('matches *, ?, classes and negated classes, but not hidden files by wildcard', () => {
    expect(segmentMatcher('*.conf')('a.conf')).toBe(true);
    expect(segmentMatcher('*.conf')('.a.conf')).toBe(false);
    expect(segmentMatcher('.*.conf')('.a.conf')).toBe(true);
    expect(segmentMatcher('f?[0-9].c')('fx7.c')).toBe(true);
    expect(segmentMatcher('f[!0-9]')('f7')).toBe(false);
    expect(segmentMatcher('a+b(c)')('a+b(c)')).toBe(true);
    expect(segmentMatcher('[z-a].conf')('b.conf')).toBe(false);
  });
});

describe('file systems', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-syntax-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the Node file system globs real directories, sorted, files only', () => {
    mkdirSync(join(dir, 'conf.d', 'sub.conf'), { recursive: true });
    writeFileSync(join(dir, 'conf.d', 'b.conf'), 'b 2\n');
    writeFileSync(join(dir, 'conf.d', 'a.conf'), 'a 1\n');
    writeFileSync(join(dir, 'main.conf'), 'include conf.d/*.conf\n');
    expect(nodeFileSystem.glob(join(dir, 'conf.d', '*.conf'))).toEqual([join(dir, 'conf.d', 'a.conf'), join(dir, 'conf.d', 'b.conf')]);
    const r = parseConfigFile(join(dir, 'main.conf'));
    expect(r.statements.map((s) => s.keyword)).toEqual(['a', 'b']);
    expect(r.diagnostics).toEqual([]);
  });

  it('resolves a relative main file against cwd', () => {
    const r = parseConfigFile('main.conf', { cwd: dir });
    expect(r.statements).toHaveLength(2);
  });

  it('the memory file system lists, globs and reports missing files with a code', () => {
    const fs = memoryFileSystem({ '/x/a.conf': 'a', '/x/y/b.conf': 'b' });
    expect(fs.glob('/x/*')).toEqual(['/x/a.conf']);
    expect(fs.glob('/x/*/*.conf')).toEqual(['/x/y/b.conf']);
    expect(() => fs.readFile('/x/none')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => fs.readFile('/x/y')).toThrow(expect.objectContaining({ code: 'EISDIR' }));
  });
});
