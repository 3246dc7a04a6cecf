/**
 * bench/lvs in the vm: `npx vitest run --project bench-vm bench/lvs` (KTS_BENCH_SIZE=100x10 for a
 * quick one). The same config of 1,000 virtual servers x 10 real servers (no checkers, so health
 * plays no part) run by `keepalived -C` and by `keepalived-ts -C` in the same boot: time from
 * start to the full table, resident memory, CPU over an idle minute, and the time and
 * completeness of SIGTERM. Timed inside the guest; results: docs/performance.md. KTS_BENCH_IDLE_S:
 * the idle period (60 s); KTS_BENCH_PROF=DIR: profile ours (a directory the guest shares).
 */
import { describe, expect, it } from 'vitest';
import { vm } from '../../test/vm/harness/vm.js';
import { ALIVE } from '../../test/vm/lvs-daemons.js';

const [services = 1000, perService = 10] = (process.env.KTS_BENCH_SIZE ?? '1000x10').split('x').map(Number);
const DIR = `/tmp/bench-lvs-${process.pid}`;
const IDLE_S = Number(process.env.KTS_BENCH_IDLE_S ?? 60);
/** A directory (shared with the guest): ours then runs under `node --cpu-prof` and leaves its profile there. */
const PROFILE_DIR = process.env.KTS_BENCH_PROF;

function config(): string {
  const blocks: string[] = [];
  for (let s = 0; s < services; s++) {
    const servers: string[] = [];
    for (let r = 1; r <= perService; r++) servers.push(`  real_server 10.81.${r >> 8}.${r & 255} 80 { }`);
    blocks.push(`virtual_server 10.80.${s >> 8}.${s & 255} 80 {\n  protocol TCP\n  lvs_sched wrr\n  lvs_method NAT\n${servers.join('\n')}\n}`);
  }
  return blocks.join('\n');
}

/**
 * Runs in the guest: starts the daemon, waits for the whole table in /proc/net/ip_vs, measures
 * memory and idle CPU of the process tree, then SIGTERM: when the table was empty (null if it
 * never was), when the process was gone, and what is left. One JSON line.
 */
const MEASURE = `
set -e
want=$1; shift
pidfile=$1; shift
lines() { tail -n +4 /proc/net/ip_vs | wc -l; }
tree() { p=$1; echo $p; for c in $(cat /proc/$p/task/*/children 2>/dev/null); do tree $c; done; }
rss() { t=0; for p in $(tree $1); do v=$(awk '/^VmRSS/ {print $2}' /proc/$p/status 2>/dev/null || echo 0); t=$((t + v)); done; echo $t; }
ticks() { t=0; for p in $(tree $1); do v=$(awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null || echo 0); t=$((t + v)); done; echo $t; }
${ALIVE}
ms() { echo $(( $(date +%s%N) / 1000000 )); }
rm -f $pidfile
t0=$(ms)
"$@" >${DIR}/daemon.log 2>&1 &
daemon=$!
# a daemon that died would leave this loop waiting for the whole timeout
while [ "$(lines)" -lt $want ]; do kill -0 $daemon || { tail -20 ${DIR}/daemon.log >&2; exit 1; }; sleep 0.05; done
t1=$(ms)
while [ ! -s $pidfile ]; do sleep 0.05; done
pid=$(cat $pidfile)
sleep 2
rss_kb=$(rss $pid)
c0=$(ticks $pid); i0=$(ms)
sleep ${IDLE_S}
c1=$(ticks $pid); i1=$(ms)
t2=$(ms)
kill -TERM $pid
te=0
while alive $pid; do if [ $te = 0 ] && [ "$(lines)" = 0 ]; then te=$(ms); fi; sleep 0.02; done
t3=$(ms)
[ $te = 0 ] && [ "$(lines)" = 0 ] && te=$t3
left=$(lines)
hz=$(getconf CLK_TCK)
echo "{\\"startToFullTableMs\\": $((t1 - t0)), \\"rssKb\\": $rss_kb, \\"idleCpuPercent\\": $(( (c1 - c0) * 100000 / hz / (i1 - i0) )), \\"stopMs\\": $((t3 - t2)), \\"stopToEmptyMs\\": $([ $te = 0 ] && echo null || echo $((te - t2))), \\"entriesLeft\\": $left}"
`;

async function measure(command: string[], pidfile: string): Promise<Record<string, number>> {
  const want = services * (1 + perService);
  const out = await vm.run('/bin/sh', ['-c', MEASURE, 'measure', String(want), pidfile, ...command], { timeoutMs: 1_800_000 });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, number>;
}

describe('bench/lvs', () => {
  it(`programs, idles and stops ${services} x ${perService}: keepalived -C and keepalived-ts -C`, async () => {
    await vm.sh(`mkdir -p ${DIR}; ipvsadm -C`);
    await vm.run('/bin/sh', ['-c', `cat > ${DIR}/keepalived.conf`], { input: config() });
    const theirs = await measure(['keepalived', '-n', '-l', '-C', '-f', `${DIR}/keepalived.conf`, '-p', `${DIR}/k.pid`, '-c', `${DIR}/kc.pid`], `${DIR}/k.pid`);
    await vm.run('ipvsadm', ['-C']);
    const node = PROFILE_DIR === undefined ? [] : ['node', '--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`];
    const ours = await measure([...node, `${process.cwd()}/bin/keepalived-ts`, '-n', '-l', '-C', '-f', `${DIR}/keepalived.conf`, '-p', `${DIR}/o.pid`], `${DIR}/o.pid`);
    // the guest's /tmp is its own: the daemon's log (its JSON lines carry the guest's milliseconds) is kept in the shared .cache
    await vm.sh(`mkdir -p ${process.cwd()}/.cache/bench-lvs && cp ${DIR}/daemon.log ${process.cwd()}/.cache/bench-lvs/ours.log`);
    await vm.run('ipvsadm', ['-C']);
    const [load1, load5] = (await import('node:os')).loadavg();
    console.log(JSON.stringify({ size: `${services}x${perService}`, idleSeconds: IDLE_S, hostLoadAverage: { '1min': load1, '5min': load5 }, keepalived: theirs, ours }, null, 2));
    expect(ours['entriesLeft']).toBe(0);
  });
});
