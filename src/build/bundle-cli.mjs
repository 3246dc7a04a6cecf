/**
 * Bundles the keepalived-ts command into dist/bundle/ (run after tsc by `npm run build` and by
 * the tests' build step). Node 20 spends ~3 ms loading each ES module, and `-t` alone loaded
 * about 55 of them; one entry file and a few shared chunks start in a fraction of that (issue 14,
 * docs/performance.md). The daemon, lab, genhash and control commands stay separate chunks,
 * loaded only when asked for. pino is bundled too: loaded from node_modules, each of the 29
 * CommonJS files it brings cost Node a package.json lookup, ~30 ms of CPU at the daemon's start
 * (bench/vrrp-start); we use no pino transport, whose worker files a bundle would move. netlink is narrowed (below); the addons stay where they are.
 */
import { readFileSync, rmSync } from 'node:fs';
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
 * from; a name it lacks fails the build ("No matching export"), never the daemon at run time.
 */
const leanNetlink = {
  name: 'lean-netlink',
  setup(b) {
    b.onResolve({ filter: /^netlink$/ }, () => ({ path: 'netlink', namespace: 'lean-netlink' }));
    b.onLoad({ filter: /.*/, namespace: 'lean-netlink' }, () => ({
      loader: 'js',
      contents: `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
export const { FlagsGet, FlagsNew, MessageType } = require('netlink/dist/constants.js');
export const { createRtNetlink } = require('netlink/dist/rt/rt.js');
export const { createGenericNetlink } = require('netlink/dist/genl/genl.js');
export const rt = require('netlink/dist/rt/structs.js');
export const genl = require('netlink/dist/genl/structs.js');
`,
    }));
  },
};

// chunk names carry a content hash: old ones would pile up
rmSync(new URL('dist/bundle', root), { recursive: true, force: true });
await build({
  absWorkingDir: new URL('.', root).pathname,
  // the reload's config reader runs on a worker thread, started from a file next to the caller
  entryPoints: { 'keepalived-ts': 'src/cli/keepalived-ts.ts', 'config-worker-main': 'src/linux/config-worker-main.ts' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // pino's CommonJS files call require() for Node's own modules, which an ES module lacks
  banner: { js: "import { createRequire as __ktsCreateRequire } from 'node:module'; const require = __ktsCreateRequire(import.meta.url);" },
  tsconfig: 'tsconfig.build.json',
  plugins: [fixedVersion, leanNetlink],
  logLevel: 'warning',
});
