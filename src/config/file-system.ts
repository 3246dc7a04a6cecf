import { readFileSync, readdirSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { expandBraces, hasGlobMagic, segmentMatcher } from './glob.js';

/**
 * Everything the config reader needs from the outside world. Paths are absolute; `glob`
 * returns the sorted absolute paths of existing files a pattern matches (an empty list when
 * nothing matches), and `readFile` throws an Error carrying a `code` such as `ENOENT`.
 */
export interface ConfigFileSystem {
  readFile(path: string): string;
  glob(pattern: string): string[];
}

/** The real file system, walking directories segment by segment like glob(3). */
export const nodeFileSystem: ConfigFileSystem = {
  readFile: (path) => readFileSync(path, 'utf8'),
  glob: (pattern) => globWith(pattern, listDirectory, isFile),
};

/** An in-memory file system: `files` maps absolute paths to contents. */
export function memoryFileSystem(files: Readonly<Record<string, string>>): ConfigFileSystem {
  const paths = Object.keys(files).map((p) => posix.normalize(p));
  const contents = new Map(Object.entries(files).map(([p, text]) => [posix.normalize(p), text]));
  const list = (dir: string): string[] => {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    const names = new Set<string>();
    for (const p of paths) {
      if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0] as string);
    }
    return [...names];
  };
  return {
    readFile: (path) => {
      const text = contents.get(posix.normalize(path));
      if (text === undefined) {
        const dirLike = paths.some((p) => p.startsWith(`${posix.normalize(path)}/`));
        throw Object.assign(new Error(`${dirLike ? 'EISDIR' : 'ENOENT'}: ${path}`), { code: dirLike ? 'EISDIR' : 'ENOENT' });
      }
      return text;
    },
    glob: (pattern) => globWith(pattern, list, (p) => contents.has(p)),
  };
}

function listDirectory(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function globWith(pattern: string, list: (dir: string) => string[], exists: (path: string) => boolean): string[] {
  const found = new Set<string>();
  for (const alternative of expandBraces(pattern)) {
    const normalized = posix.normalize(alternative);
    if (!hasGlobMagic(normalized)) {
      if (exists(normalized)) found.add(normalized);
      continue;
    }
    let candidates = ['/'];
    for (const segment of normalized.split('/').filter((s) => s !== '')) {
      const next: string[] = [];
      for (const dir of candidates) {
        if (!hasGlobMagic(segment)) {
          next.push(posix.join(dir, segment));
          continue;
        }
        const matches = segmentMatcher(segment);
        for (const name of list(dir).sort()) if (matches(name)) next.push(posix.join(dir, name));
      }
      candidates = next;
    }
    for (const candidate of candidates) if (exists(candidate)) found.add(candidate);
  }
  return [...found].sort();
}
