import './no-inspector.js';
import { fileURLToPath } from 'node:url';
import { startCached } from './compile-cache.js';
import { parseCommandLine } from './options.js';

/**
 * The entry behind bin/keepalived-ts in the bundle (src/build/bundle-cli.mjs). The daemon runs
 * the whole command from dist/bundle/cli.cjs through V8's code cache (src/cli/compile-cache.ts);
 * everything else (-t, --help, genhash, status) imports the ES module chunks, which load less.
 * Both are built from src/cli/keepalived-ts.ts, so a wrong guess here costs time, never behaviour.
 */
function startsDaemon(argv: readonly string[]): boolean {
  const { options, errors } = parseCommandLine(argv);
  return errors.length === 0 && options.has('dont-fork') && !['config-test', 'help', 'version', 'signum'].some((name) => options.has(name));
}

const argv = process.argv.slice(2);
if (startsDaemon(argv)) startCached(fileURLToPath(new URL('./cli.cjs', import.meta.url)));
else await import(new URL('./cli.js', import.meta.url).href);
