/**
 * bench/checkers in the vm: `npx vitest run --project bench-vm bench/checkers` (KTS_BENCH_SIZE=100x10
 * for a quick one, KTS_BENCH_WINDOW_S for the measured window, default 30; KTS_BENCH_ONLY=ours or
 * keepalived; KTS_BENCH_REFUSE_WAIT_S, default 600). The same config of S
 * virtual servers x R real servers, each real server with a TCP_CHECK at delay_loop 1 (S x R checks
 * a second asked for), run by `keepalived -C` and by `keepalived-ts -C` in the same boot, one after
 * the other, against one server namespace (test/vm/lvs-topology.ts) holding the R addresses.
 * Each check has its own `connect_port` (one port per virtual server), so no two checks are
 * identical: ours would otherwise run an identical check once for all virtual servers (R checks
 * a second), which is the point of that feature but not a measure of the checker. The IPVS table
 * is the same either way.
 * Per daemon, timed inside the guest once its IPVS table is whole: checks a second done (the root
 * namespace's TCP ActiveOpens: only the daemon connects from there), CPU and RSS of its process
 * tree, and how long until the last real server, made to refuse connections, is out of every
 * virtual server in /proc/net/ip_vs. Results: docs/performance.md, "Health checkers".
 */
import { loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vm } from '../../test/vm/harness/vm.js';
import { cleanGuest, LONG, SLOW_GUEST_S, startKeepalived, startOurs, terminate, writeGuestFile } from '../../test/vm/lvs-daemons.js';
import { serversUp, topologyUp, type LvsTopology } from '../../test/vm/lvs-topology.js';

const [services = 1000, perService = 10] = (process.env.KTS_BENCH_SIZE ?? '1000x10').split('x').map(Number);
const WINDOW_S = Number(process.env.KTS_BENCH_WINDOW_S ?? 30);
/** How long to wait for the refusing server to be out everywhere. */
const REFUSE_WAIT_S = Number(process.env.KTS_BENCH_REFUSE_WAIT_S ?? 600);
/** KTS_BENCH_ONLY=ours or keepalived runs one daemon. */
const ONLY = process.env.KTS_BENCH_ONLY;
/** After the table is whole, before the window: the first checks come within 1 s + warmup (delay_loop). */
const SETTLE_S = 10;
const DIR = `${process.cwd()}/.cache/bench-checkers-${process.pid}`;
const CONF = `${DIR}/keepalived.conf`;
const TOPOLOGY: LvsTopology = { tag: 'ckb', net: 85, servers: ['r1'], client: false };
/** The real servers: 10.85.1.2, .3, … in the one server namespace. */
const rsAddress = (r: number): string => `10.${TOPOLOGY.net}.1.${r + 1}`;
/** The port virtual server `s` checks real server `r` on: the last real server's ports are the ones that will refuse. */
const checkPort = (r: number, s: number): number => (r === perService ? 30000 : 20000) + s;
/** The last real server as /proc/net/ip_vs writes a destination: hex address and port. */
const REFUSING = `${rsAddress(perService)
  .split('.')
  .map((b) => Number(b).toString(16).padStart(2, '0').toUpperCase())
  .join('')}:0050`;

function config(): string {
  const blocks: string[] = [];
  for (let s = 0; s < services; s++) {
    const servers: string[] = [];
    for (let r = 1; r <= perService; r++) servers.push(`  real_server ${rsAddress(r)} 80 {\n    TCP_CHECK {\n      connect_port ${checkPort(r, s)}\n      connect_timeout 3\n    }\n  }`);
    blocks.push(`virtual_server 10.84.${s >> 8}.${s & 255} 80 {\n  delay_loop 1\n  protocol TCP\n  lvs_sched wrr\n  lvs_method NAT\n${servers.join('\n')}\n}`);
  }
  return blocks.join('\n') + '\n';
}

/**
 * A listener on every port checked (all addresses) that accepts and closes; once `<name>.refuse`
 * exists next to its ready file, the last real server's ports (30000 + s) are closed, so the
 * kernel answers their SYNs with a reset (connection refused).
 */
const SERVER = [
  "const fs = require('fs'); const net = require('net');",
  'const [name, ready] = process.argv.slice(1);',
  "const refuse = ready.replace(/[.]up$/, '.refuse');",
  "const listen = (port) => net.createServer((c) => { c.on('error', () => {}); c.destroy(); }).listen(port);",
  `const ports = (base) => Array.from({ length: ${services} }, (_, s) => listen(base + s));`,
  'const open = ports(20000); const refusing = ports(30000);',
  `let listening = 0; [...open, ...refusing].forEach((l) => l.on('listening', () => { if (++listening === ${2 * services}) fs.writeFileSync(ready, ''); }));`,
  'const poll = setInterval(() => { if (fs.existsSync(refuse)) { refusing.forEach((l) => l.close()); clearInterval(poll); } }, 100);',
].join(' ');

/**
 * Runs in the guest (bash: builtins where it loops, forks cost the daemon under TCG): waits for
 * the whole table, settles, measures the window, then makes the last real server refuse and
 * times its destinations' removal. One JSON line.
 */
