#!/usr/bin/env bash
# Builds bench/lvs/core.ts and the sources it imports into .cache/bench (git ignores it), then
# measures the LVS core on the host. Argument: SERVICESxSERVERS (default 1000x10).
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -p bench/lvs/tsconfig.json
node .cache/bench/bench/lvs/core.js "$@"
