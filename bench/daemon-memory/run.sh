#!/usr/bin/env bash
# Daemon memory (issue 14): resident memory of keepalived-ts and of Debian's keepalived running
# the same configuration, idle, in a network namespace of its own with eth0 one end of a veth pair whose other end is in it too (no packet
# leaves it; BACKUP instances advertise nothing, real servers are unreachable from inside).
# Needs root. Usage: [NODE_FLAGS=...] bench/daemon-memory/run.sh [SETTLE_SECONDS] [CONFIG...]
# Defaults: 20 s after start, conf/lab/lb1.conf and the 1,000 x 10 config of bench/config-load.
set -euo pipefail
cd "$(dirname "$0")/../.."
settle=${1:-20}
shift || true
work=$(mktemp -d "${TMPDIR:-/tmp}/kts-mem.XXXXXX")
ns="kts-mem-$$"
cleanup() {
  kill "${ours:-}" "${ka:-}" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
configs=("$@")
if [ ${#configs[@]} -eq 0 ]; then
  npx tsc -p bench/config-load/tsconfig.json
  node -e "import('./.cache/bench/bench/config-load/generate.js').then((m) => process.stdout.write(m.generateConfig({ virtualServers: 1000, realServersPerVs: 10 })))" >"$work/1000x10.conf"
  configs=(conf/lab/lb1.conf "$work/1000x10.conf")
fi
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add eth0 type veth peer name peer0
ip -n "$ns" link set peer0 up
ip -n "$ns" link set eth0 up
ip -n "$ns" addr add 10.99.0.1/24 dev eth0

# resident KiB of a process and its children (keepalived forks a VRRP and a checker child)
rss_tree() {
  local total=0 pid
  for pid in $1 $(pgrep -P "$1" || true); do
    total=$((total + $(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); settle ${settle} s; node $(node -v)"
echo "| config | keepalived-ts RSS (MiB) | keepalived RSS (MiB, all processes) |"
echo "|---|---:|---:|"
for conf in "${configs[@]}"; do
  ip netns exec "$ns" node ${NODE_FLAGS:-} bin/keepalived-ts -n -l -f "$conf" -p "$work/ours.pid" --control-socket="$work/ctl.sock" >"$work/ours.log" 2>&1 &
  ours=$!
  ip netns exec "$ns" keepalived -n -l -f "$conf" -p "$work/ka.pid" -r "$work/ka-vrrp.pid" -c "$work/ka-check.pid" >"$work/ka.log" 2>&1 &
  ka=$!
  # idle memory: what is left once start-up is over (ip netns exec replaces itself, so $! is the daemon)
  sleep "$settle"
  kill -0 "$ours" && kill -0 "$ka" || { echo "a daemon stopped early:"; tail -5 "$work"/*.log; exit 1; }
  ours_kib=$(rss_tree "$ours")
  ka_kib=$(rss_tree "$ka")
  printf '| %s | %.1f | %.1f |\n' "$(basename "$conf")" "$(echo "$ours_kib / 1024" | bc -l)" "$(echo "$ka_kib / 1024" | bc -l)"
  kill "$ours" "$ka" 2>/dev/null || true
  wait "$ours" "$ka" 2>/dev/null || true
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
