/**
 * Running keepalived 2.2.7 and keepalived-ts as `-C` daemons in the vm guest, for the LVS vm
 * tests: start in the background, stop with SIGTERM and wait, read the IPVS table. Logs and pid
 * files go to a directory in the repo (`.cache/…`, ignored by git), so a failed run's logs can be
 * read from the host.
 */
import { expect } from 'vitest';
import { vm } from './harness/vm.js';
import { topologyDown, type LvsTopology } from './lvs-topology.js';

/**
 * Generous bounds: under TCG on a host shared with seven other test runs, node alone took 2 min
 * to print `--version` in the guest (it reads its modules over the shared file system).
 */
export const SLOW_GUEST_S = 900;
export const LONG = { timeoutMs: (SLOW_GUEST_S + 60) * 1000 };

const BIN = `${process.cwd()}/bin/keepalived-ts`;

/** `ipvsadm -Sn`, its lines sorted (services' `-A` lines first). */
export async function table(): Promise<string[]> {
  return (await vm.run('ipvsadm', ['-Sn'])).split('\n').filter(Boolean).sort();
}

export async function writeGuestFile(path: string, text: string): Promise<void> {
  await vm.run('/bin/sh', ['-c', `cat > ${path}`], { input: text });
}

/** Starts `keepalived-ts -C` on `conf` in the background; resolves its pid once `<dir>/ours.pid` is there. */
export async function startOurs(dir: string, conf: string, extra: string[] = []): Promise<number> {
  await vm.sh(
    `rm -f ${dir}/ours.pid; nohup ${BIN} -n -l -C ${extra.join(' ')} -f ${conf} -p ${dir}/ours.pid >>${dir}/ours.log 2>&1 &
for i in $(seq 1 ${SLOW_GUEST_S * 10}); do [ -s ${dir}/ours.pid ] && exit 0; sleep 0.1; done; exit 1`,
    LONG,
  );
  const pid = await vm.exec('cat', [`${dir}/ours.pid`]);
  if (pid.code !== 0) throw new Error(`keepalived-ts -C did not stay up:\n${(await vm.exec('cat', [`${dir}/ours.log`])).stdout}`);
  return Number(pid.stdout.trim());
}

/** Starts keepalived 2.2.7 `-C` on `conf` in the background, logging to `<dir>/k.log`; resolves its pid. */
export async function startKeepalived(dir: string, conf: string): Promise<number> {
  await vm.sh(
    `rm -f ${dir}/k.pid; nohup keepalived -n -l -C -f ${conf} -p ${dir}/k.pid -c ${dir}/kc.pid >${dir}/k.log 2>&1 &
for i in $(seq 1 ${SLOW_GUEST_S * 10}); do [ -s ${dir}/k.pid ] && exit 0; sleep 0.1; done; exit 1`,
    LONG,
  );
  return Number((await vm.run('cat', [`${dir}/k.pid`])).trim());
}

/** A shell function: is the process there and not a zombie (the guest's init may not reap at once)? */
export const ALIVE = "alive() { [ -r /proc/$1/status ] && ! grep -q '^State:[[:space:]]*Z' /proc/$1/status; }";

/** Sends SIGTERM and waits for the process to be gone; resolves the milliseconds it took (guest clock). */
export async function terminate(pid: number): Promise<number> {
  const out = await vm.sh(
    `${ALIVE}; s=$(date +%s%N); kill -TERM ${pid}; for i in $(seq 1 ${SLOW_GUEST_S * 20}); do alive ${pid} || { echo $(( ($(date +%s%N) - s) / 1000000 )); exit 0; }; sleep 0.05; done; exit 1`,
    LONG,
  );
  expect(out.code).toBe(0);
  return Number(out.stdout.trim());
}

/** Leaves the guest as it was: the daemons started from `dir` killed, the table flushed, the topology gone. */
export async function cleanGuest(dir: string, topology: LvsTopology): Promise<void> {
  await vm.sh(`
    pkill -F ${dir}/ours.pid 2>/dev/null; pkill -F ${dir}/k.pid 2>/dev/null
    ipvsadm -C
    ${topologyDown(topology)}
  `);
}
