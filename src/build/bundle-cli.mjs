/**
 * Bundles the keepalived-ts command into dist/bundle/ (run after tsc by `npm run build` and by
 * the tests' build step). Node 20 spends ~3 ms loading each ES module, and `-t` alone loaded
 * about 55 of them; one entry file and a few shared chunks start in a fraction of that (issue 14,
 * docs/performance.md). The daemon, lab, genhash and control commands stay separate chunks,
 * loaded only when asked for. The daemon and `-t` run from CommonJS builds of the same command,
 * single scripts that V8's code cache can hold (src/cli/compile-cache.ts, docs/startup.md). pino is bundled
 * too: loaded from node_modules, each of the 29 CommonJS files it brings cost Node a package.json
 * lookup, ~30 ms of CPU at the daemon's start (bench/vrrp-start); we use no pino transport, whose
 * worker files a bundle would move. netlink is narrowed (below); the addons stay where they are.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { URL } from 'node:url';
import { build } from 'esbuild';

const root = new URL('../../', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

/**
 * src/version.ts reads package.json next to dist/; a chunk in dist/bundle/ is one level deeper,
 * so the version is written in at build time instead. Every other `import.meta.url` path in src
 * is relative to a dist/<folder>/ file, the same depth as dist/bundle/.
 */
const fixedVersion = {
  name: 'fixed-version',
  setup(b) {
    b.onLoad({ filter: /[/\\]src[/\\]version\.ts$/ }, () => ({ contents: `export const VERSION = ${JSON.stringify(version)};`, loader: 'ts' }));
  },
};

/**
 * `import ... from 'netlink'` loads the package's index, which loads every family it knows
 * (nl80211's and WireGuard's generated structs among them, ~0.5 MB of JavaScript we never use),
 * and an ES import of a CommonJS package first has Node scan each file for its exports. The
 * daemon then started ~100 ms later and ~5 MiB bigger (docs/performance.md, "Daemon memory").
 * This plugin gives the bundle a small module that `require`s only the parts our sources import
 * from, bundled so that their compiled code is cached with ours; a name it lacks fails the build
 * ("No matching export"), never the daemon at run time.
 */
const leanNetlink = {
  name: 'lean-netlink',
  setup(b) {
    b.onResolve({ filter: /^netlink$/ }, () => ({ path: 'netlink', namespace: 'lean-netlink' }));
    b.onLoad({ filter: /.*/, namespace: 'lean-netlink' }, () => ({
      loader: 'js',
      resolveDir: root.pathname,
      contents: `export const { FlagsGet, FlagsNew, MessageType } = require('netlink/dist/constants.js');
export const { createRtNetlink } = require('netlink/dist/rt/rt.js');
export const { createGenericNetlink } = require('netlink/dist/genl/genl.js');
export const rt = require('netlink/dist/rt/structs.js');
export const genl = require('netlink/dist/genl/structs.js');
`,
    }));
    // raw.js finds the package's addon from its own __dirname: it stays a file in node_modules
    b.onResolve({ filter: /^\.\/raw$/ }, (args) => (/[/\\]netlink[/\\]dist[/\\]/.test(args.importer) ? { path: 'netlink/dist/raw.js', external: true } : undefined));
  },
};

rmSync(new URL('dist/bundle', root), { recursive: true, force: true });
const common = {
  absWorkingDir: new URL('.', root).pathname,
  outdir: 'dist/bundle',
  bundle: true,
  platform: 'node',
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  logLevel: 'warning',
};
/**
 * The command as one CommonJS script, dist/bundle/NAME.cjs, which src/cli/start.ts runs through
 * V8's code cache (src/cli/compile-cache.ts). What the command loads only on demand (the daemon,
 * lab, genhash, control commands) esbuild wraps so that its modules run when first imported, as
 * separate chunks do. Its `import.meta.url` paths (addons, the config worker) are the bundle's own.
 */
async function commandScript(name, plugins) {
  await build({
    ...common,
    entryPoints: { [name]: 'src/cli/keepalived-ts.ts' },
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    define: { 'import.meta.url': '__ktsBundleUrl' },
    banner: { js: "var __ktsBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [fixedVersion, leanNetlink, ...plugins],
  });
  asciiOnly(new URL(`dist/bundle/${name}.cjs`, root));
}

/**
 * For `-t`, the command without the daemon (check.cjs, a quarter of cli.cjs to read and take from
 * the cache). main() returns `-t`'s status before it would import the daemon, so the module
 * standing in for it is never run; if it were, it says so instead of starting something else.
 */
const noDaemon = {
  name: 'no-daemon',
  setup(b) {
    b.onResolve({ filter: /[/\\]daemon[/\\]run\.js$/ }, () => ({ path: 'no-daemon', namespace: 'no-daemon' }));
    b.onLoad({ filter: /.*/, namespace: 'no-daemon' }, () => ({
      loader: 'js',
      contents: "export function runDaemon() { throw new Error('the daemon is not in check.cjs (src/cli/start.ts chose it for -t)'); }",
    }));
  },
};
await commandScript('cli', []);
await commandScript('check', [noDaemon]);
/**
 * The same command as ES modules in chunks, for what is neither the daemon nor `-t` (--help,
 * genhash, lab, the control commands): each loads only its own chunks.
 * The reload's config reader runs on a worker thread, started from a file next to the caller.
 */
await build({
  ...common,
  entryPoints: { 'keepalived-ts': 'src/cli/start.ts', cli: 'src/cli/keepalived-ts.ts', 'config-worker-main': 'src/linux/config-worker-main.ts' },
  splitting: true,
  format: 'esm',
  // pino's CommonJS files call require() for Node's own modules, which an ES module lacks
  banner: { js: "import { createRequire as __ktsCreateRequire } from 'node:module'; const require = __ktsCreateRequire(import.meta.url);" },
  plugins: [fixedVersion, leanNetlink],
});

/**
 * src/cli/compile-cache.ts reads the scripts as latin1, the same text as UTF-8 for an ASCII file:
 * ~9 ms for the 1.1 MB script against ~21 ms in UTF-8 with one "×" in it (docs/startup.md).
 * esbuild escapes every other character in strings and names, but keeps the JSDoc comments of
 * class members, ours included: their characters become "?" here. Any other line fails the build.
 */
function asciiOnly(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const fixed = lines.map((line, i) => {
    if (!/[\u0080-\uffff]/.test(line)) return line;
    if (!/^\s*(\*|\/\*|\/\/)/.test(line)) throw new Error(`${file.pathname}:${i + 1}: a character outside ASCII in code`);
    return line.replace(/[\u0080-\uffff]/g, '?');
  });
  writeFileSync(file, fixed.join('\n'));
}
