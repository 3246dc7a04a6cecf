/**
 * The LVS differential through failures (issue 10's vm proof): keepalived 2.2.7 (`keepalived -C`)
 * and ours run the same configuration, with checkers, against the same real servers (HTTP
 * servers in namespaces of the guest, told what to do through mode files) through the same
 * scripted sequence: TCP refused, HTTP wrong status, recovery held down by the hysteresis,
 * quorum regained, HTTP wrong digest, a MISC_CHECK dynamic weight, a MISC failure that loses a
 * quorum without a sorry server, all recovered, then stop (omega: quorum_down).
 *
 * Design: the two daemons cannot own the IPVS table at once, so each runs the whole sequence
 * alone (one start each, one boot): keepalived first, then ours, from the same starting state
 * (servers healthy, table flushed, script log empty). Each step changes the servers, then polls
 * in the guest until the table is the step's expected one, the quorum_up/quorum_down script log
 * (every script appends one line) has the expected number of lines, and (for a step that changes
 * no table) the daemon has logged the expected keepalived line; then it records `ipvsadm -Sn`
 * and the script lines the step added. A step that does not settle within its bound records what
 * is there. The records are then compared step by step: ours must equal keepalived's, and
 * keepalived's must equal the expectations written here (so a wrong expectation is told apart
 * from a difference between the daemons).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vm } from './harness/vm.js';
import { cleanGuest, LONG, SLOW_GUEST_S, startKeepalived, startOurs, table, terminate, writeGuestFile } from './lvs-daemons.js';
import { serversUp, topologyUp, type LvsTopology } from './lvs-topology.js';

const DIR = `${process.cwd()}/.cache/vm-lvsf-${process.pid}`;
const CONF = `${DIR}/keepalived.conf`;
const SCRIPT_LOG = `${DIR}/scripts.log`;
const TOPOLOGY: LvsTopology = { tag: 'lvsf', net: 79, servers: ['r1', 'r2'], client: false };

/**
 * An HTTP server on 8080 that reads `<name>.mode` next to its ready file: `ok` (200, "<name> ok"),
 * `500` (the same body with status 500), `body` (200, another body), `stop` (the listener is
 * closed: connections are refused). The mode is read at each request and every 200 ms.
 */
const SERVER = [
  "const fs = require('fs'); const http = require('http');",
  'const [name, ready] = process.argv.slice(1);',
  "const file = ready.replace(/[.]up$/, '.mode');",
  "const mode = () => { try { return fs.readFileSync(file, 'utf8').trim(); } catch { return 'ok'; } };",
  "const server = http.createServer((q, s) => { const m = mode(); s.statusCode = m === '500' ? 500 : 200; s.end(name + (m === 'body' ? ' changed' : ' ok') + '\\n'); });",
  'let listening = false;',
  "const follow = () => { const stop = mode() === 'stop'; if (stop && listening) { server.close(); listening = false; } else if (!stop && !listening) { listening = true; server.listen(8080, () => fs.writeFileSync(ready, '')); } };",
  'follow(); setInterval(follow, 200);',
].join(' ');

const DIGEST = createHash('md5').update('r2 ok\n').digest('hex');

/** Short checker timings so a step settles in seconds; connect_timeout leaves room for an emulated guest. */
const CONFIG = `
global_defs {
  router_id lvsf
  script_user root
}
virtual_server 10.79.9.1 80 {
  delay_loop 1
  protocol TCP
  lvs_sched wrr
  lvs_method NAT
  quorum 3
  hysteresis 1
  quorum_up "${DIR}/note.sh A up"
  quorum_down "${DIR}/note.sh A down"
  sorry_server 10.79.3.2 8080
  real_server 10.79.1.2 8080 {
    weight 2
    TCP_CHECK {
      connect_timeout 5
      retry 0
    }
  }
  real_server 10.79.2.2 8080 {
    weight 2
    HTTP_GET {
      url {
        path /check
        status_code 200
        digest ${DIGEST}
      }
      connect_timeout 5
      retry 0
    }
  }
}
virtual_server 10.79.9.2 80 {
  delay_loop 1
  protocol TCP
  lvs_sched wrr
  lvs_method NAT
  quorum 4
  omega
  quorum_up "${DIR}/note.sh B up"
  quorum_down "${DIR}/note.sh B down"
  real_server 10.79.1.2 8080 {
    weight 3
    inhibit_on_failure
    TCP_CHECK {
      connect_timeout 5
      retry 0
    }
  }
  real_server 10.79.3.2 8080 {
    weight 1
    MISC_CHECK {
      misc_path ${DIR}/misc.sh
      misc_timeout 10
      misc_dynamic
      retry 0
    }
  }
}
`;

