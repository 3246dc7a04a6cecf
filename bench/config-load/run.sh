#!/usr/bin/env bash
# Builds the benchmark and the sources it imports into .cache/bench (git ignores it), builds
# dist/ for bin/keepalived-ts, then measures. Arguments go to run.ts: --vs N --rs N --runs N.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -p bench/config-load/tsconfig.json
npx tsc -p tsconfig.build.json
node src/build/bundle-cli.mjs
node .cache/bench/bench/config-load/run.js "$@"
