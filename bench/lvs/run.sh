#!/usr/bin/env bash
# Builds bench/lvs's host benches and the sources they import into .cache/bench (git ignores it),
# then runs one. `run.sh [SERVICESxSERVERS]`: the LVS core (default 1000x10). `run.sh log
# [LINES]`: the daemon logger, lines per second (its output goes to /dev/null).
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -p bench/lvs/tsconfig.json
if [ "${1:-}" = log ]; then
  shift
  node .cache/bench/bench/lvs/log-lines.js "$@" 3>&1 >/dev/null 2>&1
else
  node .cache/bench/bench/lvs/core.js "$@"
fi
