import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheDirectory, trustedDirectory } from '../../../src/cli/compile-cache.js';

const work = mkdtempSync(join(tmpdir(), 'kts-compile-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A CommonJS file that uses what Node's wrapper hands a module: require, module, __dirname. */
function script(name: string): string {
  const file = join(work, name);
  writeFileSync(file, `const { basename } = require('node:path');\nmodule.exports = { twice: (n) => n * 2, dir: basename(__dirname) };\n`);
  return file;
}

describe('cacheDirectory', () => {
  it('takes KEEPALIVED_TS_COMPILE_CACHE, where empty turns the cache off', () => {
    expect(cacheDirectory({ KEEPALIVED_TS_COMPILE_CACHE: '/x/y' }, 0, '/root')).toBe('/x/y');
    expect(cacheDirectory({ KEEPALIVED_TS_COMPILE_CACHE: '' }, 0, '/root')).toBeUndefined();
  });
  it("puts root's under /var/cache and a user's under the XDG cache directory", () => {
    expect(cacheDirectory({}, 0, '/root')).toBe('/var/cache/keepalived-ts/v8');
    expect(cacheDirectory({ XDG_CACHE_HOME: '/c' }, 1000, '/home/u')).toBe('/c/keepalived-ts/v8');
    expect(cacheDirectory({}, 1000, '/home/u')).toBe('/home/u/.cache/keepalived-ts/v8');
    expect(cacheDirectory({}, 1000, undefined)).toBeUndefined();
  });
});

describe('trustedDirectory', () => {
  const dir = (owner: number, mode: number) => ({ isDirectory: () => true, uid: owner, mode: 0o040000 | mode });
  it('trusts only a directory of ours that nobody else can write', () => {
    expect(trustedDirectory(dir(5, 0o700), 5)).toBe(true);
    expect(trustedDirectory(dir(5, 0o755), 5)).toBe(true);
    expect(trustedDirectory(dir(6, 0o700), 5)).toBe(false);
    expect(trustedDirectory(dir(5, 0o775), 5)).toBe(false);
    expect(trustedDirectory(dir(5, 0o777), 5)).toBe(false);
    expect(trustedDirectory({ ...dir(5, 0o700), isDirectory: () => false }, 5)).toBe(false);
  });
});

/**
 * Each run is its own process, as each start is: within one, V8 keeps compiled scripts and would
 * answer from memory. The child imports the built dist/ (the unit tier's global setup builds it).
 */
function run(file: string, cache: string | undefined): { fromCache: boolean; value: unknown; saved: boolean } {
  const module = pathToFileURL(resolve('dist/cli/compile-cache.js')).href;
  const code = `import { runCached } from ${JSON.stringify(module)};
const r = runCached(${JSON.stringify(file)}, ${JSON.stringify(cache)});
const value = typeof r.exports === 'number' ? r.exports : [r.exports.twice(21), r.exports.dir];
console.log(JSON.stringify({ fromCache: r.fromCache, value, saved: r.save(), again: r.save() }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  expect(child.stderr).toBe('');
  const out = JSON.parse(child.stdout) as { fromCache: boolean; value: unknown; saved: boolean; again: boolean };
  expect(out.again).toBe(false);
  return out;
}

describe('runCached', () => {
  it('runs the script as require would, writes its cache once, and the next start takes code from it', () => {
    const file = script('a.cjs');
    const cache = join(work, 'cache-a');
    expect(run(file, cache)).toMatchObject({ fromCache: false, value: [42, basename(work)], saved: true });
    expect(readdirSync(cache)).toHaveLength(1);
    expect(run(file, cache)).toMatchObject({ fromCache: true, value: [42, basename(work)], saved: false });
  });

  it('compiles as before when the cache is damaged, and replaces it', () => {
    const file = script('b.cjs');
    const cache = join(work, 'cache-b');
    run(file, cache);
    const [name] = readdirSync(cache);
    writeFileSync(join(cache, name as string), 'not V8 code');
    expect(run(file, cache)).toMatchObject({ fromCache: false, value: [42, basename(work)], saved: true });
    expect(run(file, cache).fromCache).toBe(true);
  });

  it('a rebuilt file does not take the old cache', () => {
    const file = script('c.cjs');
    const cache = join(work, 'cache-c');
    run(file, cache);
    rmSync(file);
    writeFileSync(file, 'module.exports = 7;\n');
    expect(run(file, cache)).toMatchObject({ fromCache: false, value: 7, saved: true });
  });

  it('uses no directory that others can write, and none at all when there is none', () => {
    const file = script('d.cjs');
    const open = join(work, 'cache-open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(run(file, open)).toMatchObject({ fromCache: false, saved: false });
    expect(readdirSync(open)).toEqual([]);
    expect(run(file, undefined)).toMatchObject({ fromCache: false, saved: false });
  });
});
