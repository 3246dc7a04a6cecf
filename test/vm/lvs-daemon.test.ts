/**
 * The LVS controller against real IPVS in the vm guest, through `keepalived-ts -C`:
 * - differential: keepalived 2.2.7 (`keepalived -C`) and ours, started on the same config one
 *   after the other, leave the same `ipvsadm -Sn` (every virtual_server form the config model
 *   has, servers without checkers so health plays no part);
 * - a NAT data plane from a client namespace through the VIP, by weight;
 * - a service deleted by hand is back within the read-back interval;
 * - a restart (the first run with -I) adopts the table: the service is not re-created (its counters survive) and
 *   an established connection keeps working;
 * - SIGTERM removes what it programmed and leaves a stranger's service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vm } from './harness/vm.js';

// In the shared repo (ignored by git), so a failed run's logs can be read from the host.
const DIR = `${process.cwd()}/.cache/vm-lvs-${process.pid}`;
const CONF = `${DIR}/keepalived.conf`;
const BIN = `${process.cwd()}/bin/keepalived-ts`;

/** Every form, with no checkers: both daemons program it whole at start. */
const FORMS = `
global_defs {
  router_id lvsd
}
virtual_server_group grp {
  10.78.5.1-3 80
  fwmark 12
}
virtual_server group grp {
  protocol TCP
  lvs_sched wrr
  lvs_method DR
  real_server 10.78.1.2 80 { weight 3 }
}
virtual_server 10.78.5.10 443 {
  protocol TCP
  lvs_sched sh
  sh-port
  lvs_method NAT
  persistence_timeout 120
  persistence_granularity 255.255.255.0
  real_server 10.78.1.2 8443 { weight 2
    uthreshold 100
    lthreshold 10 }
  real_server 10.78.2.2 8443 { weight 0 }
}
virtual_server 10.78.5.11 53 {
  protocol UDP
  lvs_sched rr
  ops
  lvs_method TUN
  real_server 10.78.1.2 53 { }
}
virtual_server fwmark 7 {
  lvs_sched wlc
  lvs_method DR
  sorry_server 10.78.3.2 80
  sorry_server_inhibit
  real_server 10.78.1.2 80 { }
  real_server 10.78.2.2 80 { }
}
virtual_server 10.78.5.12 80 {
  protocol TCP
  lvs_sched rr
  lvs_method NAT
  sorry_server 10.78.3.2 8080
  real_server 10.78.1.2 8080 { weight 0 }
}
virtual_server fd00:78::10 80 {
  protocol TCP
  lvs_sched lc
  lvs_method NAT
  persistence_timeout 30
  real_server fd00:78::2 8080 { weight 4 }
}
virtual_server 10.78.5.13 5060 {
  protocol UDP
  lvs_sched rr
  lvs_method NAT
  persistence_timeout 60
  persistence_engine sip
  real_server 10.78.1.2 5060 { }
}
`;

/** The NAT service the data-plane, repair, restart and stop tests use. */
const NAT = `
virtual_server 10.78.9.9 80 {
  protocol TCP
  lvs_sched wrr
  lvs_method NAT
  real_server 10.78.1.2 8080 { weight 1 }
  real_server 10.78.2.2 8080 { weight 3 }
}
`;
const NAT_TABLE = ['-A -t 10.78.9.9:80 -s wrr', '-a -t 10.78.9.9:80 -r 10.78.1.2:8080 -m -w 1', '-a -t 10.78.9.9:80 -r 10.78.2.2:8080 -m -w 3'];