const A = '-A -t 10.79.9.1:80 -s wrr';
const B = '-A -t 10.79.9.2:80 -s wrr';
const a = (rs: string, w: number): string => `-a -t 10.79.9.1:80 -r ${rs} -m -w ${w}`;
const b = (rs: string, w: number): string => `-a -t 10.79.9.2:80 -r ${rs} -m -w ${w}`;
const R1 = '10.79.1.2:8080';
const R2 = '10.79.2.2:8080';
const R3 = '10.79.3.2:8080';
const ALL = [A, B, a(R1, 2), a(R2, 2), b(R1, 3), b(R3, 1)];

interface Step {
  readonly name: string;
  /** Mode files (r1, r2) and the MISC_CHECK's exit status to write. */
  readonly set: { readonly r1?: string; readonly r2?: string; readonly misc?: number };
  readonly table: readonly string[];
  /** The script lines this step adds (any order). */
  readonly scripts: readonly string[];
  /** For a step that changes no table: a keepalived log line the step must add. */
  readonly logs?: string;
}

/**
 * Quorum A: 3 with hysteresis 1 over weights 2 + 2: gained at 4, lost below 2, sorry server.
 * Quorum B: 4 (hysteresis 0) over 3 (inhibit_on_failure) + 1 (misc_dynamic), no sorry server.
 */
const STEPS: readonly Step[] = [
  { name: 'start', set: {}, table: ALL, scripts: ['A up', 'B up'] },
  {
    name: 'TCP refused: r1 leaves A (2 left, held by the hysteresis), B keeps it at weight 0 and loses quorum',
    set: { r1: 'stop' },
    table: [A, B, a(R2, 2), b(R1, 0), b(R3, 1)],
    scripts: ['B down'],
  },
  { name: 'HTTP status 500: r2 leaves A, which loses quorum to the sorry server', set: { r2: '500' }, table: [A, B, a(R3, 1), b(R1, 0), b(R3, 1)], scripts: ['A down'] },
  {
    name: 'HTTP back: 2 alive is below quorum + hysteresis, A stays on the sorry server',
    set: { r2: 'ok' },
    table: [A, B, a(R3, 1), b(R1, 0), b(R3, 1)],
    scripts: [],
    logs: 'Adding service [10.79.2.2]:tcp:8080 to VS [10.79.9.1]:tcp:80',
  },
  { name: 'TCP back: both quorums regained', set: { r1: 'ok' }, table: ALL, scripts: ['A up', 'B up'] },
  { name: 'HTTP digest differs: r2 leaves A, quorum held', set: { r2: 'body' }, table: [A, B, a(R1, 2), b(R1, 3), b(R3, 1)], scripts: [] },
  { name: 'MISC exit 7: weight 5', set: { misc: 7 }, table: [A, B, a(R1, 2), b(R1, 3), b(R3, 5)], scripts: [] },
  { name: 'MISC exit 1: r3 leaves B, which loses quorum (no sorry server)', set: { misc: 1 }, table: [A, B, a(R1, 2), b(R1, 3)], scripts: ['B down'] },
  { name: 'all recovered (MISC exit 0: the configured weight)', set: { r2: 'ok', misc: 0 }, table: ALL, scripts: ['B up'] },
];

interface Record {
  readonly table: readonly string[];
  readonly scripts: readonly string[];
}

async function scriptLines(): Promise<string[]> {
  return (await vm.run('cat', [SCRIPT_LOG])).split('\n').filter(Boolean);
}

