/**
 * MISC_CHECK and FILE_CHECK through the daemon's own supervisor, checker service (its real
 * ports: the probers made from the configuration, real scripts, real files) and LVS service,
 * in a namespace. This machine has no IPVS, so only the LVS service's IPVS client is the
 * in-memory one: the table it holds is the desired table the daemon would program. A script's
 * exit code and a track file's number are changed under the running daemon; each real server's
 * weight and presence in that table, its status, and keepalived's log lines follow, at the next
 * check (within delay_loop, plus TOLERANCE_MS).
 */
import { chmodSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeInNs, type NodeChild } from './support/child.js';
import { Lan, type Host } from './support/netns.js';

const dist = resolve('dist');
/** Scheduling noise on a loaded 2-core machine shared by several engineers. */
const TOLERANCE_MS = 1500;
/** The config's delay_loop, ms: a change is seen at the next check. */
const DL = 1000;

/** The supervisor with the checker and LVS services; prints each log line, and the table or status when asked. */
const DIRECTOR = (dir: string) => `
import { pino } from 'pino';
import { parseConfigFile } from '${dist}/config/parse-config.js';
import { analyze } from '${dist}/config/analyze.js';
import { checkerService } from '${dist}/daemon/checker-ports.js';
import { LvsService, intervalTimer } from '${dist}/daemon/lvs-service.js';
import { Supervisor } from '${dist}/daemon/supervisor.js';
import { MemoryIpvsClient } from '${dist}/ipvs/memory-client.js';
const out = (o) => process.stdout.write(JSON.stringify({ at: Date.now(), ...o }) + '\\n');
const { config } = analyze(parseConfigFile('${dir}/keepalived.conf').statements);
const log = pino({ base: null }, { write: (s) => process.stdout.write(s) });
const ipvs = new MemoryIpvsClient();
const services = [checkerService(), new LvsService({ openIpvs: async () => ipvs, every: intervalTimer })];
const supervisor = new Supervisor(
  services,
  {
    log,
    signals: { on() {}, close() {} },
    writeDump: async () => {},
    dumpPath: () => '/dev/null',
    notify: () => {},
    now: Date.now,
    monotonicNs: () => process.hrtime.bigint(),
    loadConfig: () => { throw new Error('this test does not reload'); },
    schedule: (ms, run) => { const t = setTimeout(run, ms); t.unref(); return () => clearTimeout(t); },
  },
  { pid: process.pid, version: 'test', configFile: '${dir}/keepalived.conf' },
);
await supervisor.start(config);
out({ started: true });
process.stdin.on('data', async (d) => {
  const cmd = d.toString().trim();
  if (cmd === 'table') {
    const table = {};
    for (const s of await ipvs.services()) for (const d of await ipvs.destinations(s.key)) table[d.address] = d.weight;
    out({ table });
  } else if (cmd === 'status') out({ status: supervisor.snapshot().services.checkers });
});
`;

const CONFIG = (dir: string) => `
track_file weights {
  file ${dir}/weight
  weight 3
}
track_file switch {
  file ${dir}/switch
}
virtual_server 10.92.0.100 80 {
  delay_loop 1
  lb_algo wrr
  lb_kind DR
  protocol TCP
  real_server 10.92.0.2 80 {
    weight 5
    MISC_CHECK {
      misc_path "${dir}/check.sh ${dir}/code"
      misc_timeout 2
      misc_dynamic
    }
  }
  real_server 10.92.0.3 80 {
    weight 5
    FILE_CHECK {
      track_file weights
    }
  }
  real_server 10.92.0.4 80 {
    weight 5
    FILE_CHECK {
      track_file switch
      weight 0
    }
  }
}
`;

type Line = Record<string, unknown>;

