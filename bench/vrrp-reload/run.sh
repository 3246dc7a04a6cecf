#!/usr/bin/env bash
# Builds the benchmark and the sources it imports into .cache/bench (git ignores it), then
# measures. Arguments go to run.ts: --instances N --vips N --runs N.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -p bench/vrrp-reload/tsconfig.json
node .cache/bench/bench/vrrp-reload/run.js "$@"
