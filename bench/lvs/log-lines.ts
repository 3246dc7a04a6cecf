/**
 * The daemon logger's cost per record on the host: `bench/lvs/run.sh log [LINES]`. Logs LINES
 * (default 10,000) of stop's "Shutting down service … from VS …" through `createDaemonLog` as
 * `keepalived-ts -n -l -g` sets it up (pino JSON on stdout, console lines on stderr, file
 * lines in a temporary file; stdout and stderr go to /dev/null here), one line at a time and
 * inside `batchedLog` (one write per output), and prints lines per second of wall time and of CPU time.
 */
import { mkdtempSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDaemonLog } from '../../src/linux/logger.js';
import { batchedLog } from '../../src/log/batch.js';
import { DEFAULT_FACILITY } from '../../src/log/levels.js';

const lines = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'kts-log-bench-'));
const { log } = createDaemonLog({ syslog: true, console: true, file: join(dir, 'keepalived.log'), facility: DEFAULT_FACILITY, level: 'info' });
const lvs = log.child({ service: 'lvs' });

function burst(): void {
  for (let i = 0; i < lines; i++) {
    const vs = `10.80.${i >> 8}.${i & 255}:80`;
    const rs = `[10.81.0.${i % 10}]:tcp:80`;
    lvs.info({ vs, rs }, `Shutting down service ${rs} from VS ${vs}`);
  }
}

function measure(what: string, work: () => void): void {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  work();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  // fd 3: run.sh points it at its stdout, while the log's stdout and stderr go to /dev/null
  writeSync(3, `${what}: ${lines} lines, wall ${wallMs.toFixed(1)} ms (${Math.round((lines / wallMs) * 1000)} lines/s), cpu ${cpuMs.toFixed(1)} ms (${Math.round((lines / cpuMs) * 1000)} lines/s)\n`);
}

burst(); // warm-up
for (let round = 0; round < 3; round++) measure('one at a time', burst);
for (let round = 0; round < 3; round++) measure('in one batch', () => batchedLog(lvs, burst));
rmSync(dir, { recursive: true, force: true });
