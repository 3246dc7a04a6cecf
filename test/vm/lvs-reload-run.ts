/**
 * One reload run in the vm guest (issue 11), shared by test/vm/lvs-reload.test.ts (ours, small)
 * and bench/lvs-reload (ours and keepalived, 1,000 x 10). A daemon runs `-C` on S virtual servers
 * x R real servers, each real server with a TCP_CHECK against one listener in the guest. Once its
 * table is whole, /proc/net/ip_vs is sampled every 50 ms while the daemon is reloaded N times:
 * before reload 2 the first service is deleted by hand, and reload 3 reads a file that gives the
 * first ten services' real servers weight 2. Everything is timed on the guest's clock.
 *
 * When a reload is done: ours logs "Reload finished in N usec" once every service applied it.
 * keepalived 2.2.7's checker process logs "Reloading" when it starts and nothing at the end
 * (check_daemon.c reload_check_thread), so the run then sends SIGUSR1: the checker handles it
 * only after the reload, and logs "Printing checker data for process(N) on signal" first.
 */
import { ALIVE, writeGuestFile } from './lvs-daemons.js';
import { vm } from './harness/vm.js';

export type ReloadDaemon = 'ours' | 'keepalived';

export interface ReloadRunOptions {
  readonly services: number;
  readonly perService: number;
  readonly reloads: number;
  /** delay_loop of every TCP_CHECK, seconds */
  readonly delayLoop: number;
  /** How our daemon is started, before its options: bin/keepalived-ts by default; a profile puts node with `--cpu-prof` first (NODE_OPTIONS refuses it), a comparison another build's bin. */
  readonly ours?: readonly string[];
}

export interface ReloadSample {
  /** the entry count just before the HUP */
  readonly before: number;
  /** the lowest count /proc/net/ip_vs showed from the HUP until the reload was done */
  readonly min: number;
  readonly ms: number;
}

export interface ReloadRunResult {
  readonly startToFullTableMs: number;
  readonly reloads: readonly ReloadSample[];
  /** the service deleted by hand before reload 2 is in the kernel again at the end */
  readonly deletedBack: boolean;
  /** destinations at weight 2 at the end (the file asks for 10 x R of them from reload 3 on) */
  readonly weighted: number;
}

const RS_IF = 'kts-rl0';
const VS = (s: number): string => `10.82.${s >> 8}.${s & 255}`;
const RS = (r: number): string => `10.83.0.${r}`;

/** The configuration; `heavier` gives the first ten services' servers weight 2. */
export function reloadConfig(o: ReloadRunOptions, heavier: boolean): string {
  const blocks: string[] = [];
  for (let s = 0; s < o.services; s++) {
    const weight = heavier && s < 10 ? 2 : 1;
    const servers: string[] = [];
    for (let r = 1; r <= o.perService; r++) servers.push(`  real_server ${RS(r)} 80 {\n    weight ${weight}\n    TCP_CHECK {\n      connect_timeout 3\n    }\n  }`);
    blocks.push(`virtual_server ${VS(s)} 80 {\n  delay_loop ${o.delayLoop}\n  protocol TCP\n  lvs_sched wrr\n  lvs_method NAT\n${servers.join('\n')}\n}`);
  }
  return blocks.join('\n') + '\n';
}

/** The real servers: R addresses on a dummy link and one listener that accepts on all of them. */
export async function startRealServers(dir: string, perService: number): Promise<void> {
  const addresses = Array.from({ length: perService }, (_, i) => `ip addr add ${RS(i + 1)}/32 dev ${RS_IF}`).join('\n');
  const listener = `require('net').createServer((s) => s.end()).listen(80, () => require('fs').writeFileSync('${dir}/rs.up', ''))`;
  await vm.run(
    '/bin/sh',
    [
      '-c',
      `set -e; mkdir -p ${dir}; rm -f ${dir}/rs.up
ip link add ${RS_IF} type dummy; ip link set ${RS_IF} up
${addresses}
nohup ${process.execPath} -e "${listener}" >${dir}/rs.log 2>&1 &
echo $! >${dir}/rs.pid
for i in $(seq 1 6000); do [ -e ${dir}/rs.up ] && exit 0; sleep 0.1; done; exit 1`,
    ],
    { timeoutMs: 900_000 },
  );
}

export async function stopRealServers(dir: string): Promise<void> {
  await vm.exec('/bin/sh', ['-c', `pkill -F ${dir}/rs.pid; ip link del ${RS_IF}; ipvsadm -C`]);
}

