/** Where the configs the evidence tests run on live: conf/ (recursively) and the broken corpus. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './cli.js';

export const CONF_DIR = join(REPO, 'conf');
export const BROKEN_DIR = join(REPO, 'test/unit/config/broken');

/** Absolute paths of the `.conf` files under `dir`, subfolders included, sorted. */
export function configsUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return configsUnder(path);
      return name.endsWith('.conf') ? [path] : [];
    });
}

/** The broken corpus: its top-level `.conf` files (the folders beside them hold included files). */
export function brokenConfigs(): string[] {
  return readdirSync(BROKEN_DIR)
    .filter((name) => name.endsWith('.conf'))
    .sort()
    .map((name) => join(BROKEN_DIR, name));
}
