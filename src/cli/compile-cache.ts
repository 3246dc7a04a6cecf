/**
 * Runs the bundled command (dist/bundle/cli.cjs, src/build/bundle-cli.mjs) through V8's code
 * cache, so a start does not compile again what the last one compiled (issue 14). Node 20 has no
 * module compile cache (`module.enableCompileCache` came in Node 22.1), so the bundle is a
 * CommonJS script run with `vm.Script`'s `cachedData`, which both supported Node lines have.
 * The daemon and `-t` go this way, each from its own script (src/cli/start.ts). The cache is
 * written once per bundle file and Node version, after the code the run needs is compiled. Any
 * failure (no cache directory, one we cannot trust, a rejected cache) only means compiling as
 * before.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

/**
 * KEEPALIVED_TS_COMPILE_CACHE names the directory ("" turns the cache off); otherwise root's is
 * under /var/cache (the packaged daemon), anyone else's under their XDG cache directory.
 */
export function cacheDirectory(env: NodeJS.ProcessEnv, uid: number, home: string | undefined): string | undefined {
  const chosen = env['KEEPALIVED_TS_COMPILE_CACHE'];
  if (chosen !== undefined) return chosen === '' ? undefined : chosen;
  if (uid === 0) return '/var/cache/keepalived-ts/v8';
  const base = env['XDG_CACHE_HOME'] ?? (home !== undefined ? join(home, '.cache') : undefined);
  return base !== undefined ? join(base, 'keepalived-ts', 'v8') : undefined;
}

/**
 * Cached data is code V8 runs: a root daemon must not take it from a directory someone else
 * can write. Ours means a real directory, owned by this user, writable by nobody else.
 */
export function trustedDirectory(stat: { isDirectory(): boolean; uid: number; mode: number }, uid: number): boolean {
  return stat.isDirectory() && stat.uid === uid && (stat.mode & 0o022) === 0;
}

/** Files kept in the directory: one per build and Node version; other worktrees' builds share it. */
const KEEP_FILES = 16;

/** When the daemon's cache is written: its start-up (config, sockets, first advert) is over by then. */
const SAVE_DELAY_MS = 5000;

export interface CachedRun {
  /** The script's module.exports. */
  readonly exports: unknown;
  /** Whether V8 took compiled code from the cache. */
  readonly fromCache: boolean;
  /** Writes the cache now (once) if this run had none to use; false when nothing was written. */
  save(): boolean;
}

/**
 * Runs the CommonJS file `file` in this context, as `require` would, with code from `directory`
 * when a cache for this file and Node is there. The file is named by its inode, size and change
 * time to the nanosecond (hashing the 1 MB text cost ~7 ms): every build writes new files, and
 * V8 itself rejects a cache made from a text of another length or under other flags.
 */
export function runCached(file: string, directory: string | undefined): CachedRun {
  // the build keeps the bundle ASCII (src/build/bundle-cli.mjs), where latin1 reads the same text as UTF-8, faster
  const source = readFileSync(file, 'latin1');
  const { ino, size, ctimeNs } = statSync(file, { bigint: true });
  const dir = directory !== undefined && usableDirectory(directory) ? directory : undefined;
  const cacheFile = dir !== undefined ? join(dir, `${process.version}-${process.arch}-${ino}-${size}-${ctimeNs}.v8`) : undefined;
  const cachedData = cacheFile !== undefined ? readOrNothing(cacheFile) : undefined;
  // the wrapper Node's CommonJS loader uses, so the bundle sees require, module and __dirname
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: pathToFileURL(file).href,
    ...(cachedData !== undefined ? { cachedData } : {}),
  });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  let saved = fromCache || cacheFile === undefined || dir === undefined;
  return {
    exports: module.exports,
    fromCache,
    save: () => {
      if (saved) return false;
      saved = true;
      return writeCache(dir as string, cacheFile as string, script.createCachedData());
    },
  };
}

/**
 * A process entry: runs the bundle and has its cache written once the code the run needs is
 * compiled. `-t` (`'exit'`): at exit, whatever the status, since a config with errors exercises
 * the front end too. The daemon (`'started'`): 5 s after start (an unref'd timer: it never keeps
 * a stopping daemon alive) or at a clean exit, whichever comes first; a daemon that refused its
 * config compiled little, and its cache would stand in for a full one.
 */
export function startCached(file: string, when: 'exit' | 'started'): void {
  const run = runCached(file, cacheDirectory(process.env, process.getuid?.() ?? -1, process.env['HOME']));
  if (when === 'exit') {
    process.once('exit', () => run.save());
    return;
  }
  setTimeout(() => run.save(), SAVE_DELAY_MS).unref();
  process.once('exit', (code) => code === 0 && run.save());
}

function usableDirectory(directory: string): boolean {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    return trustedDirectory(lstatSync(directory), process.getuid?.() ?? -1);
  } catch {
    return false;
  }
}

function readOrNothing(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Whole or not at all (a temporary file renamed over), then the oldest files beyond KEEP_FILES go. */
function writeCache(dir: string, file: string, data: Buffer): boolean {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
    return false;
  }
  try {
    const files = readdirSync(dir)
      .filter((name) => name.endsWith('.v8'))
      .map((name) => ({ path: join(dir, name), mtime: lstatSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of files.slice(KEEP_FILES)) rmSync(old.path, { force: true });
  } catch {
    // another process pruned at the same time
  }
  return true;
}