const MEASURE = `
set -e
want=$1; pid=$2; refusing=$3; refuse=$4; services=$5
ms() { echo $(( \${EPOCHREALTIME/./} / 1000 )); }
lines() { mapfile -t l </proc/net/ip_vs; echo $(( \${#l[@]} - 3 )); }
opens() { mapfile -t s </proc/net/snmp; for x in "\${s[@]}"; do case $x in Tcp:\\ [0-9]*) set -- $x; echo \${6}; return;; esac; done; }
kids() { local p=$1 c; echo $p; for c in $(cat /proc/$p/task/*/children 2>/dev/null); do kids $c; done; }
ticks() { local t=0 p f; for p in $(kids $pid); do read -ra f </proc/$p/stat || continue; t=$(( t + f[13] + f[14] )); done; echo $t; }
rss() { local t=0 p k v u; for p in $(kids $pid); do while read -r k v u; do [ "$k" = VmRSS: ] && t=$(( t + v )); done </proc/$p/status; done; echo $t; }
refusing_left() { mapfile -t l </proc/net/ip_vs; local n=0 x; for x in "\${l[@]}"; do case $x in *"-> $refusing "*) n=$((n + 1));; esac; done; echo $n; }
t0=$(ms)
while [ "$(lines)" -lt $want ]; do kill -0 $pid; sleep 0.2; done
full=$(( $(ms) - t0 ))
sleep ${SETTLE_S}
a0=$(opens); c0=$(ticks); w0=$(ms)
sleep ${WINDOW_S}
a1=$(opens); c1=$(ticks); w1=$(ms)
rss_kb=$(rss)
touch $refuse; k=$(ms); first=null; all=null
while [ $(( $(ms) - k )) -lt ${REFUSE_WAIT_S * 1000} ]; do
  n=$(refusing_left)
  [ $first = null ] && [ $n -lt $services ] && first=$(( $(ms) - k ))
  [ $n = 0 ] && { all=$(( $(ms) - k )); break; }
  sleep 0.5
done
hz=$(getconf CLK_TCK)
echo "{\\"tableWholeAfterMs\\": $full, \\"windowMs\\": $(( w1 - w0 )), \\"connects\\": $(( a1 - a0 )), \\"cpuTicks\\": $(( c1 - c0 )), \\"hz\\": $hz, \\"rssKb\\": $rss_kb, \\"refusedFirstOutMs\\": $first, \\"refusedAllOutMs\\": $all}"
`;

interface Measured {
  tableWholeAfterMs: number;
  windowMs: number;
  connects: number;
  cpuTicks: number;
  hz: number;
  rssKb: number;
  refusedFirstOutMs: number | null;
  refusedAllOutMs: number | null;
}

async function run(daemon: 'keepalived' | 'ours'): Promise<Measured & { checksPerSecond: number; cpuPercent: number; rssMiB: number; effectivePeriodS: number; lateLines?: string[] }> {
  // a fresh server process: the last run left its last listener closed
  await vm.sh(`ip netns pids ${TOPOLOGY.tag}-r1 | xargs -r kill -9; rm -f ${DIR}/r1.refuse`);
  expect((await vm.sh(serversUp(TOPOLOGY, SERVER, DIR, SLOW_GUEST_S), LONG)).code).toBe(0);
  const pid = daemon === 'ours' ? await startOurs(DIR, CONF) : await startKeepalived(DIR, CONF);
  const out = await vm.run('/bin/bash', ['-c', MEASURE, 'measure', String(services * (1 + perService)), String(pid), REFUSING, `${DIR}/r1.refuse`, String(services)], {
    timeoutMs: 3_600_000,
  });
  const m = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Measured;
  await terminate(pid);
  await vm.run('ipvsadm', ['-C']);
  const checksPerSecond = m.connects / (m.windowMs / 1000);
  // ours logs how late its checker timers fire (every 10 s at most); keepalived does not
  const lateLines = daemon === 'ours' ? (await vm.exec('grep', ['-o', 'checker timer(s) fired over.*', `${DIR}/ours.log`])).stdout.split('\n').filter(Boolean) : undefined;
  return {
    ...m,
    checksPerSecond,
    cpuPercent: (m.cpuTicks / m.hz / (m.windowMs / 1000)) * 100,
    rssMiB: m.rssKb / 1024,
    // every check is asked for once a second: a check that comes round every N s is N - 1 s late
    effectivePeriodS: (services * perService) / checksPerSecond,
    ...(lateLines ? { lateLines: lateLines.slice(-5) } : {}),
  };
}

describe('bench/checkers', () => {
  beforeAll(async () => {
    const made = await vm.sh(
      `mkdir -p ${DIR}; ipvsadm -C\n${topologyUp(TOPOLOGY)}\n${Array.from({ length: perService - 1 }, (_, i) => `ip -n ${TOPOLOGY.tag}-r1 addr add ${rsAddress(i + 2)}/24 dev ${TOPOLOGY.tag}-r1-b`).join('\n')}`,
    );
    expect(made.stderr).toBe('');
    await writeGuestFile(CONF, config());
  }, LONG.timeoutMs);

  afterAll(() => cleanGuest(DIR, TOPOLOGY));

  it(`${services} x ${perService} TCP_CHECKs at delay_loop 1: keepalived-ts -C and keepalived -C`, async () => {
    // each result is printed as soon as it is there, so a daemon that fails leaves the other's
    const results: Record<string, unknown> = {};
    for (const daemon of (['ours', 'keepalived'] as const).filter((d) => ONLY === undefined || d === ONLY)) {
      results[daemon] = await run(daemon).catch((error: unknown) => ({ error: String(error).slice(0, 2000) }));
      const [load1, load5] = loadavg();
      console.log(
        JSON.stringify(
          { size: `${services}x${perService}`, asked: services * perService, windowSeconds: WINDOW_S, hostLoadAverage: { '1min': load1, '5min': load5 }, [daemon]: results[daemon] },
          null,
          2,
        ),
      );
    }
    // both checked, and ours took the refusing server out everywhere
    if (ONLY !== 'ours') expect(results['keepalived']).toMatchObject({ checksPerSecond: expect.any(Number) as number });
    if (ONLY !== 'keepalived') expect(results['ours']).toMatchObject({ refusedAllOutMs: expect.any(Number) as number });
  });
});