/** Runs in the guest; prints `start MS`, `reload I BEFORE FROM TO AFTER`, `deletedBack 0|1`, `weighted N`, then `sample MS COUNT` lines. */
const RUN = `
set -e
dir=$1; kind=$2; want=$3; reloads=$4; deleted=$5; shift 5
# builtins only where it loops: under TCG every fork costs the daemons being measured
ms() { echo $(( \${EPOCHREALTIME/./} / 1000 )); }
lines() { mapfile -t l </proc/net/ip_vs; echo $(( \${#l[@]} - 3 )); }
count() { grep -c "$1" $dir/daemon.log || true; }
${ALIVE}
until_more() { while [ "$(count "$1")" -le $2 ]; do alive $pid || { cat $dir/daemon.log >&2; exit 1; }; sleep 0.1; done; }
cd $dir; rm -f pid daemon.log samples stop
cp light.conf keepalived.conf
t0=$(ms)
"$@" >$dir/daemon.log 2>&1 &
started=$!
# a daemon that dies before its table is whole ends the run with its log, not a wait until the timeout (read: no fork)
up() { local state; read -r _ _ state _ 2>/dev/null </proc/$started/stat && [ "$state" != Z ]; }
while [ "$(lines)" -lt $want ]; do up || { cat $dir/daemon.log >&2; exit 1; }; sleep 0.05; done
echo "start $(( $(ms) - t0 ))"
while [ ! -s pid ]; do sleep 0.05; done
pid=$(cat pid)
# the sampler's sleep is a read that times out on a FIFO nobody writes (the repo's 9p share has no FIFOs)
tick=$(mktemp -u /tmp/kts-tick.XXXXXX); mkfifo $tick
(exec 3<>$tick; while [ ! -e stop ]; do mapfile -t l </proc/net/ip_vs; t=\${EPOCHREALTIME/./}; echo "sample $((t / 1000)) $((\${#l[@]} - 3))"; read -t 0.05 -u 3 _ || true; done) >samples &
sampler=$!
for i in $(seq 1 $reloads); do
  [ $i -eq 2 ] && ipvsadm -D -t $deleted
  [ $i -eq 3 ] && cp heavier.conf keepalived.conf
  before=$(lines)
  if [ $kind = ours ]; then
    n=$(count 'Reload finished in'); a=$(ms); kill -HUP $pid; until_more 'Reload finished in' $n
  else
    r=$(count 'Reloading$'); n=$(count 'Printing checker data'); a=$(ms); kill -HUP $pid
    until_more 'Reloading$' $r; kill -USR1 $pid; until_more 'Printing checker data' $n
  fi
  b=$(ms)
  echo "reload $i $before $a $b $(lines)"
done
touch stop; wait $sampler; rm -f $tick
if ipvsadm -Ln -t $deleted >/dev/null 2>&1; then echo "deletedBack 1"; else echo "deletedBack 0"; fi
echo "weighted $(ipvsadm -Sn | grep -c -- '-w 2$' || true)"
kill -TERM $pid; while alive $pid; do sleep 0.05; done
ipvsadm -C
cat samples
`;

function command(daemon: ReloadDaemon, dir: string, ours: readonly string[] = [`${process.cwd()}/bin/keepalived-ts`]): string[] {
  const conf = `${dir}/keepalived.conf`;
  return daemon === 'ours' ? [...ours, '-n', '-l', '-C', '-f', conf, '-p', `${dir}/pid`] : ['keepalived', '-n', '-l', '-C', '-f', conf, '-p', `${dir}/pid`, '-c', `${dir}/cpid`];
}

/** One daemon through the whole run; the real servers must be up (startRealServers). */
export async function reloadRun(daemon: ReloadDaemon, dir: string, o: ReloadRunOptions): Promise<ReloadRunResult> {
  await writeGuestFile(`${dir}/light.conf`, reloadConfig(o, false));
  await writeGuestFile(`${dir}/heavier.conf`, reloadConfig(o, true));
  const want = o.services * (1 + o.perService);
  const out = await vm.run('/bin/bash', ['-c', RUN, 'run', dir, daemon, String(want), String(o.reloads), `${VS(0)}:80`, ...command(daemon, dir, o.ours)], { timeoutMs: 3_600_000 });
  const words = out.split('\n').map((l) => l.split(' '));
  const value = (key: string): number => Number(words.find((w) => w[0] === key)?.[1]);
  const samples = words.filter((w) => w[0] === 'sample').map((w) => ({ at: Number(w[1]), count: Number(w[2]) }));
  const reloads = words
    .filter((w) => w[0] === 'reload')
    .map(([, , before, from, to, after]) => {
      // a fast reload may fall between two samples: the count read once it was done counts too
      const during = samples.filter((s) => s.at >= Number(from) && s.at <= Number(to)).map((s) => s.count);
      return { before: Number(before), min: Math.min(Number(before), Number(after), ...during), ms: Number(to) - Number(from) };
    });
  return { startToFullTableMs: value('start'), reloads, deletedBack: value('deletedBack') === 1, weighted: value('weighted') };
}