const TOPOLOGY = `
sysctl -qw net.ipv4.ip_forward=1
mkdir -p ${DIR}
ip addr add 10.78.9.9/32 dev lo
for n in c r1 r2; do ip netns add lvsd-$n; done
ip link add lvsd-c0 type veth peer name lvsd-c1 netns lvsd-c
ip addr add 10.78.0.1/24 dev lvsd-c0; ip link set lvsd-c0 up
ip -n lvsd-c addr add 10.78.0.2/24 dev lvsd-c1; ip -n lvsd-c link set lvsd-c1 up; ip -n lvsd-c link set lo up
ip -n lvsd-c route add default via 10.78.0.1
i=1
for n in r1 r2; do
  ip link add lvsd-$n-a type veth peer name lvsd-$n-b netns lvsd-$n
  ip addr add 10.78.$i.1/24 dev lvsd-$n-a; ip link set lvsd-$n-a up
  ip -n lvsd-$n addr add 10.78.$i.2/24 dev lvsd-$n-b; ip -n lvsd-$n link set lvsd-$n-b up; ip -n lvsd-$n link set lo up
  ip -n lvsd-$n route add default via 10.78.$i.1
  i=$((i + 1))
done
`;

/** Answers each line with the server's name; the file appears once it listens. */
const SERVER = "require('net').createServer((s) => s.on('data', (d) => s.write(process.argv[1] + ':' + d))).listen(8080, () => require('fs').writeFileSync(process.argv[2], ''))";

async function table(): Promise<string[]> {
  return (await vm.run('ipvsadm', ['-Sn'])).split('\n').filter(Boolean).sort();
}

/**
 * Generous bounds: under TCG on a host shared with seven other test runs, node alone took 2 min
 * to print `--version` in the guest (it reads its modules over the shared file system).
 */
const SLOW_GUEST_S = 900;
const LONG = { timeoutMs: (SLOW_GUEST_S + 60) * 1000 };

/** Polls (inside the guest) until `ipvsadm -Sn` has exactly `lines` lines; the table is then returned. */
async function tableOf(lines: number, withinS = SLOW_GUEST_S): Promise<string[]> {
  await vm.sh(`for i in $(seq 1 ${withinS * 10}); do [ "$(ipvsadm -Sn | wc -l)" -eq ${lines} ] && exit 0; sleep 0.1; done; ipvsadm -Sn >&2; exit 1`, LONG);
  return table();
}

async function writeConfig(text: string): Promise<void> {
  await vm.run('/bin/sh', ['-c', `cat > ${CONF}`], { input: text });
}

/** Starts `keepalived-ts -C` in the background; resolves its pid once the pid file is there. */
async function startOurs(extra: string[] = []): Promise<number> {
  await vm.sh(
    `rm -f ${DIR}/ours.pid; nohup ${BIN} -n -l -C ${extra.join(' ')} -f ${CONF} -p ${DIR}/ours.pid >>${DIR}/ours.log 2>&1 &
for i in $(seq 1 ${SLOW_GUEST_S * 10}); do [ -s ${DIR}/ours.pid ] && exit 0; sleep 0.1; done; exit 1`,
    LONG,
  );
  const pid = await vm.exec('cat', [`${DIR}/ours.pid`]);
  if (pid.code !== 0) throw new Error(`keepalived-ts -C did not stay up:\n${(await vm.exec('cat', [`${DIR}/ours.log`])).stdout}`);
  return Number(pid.stdout.trim());
}

/** A shell function: is the process there and not a zombie (the guest's init may not reap at once)? */
const ALIVE = "alive() { [ -r /proc/$1/status ] && ! grep -q '^State:[[:space:]]*Z' /proc/$1/status; }";

/** Sends SIGTERM and waits for the process to be gone; resolves the milliseconds it took (guest clock). */
async function terminate(pid: number): Promise<number> {
  const out = await vm.sh(
    `${ALIVE}; s=$(date +%s%N); kill -TERM ${pid}; for i in $(seq 1 ${SLOW_GUEST_S * 20}); do alive ${pid} || { echo $(( ($(date +%s%N) - s) / 1000000 )); exit 0; }; sleep 0.05; done; exit 1`,
    LONG,
  );
  expect(out.code).toBe(0);
  return Number(out.stdout.trim());
}

