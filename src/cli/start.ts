import './no-inspector.js';
import { fileURLToPath } from 'node:url';
import { startCached } from './compile-cache.js';
import { parseCommandLine } from './options.js';

/**
 * The entry behind bin/keepalived-ts in the bundle (src/build/bundle-cli.mjs). The daemon runs
 * the whole command from dist/bundle/cli.cjs, `-t` the command without the daemon from
 * dist/bundle/check.cjs, both through V8's code cache (src/cli/compile-cache.ts); everything else
 * (--help, genhash, status) imports the ES module chunks. All are built from
 * src/cli/keepalived-ts.ts, and main() answers `-t` before it would load the daemon, so the
 * choice here costs or saves time, never changes what the command does.
 */
const argv = process.argv.slice(2);
const { options, errors } = parseCommandLine(argv);
const bundle = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
if (errors.length === 0 && options.has('config-test')) startCached(bundle('./check.cjs'), 'exit');
else if (errors.length === 0 && options.has('dont-fork') && !['help', 'version', 'signum'].some((name) => options.has(name))) startCached(bundle('./cli.cjs'), 'started');
else await import(new URL('./cli.js', import.meta.url).href);