describe('MISC_CHECK and FILE_CHECK move real servers in the desired IPVS table', () => {
  let lan: Lan;
  let host: Host;
  let dir: string;
  let director: NodeChild;
  const lines: Line[] = [];

  /** The next line from the director satisfying `pred` (earlier lines are kept in `lines`). */
  async function waitLine(pred: (l: Line) => boolean, timeoutMs: number): Promise<Line> {
    const seen = lines.find(pred);
    if (seen) return seen;
    for (;;) {
      const l = (await director.next(timeoutMs)) as Line;
      lines.push(l);
      if (pred(l)) return l;
    }
  }

  /** Asks for the table until `want` accepts it or `timeoutMs` passes; returns when it did. */
  async function tableUntil(want: (t: Record<string, number>) => boolean, timeoutMs: number): Promise<{ table: Record<string, number>; at: number }> {
    const deadline = Date.now() + timeoutMs;
    let last: Record<string, number> = {};
    while (Date.now() < deadline) {
      const from = lines.length;
      director.write('table\n');
      const l = await waitLine((x) => lines.indexOf(x) >= from && x.table !== undefined, 5000);
      last = l.table as Record<string, number>;
      if (want(last)) return { table: last, at: l.at as number };
      // the next check is up to delay_loop away: ask again after a tenth of it
      await new Promise((r) => setTimeout(r, DL / 10));
    }
    throw new Error(`the table never became as wanted; last: ${JSON.stringify(last)}`);
  }

  beforeAll(async () => {
    lan = new Lan(`ktsw${process.pid % 10000}`);
    host = lan.addHost('lb', '10.92.0.1/24');
    dir = mkdtempSync(join(tmpdir(), `kts-weights-${process.pid}-`));
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'check.sh'), '#!/bin/sh\nexit "$(cat "$1")"\n');
    chmodSync(join(dir, 'check.sh'), 0o755);
    writeFileSync(join(dir, 'code'), '12\n');
    writeFileSync(join(dir, 'weight'), '2\n');
    writeFileSync(join(dir, 'switch'), '0\n');
    writeFileSync(join(dir, 'keepalived.conf'), CONFIG(dir));
    director = nodeInNs(host.ns, DIRECTOR(dir));
    await waitLine((l) => l.started === true, 90_000);
  }, 120_000);

  afterAll(() => {
    director?.kill();
    lan?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts with the weights the script and the files ask for: exit 12 → 10, 2 × 3 added to 5 → 11, switch 0 → 5', async () => {
    const { table } = await tableUntil((t) => t['10.92.0.2'] === 10 && t['10.92.0.3'] === 11 && t['10.92.0.4'] === 5, 15_000);
    expect(table).toEqual({ '10.92.0.2': 10, '10.92.0.3': 11, '10.92.0.4': 5 });
    await waitLine((l) => l.msg === `Misc check for [[10.92.0.2]:tcp:80 VS [10.92.0.100]:tcp:80] by [${dir}/check.sh] succeeded.`, 5000);
  });

  it('a script exiting 1 takes its server out at the next check; exit 7 brings it back at weight 5', async () => {
    const changed = Date.now();
    writeFileSync(join(dir, 'code'), '1\n');
    const down = await tableUntil((t) => !('10.92.0.2' in t), DL + TOLERANCE_MS + 2000);
    expect(down.at - changed).toBeLessThanOrEqual(DL + TOLERANCE_MS);
    await waitLine((l) => l.msg === `Misc check for [[10.92.0.2]:tcp:80 VS [10.92.0.100]:tcp:80] by [${dir}/check.sh] failed with retry disabled (exited with status 1).`, 5000);
    await waitLine((l) => l.msg === 'Removing service [10.92.0.2]:tcp:80 from VS [10.92.0.100]:tcp:80', 5000);
    director.write('status\n');
    const status = (await waitLine((l) => l.status !== undefined, 5000)).status as { realServers: { key: string; alive: boolean }[] };
    expect(status.realServers.find((r) => r.key === '[10.92.0.2]:80')?.alive).toBe(false);

    const back = Date.now();
    writeFileSync(join(dir, 'code'), '7\n');
    const up = await tableUntil((t) => t['10.92.0.2'] === 5, DL + TOLERANCE_MS + 2000);
    expect(up.at - back).toBeLessThanOrEqual(DL + TOLERANCE_MS);
  });

  it("a track file's new number moves the weight without taking the server out; -1 × 3 from 5 is 2", async () => {
    const changed = Date.now();
    writeFileSync(join(dir, 'weight'), '-1\n');
    const moved = await tableUntil((t) => t['10.92.0.3'] === 2, DL + TOLERANCE_MS + 2000);
    expect(moved.at - changed).toBeLessThanOrEqual(DL + TOLERANCE_MS);
    await waitLine((l) => l.msg === 'Changing weight from 11 to 2 for active service [10.92.0.3]:tcp:80 of VS [10.92.0.100]:tcp:80', 5000);
    // a missing file reads 0: the configured weight
    unlinkSync(join(dir, 'weight'));
    await tableUntil((t) => t['10.92.0.3'] === 5, DL + TOLERANCE_MS + 2000);
  });

  it('a weight-0 FILE_CHECK is a switch: non-zero is FAULT and takes the server out, 0 brings it back', async () => {
    const changed = Date.now();
    writeFileSync(join(dir, 'switch'), '1\n');
    const down = await tableUntil((t) => !('10.92.0.4' in t), DL + TOLERANCE_MS + 2000);
    expect(down.at - changed).toBeLessThanOrEqual(DL + TOLERANCE_MS);
    await waitLine((l) => l.msg === `([10.92.0.4]:tcp:80): tracked file ${dir}/switch now FAULT state`, 5000);
    writeFileSync(join(dir, 'switch'), '0\n');
    await tableUntil((t) => t['10.92.0.4'] === 5, DL + TOLERANCE_MS + 2000);
    await waitLine((l) => l.msg === `([10.92.0.4]:tcp:80): tracked file ${dir}/switch leaving FAULT state`, 5000);
  });
});