/** Polls in the guest until the step has settled, or `withinS` has passed; then records the table and the step's script lines. */
async function settle(step: Step, log: string, seen: number, withinS: number): Promise<Record> {
  const logged = step.logs === undefined ? 0 : Number((await vm.sh(`grep -cF '${step.logs}' ${log} || true`)).stdout.trim());
  await writeGuestFile(`${DIR}/want`, [...step.table].sort().join('\n') + '\n');
  const logCheck = step.logs === undefined ? 'true' : `[ "$(grep -cF '${step.logs}' ${log})" -gt ${logged} ]`;
  await vm.sh(
    `for i in $(seq 1 ${withinS * 5}); do
  ipvsadm -Sn | LC_ALL=C sort > ${DIR}/now
  cmp -s ${DIR}/now ${DIR}/want && [ "$(wc -l < ${SCRIPT_LOG})" -ge ${seen + step.scripts.length} ] && ${logCheck} && exit 0
  sleep 0.2
done; exit 1`,
    LONG,
  );
  return { table: await table(), scripts: (await scriptLines()).slice(seen).sort() };
}

/** The whole sequence under one daemon, started once; a record per step, then the scripts run at stop. */
async function runSequence(start: () => Promise<number>, log: string): Promise<{ steps: Record[]; stop: readonly string[] }> {
  await vm.sh(`ipvsadm -C; : > ${SCRIPT_LOG}; : > ${log}; echo ok > ${DIR}/r1.mode; echo ok > ${DIR}/r2.mode; echo 0 > ${DIR}/misc.code`);
  const pid = await start();
  const steps: Record[] = [];
  let seen = 0;
  for (const step of STEPS) {
    const writes = [
      ...(step.set.r1 === undefined ? [] : [`echo ${step.set.r1} > ${DIR}/r1.mode`]),
      ...(step.set.r2 === undefined ? [] : [`echo ${step.set.r2} > ${DIR}/r2.mode`]),
      ...(step.set.misc === undefined ? [] : [`echo ${step.set.misc} > ${DIR}/misc.code`]),
    ];
    if (writes.length > 0) await vm.sh(writes.join('\n'));
    const record = await settle(step, log, seen, steps.length === 0 ? SLOW_GUEST_S : 120);
    steps.push(record);
    seen += record.scripts.length;
  }
  await terminate(pid);
  // B's omega quorum_down runs at stop; keepalived starts it as the checker process exits
  await vm.sh(`for i in $(seq 1 300); do [ "$(wc -l < ${SCRIPT_LOG})" -gt ${seen} ] && exit 0; sleep 0.2; done; exit 1`, LONG);
  expect(await table()).toEqual([]);
  return { steps, stop: (await scriptLines()).slice(seen).sort() };
}

describe('keepalived 2.2.7 -C and keepalived-ts -C through the same failures', () => {
  beforeAll(async () => {
    const made = await vm.sh(`mkdir -p ${DIR}\n${topologyUp(TOPOLOGY)}`);
    expect(made.stderr).toBe('');
    await writeGuestFile(CONF, CONFIG);
    await writeGuestFile(`${DIR}/note.sh`, `#!/bin/sh\necho "$*" >> ${SCRIPT_LOG}\n`);
    await writeGuestFile(`${DIR}/misc.sh`, `#!/bin/sh\nexit $(cat ${DIR}/misc.code)\n`);
    await vm.sh(`chmod 755 ${DIR}/note.sh ${DIR}/misc.sh; echo ok > ${DIR}/r1.mode; echo ok > ${DIR}/r2.mode`);
    expect((await vm.sh(serversUp(TOPOLOGY, SERVER, DIR, SLOW_GUEST_S), LONG)).code).toBe(0);
  }, 2 * LONG.timeoutMs);

  afterAll(() => cleanGuest(DIR, TOPOLOGY));

  it(
    'leaves the same ipvsadm -Sn and runs the same quorum scripts after every step',
    async () => {
      const theirs = await runSequence(() => startKeepalived(DIR, CONF), `${DIR}/k.log`);
      const ours = await runSequence(() => startOurs(DIR, CONF), `${DIR}/ours.log`);
      const expected = STEPS.map((step) => ({ table: [...step.table].sort(), scripts: [...step.scripts].sort() }));
      const named = (records: readonly Record[]) => records.map((record, i) => ({ step: STEPS[i]?.name, ...record }));
      expect(named(ours.steps)).toEqual(named(theirs.steps));
      expect(ours.stop).toEqual(theirs.stop);
      expect(named(theirs.steps)).toEqual(named(expected));
      expect(theirs.stop).toEqual(['B down']);
    },
    4 * LONG.timeoutMs,
  );
});