describe('keepalived-ts -C against real IPVS', () => {
  beforeAll(async () => {
    const made = await vm.sh(TOPOLOGY);
    expect(made.stderr).toBe('');
    for (const name of ['r1', 'r2']) {
      await vm.sh(`rm -f ${DIR}/${name}.up; ip netns exec lvsd-${name} ${process.execPath} -e "${SERVER}" ${name} ${DIR}/${name}.up >/dev/null 2>&1 &`);
    }
    await vm.sh(`for i in $(seq 1 ${SLOW_GUEST_S * 10}); do [ -e ${DIR}/r1.up ] && [ -e ${DIR}/r2.up ] && exit 0; sleep 0.1; done; exit 1`, LONG);
  }, 2 * LONG.timeoutMs);

  afterAll(async () => {
    await vm.sh(`
      pkill -F ${DIR}/ours.pid 2>/dev/null; pkill -F ${DIR}/k.pid 2>/dev/null
      ipvsadm -C
      ip addr del 10.78.9.9/32 dev lo
      for n in r1 r2 c; do ip netns pids lvsd-$n | xargs -r kill -9; ip netns del lvsd-$n; done
    `);
  });

  it(
    'programs the same table as keepalived 2.2.7 -C for every virtual_server form',
    async () => {
      await writeConfig(FORMS);
      await vm.run('ipvsadm', ['-C']);
      // 4 group services + 1 dest each, 1+2, 1+1, 1+3 (fwmark: two servers, the inhibited sorry server), 1+1 (sorry), 1+1, 1+1
      const LINES = 8 + 3 + 2 + 4 + 2 + 2 + 2;
      await vm.sh(`nohup keepalived -n -l -C -f ${CONF} -p ${DIR}/k.pid -c ${DIR}/kc.pid >${DIR}/k.log 2>&1 &`);
      const theirs = await tableOf(LINES);
      await terminate(Number((await vm.run('cat', [`${DIR}/k.pid`])).trim()));
      await vm.run('ipvsadm', ['-C']);
      const pid = await startOurs();
      const ours = await tableOf(LINES);
      await terminate(pid);
      expect(ours).toEqual(theirs);
      expect(await table()).toEqual([]);
    },
    3 * LONG.timeoutMs,
  );

  describe('one NAT service', () => {
    let pid = 0;
    beforeAll(async () => {
      await vm.run('ipvsadm', ['-C']);
      await writeConfig(NAT);
      // -I: the restart test stops this one without releasing the table
      pid = await startOurs(['-I']);
      expect(await tableOf(3)).toEqual(NAT_TABLE);
    }, 2 * LONG.timeoutMs);

    it('carries new connections from a client namespace to the real servers by weight (wrr 1:3 gives 2:6 of 8)', { timeout: 2 * LONG.timeoutMs }, async () => {
      const client = `
const net = require('net');
const ask = () => new Promise((resolve, reject) => {
  const s = net.connect(80, '10.78.9.9', () => s.write('x'));
  s.on('data', (d) => { resolve(String(d).split(':')[0]); s.destroy(); }).on('error', reject);
});
(async () => { const a = []; for (let i = 0; i < 8; i++) a.push(await ask()); console.log(JSON.stringify(a)); })();`;
      const answers = JSON.parse(await vm.run('ip', ['netns', 'exec', 'lvsd-c', process.execPath, '-e', client], LONG)) as string[];
      expect(answers.filter((a) => a === 'r1')).toHaveLength(2);
      expect(answers.filter((a) => a === 'r2')).toHaveLength(6);
    });

    it('puts back a service deleted with ipvsadm -D within the 10 s read-back interval', { timeout: LONG.timeoutMs }, async () => {
      await vm.run('ipvsadm', ['-D', '-t', '10.78.9.9:80']);
      expect(await table()).toEqual([]);
      // the interval (10 s) plus one pass; 120 s leaves room for a guest emulated on a loaded host
      expect(await tableOf(3, 120)).toEqual(NAT_TABLE);
      const log = await vm.run('cat', [`${DIR}/ours.log`]);
      expect(log).toMatch(/IPVS table differed from the configuration/);
    });

    // The service's counters are the kernel's estimator's: on 6.1 ip_vs_est.c's estimation_timer
    // folds the per-cpu counters into what a dump reports every 2 s, so Conns is polled for. The
    // destination's ActiveConn is live: a service re-created at start would show 0 there at once.
    it(
      'restarted (stopped with -I), adopts the table: the service keeps its counters and an open connection keeps working',
      async () => {
        const script = `
const net = require('net');
const fs = require('fs');
const s = net.connect(80, '10.78.9.9', () => s.write('a'));
let n = 0;
s.on('data', (d) => {
  n++;
  if (n === 1) { fs.writeFileSync('${DIR}/conn.up', String(d)); fs.watch('${DIR}', (e, f) => { if (f === 'go') s.write('b'); }); }
  else { console.log(String(d)); s.end(); process.exit(0); }
});
s.on('error', (e) => { console.log('error ' + e.code); process.exit(1); });`;
        await vm.sh(
          `rm -f ${DIR}/conn.up ${DIR}/go; ip netns exec lvsd-c ${process.execPath} -e "${script.replace(/"/g, '\\"')}" >${DIR}/conn.out 2>&1 &
for i in $(seq 1 ${SLOW_GUEST_S * 10}); do [ -s ${DIR}/conn.up ] && exit 0; sleep 0.1; done; exit 1`,
          LONG,
        );
        const active = async (): Promise<number> => Number((await vm.sh('ipvsadm -Ln -t 10.78.9.9:80 | awk \'$1 == "->" && $2 ~ /:8080$/ {s += $5} END {print s + 0}\'')).stdout.trim());
        const STATS = "ipvsadm -Ln --stats -t 10.78.9.9:80 | awk '/^TCP/ {print $3}'";
        const conns = async (): Promise<number> => Number((await vm.sh(STATS)).stdout.trim());
        expect(await active()).toBeGreaterThanOrEqual(1);
        // a few estimator ticks; 120 s for a guest emulated on a loaded host
        expect((await vm.sh(`for i in $(seq 1 1200); do [ "$(${STATS})" -gt 0 ] && exit 0; sleep 0.1; done; exit 1`, LONG)).code).toBe(0);
        const before = await conns();

        await terminate(pid);
        expect(await table()).toEqual(NAT_TABLE);
        pid = await startOurs();
        expect(await tableOf(3)).toEqual(NAT_TABLE);
        expect(await active()).toBeGreaterThanOrEqual(1);
        expect(await conns()).toBeGreaterThanOrEqual(before);

        expect((await vm.sh(`touch ${DIR}/go; for i in $(seq 1 1200); do [ -s ${DIR}/conn.out ] && exit 0; sleep 0.1; done; exit 1`, LONG)).code).toBe(0);
        const first = (await vm.run('cat', [`${DIR}/conn.up`])).trim();
        const second = (await vm.run('cat', [`${DIR}/conn.out`])).trim();
        expect(second).toBe(`${first.split(':')[0]}:b`);
      },
      3 * LONG.timeoutMs,
    );

    it(
      "SIGTERM removes every entry it programmed and leaves a stranger's service",
      async () => {
        await vm.run('ipvsadm', ['-A', '-t', '10.78.7.7:22', '-s', 'rr']);
        expect(await tableOf(4)).toContain('-A -t 10.78.7.7:22 -s rr');
        const ms = await terminate(pid);
        expect(await table()).toEqual(['-A -t 10.78.7.7:22 -s rr']);
        const log = await vm.run('cat', [`${DIR}/ours.log`]);
        expect(log).toContain('Shutting down service [10.78.2.2]:tcp:8080 from VS [10.78.9.9]:tcp:80');
        console.log(`SIGTERM to exit: ${ms} ms (guest clock)`);
      },
      2 * LONG.timeoutMs,
    );
  });
});
