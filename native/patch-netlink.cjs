// netlink 0.3.0 builds its poll-error exception with a NULL syscall name; napi turns that into
// a C++ exception thrown inside a libuv callback and the whole daemon aborts when the kernel
// overruns a notification socket. Naming the syscall makes it an ordinary 'error' event, which
// src/linux handles by recreating the socket and reconciling. The prebuilt binary has the bug,
// so after patching the source we build it; node-gyp-build then prefers build/Release.
const { readFileSync, writeFileSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const { dirname, join } = require('node:path');

const root = dirname(require.resolve('netlink/package.json'));
const file = join(root, 'src', 'binding.cc');
const broken = 'ErrnoException(obj->Env(), -status, NULL, "error when polling socket")';
const fixed = 'ErrnoException(obj->Env(), -status, "uv_poll", "error when polling socket")';

const source = readFileSync(file, 'utf8');
if (source.includes(broken)) writeFileSync(file, source.replace(broken, fixed));
else if (!source.includes(fixed)) throw new Error(`${file}: the line to patch is gone; check the netlink version`);

execFileSync(process.env.npm_config_node_gyp ? process.execPath : 'node-gyp',
  process.env.npm_config_node_gyp ? [process.env.npm_config_node_gyp, 'rebuild'] : ['rebuild'],
  { cwd: root, stdio: 'inherit' });
