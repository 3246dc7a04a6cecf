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
import { cleanGuest, LONG, SLOW_GUEST_S, startKeepalived, startOurs as startDaemon, table, terminate, writeGuestFile } from './lvs-daemons.js';
import { serversUp, topologyUp, type LvsTopology } from './lvs-topology.js';

// In the shared repo (ignored by git), so a failed run's logs can be read from the host.
const DIR = `${process.cwd()}/.cache/vm-lvs-${process.pid}`;
const CONF = `${DIR}/keepalived.conf`;

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

const TOPOLOGY: LvsTopology = { tag: 'lvsd', net: 78, servers: ['r1', 'r2'], client: true, vip: '10.78.9.9' };

/** Answers each line with the server's name; the file appears once it listens. */
const SERVER = "require('net').createServer((s) => s.on('data', (d) => s.write(process.argv[1] + ':' + d))).listen(8080, () => require('fs').writeFileSync(process.argv[2], ''))";

/** Polls (inside the guest) until `ipvsadm -Sn` has exactly `lines` lines; the table is then returned. */
async function tableOf(lines: number, withinS = SLOW_GUEST_S): Promise<string[]> {
  await vm.sh(`for i in $(seq 1 ${withinS * 10}); do [ "$(ipvsadm -Sn | wc -l)" -eq ${lines} ] && exit 0; sleep 0.1; done; ipvsadm -Sn >&2; exit 1`, LONG);
  return table();
}

const writeConfig = (text: string): Promise<void> => writeGuestFile(CONF, text);
const startOurs = (extra: string[] = []): Promise<number> => startDaemon(DIR, CONF, extra);

describe('keepalived-ts -C against real IPVS', () => {
  beforeAll(async () => {
    const made = await vm.sh(`mkdir -p ${DIR}\n${topologyUp(TOPOLOGY)}`);
    expect(made.stderr).toBe('');
    expect((await vm.sh(serversUp(TOPOLOGY, SERVER, DIR, SLOW_GUEST_S), LONG)).code).toBe(0);
  }, 2 * LONG.timeoutMs);

  afterAll(() => cleanGuest(DIR, TOPOLOGY));

  it(
    'programs the same table as keepalived 2.2.7 -C for every virtual_server form',
    async () => {
      await writeConfig(FORMS);
      await vm.run('ipvsadm', ['-C']);
      // 4 group services + 1 dest each, 1+2, 1+1, 1+3 (fwmark: two servers, the inhibited sorry server), 1+1 (sorry), 1+1, 1+1
      const LINES = 8 + 3 + 2 + 4 + 2 + 2 + 2;
      const keepalived = await startKeepalived(DIR, CONF);
      const theirs = await tableOf(LINES);
      await terminate(keepalived);
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
