/**
 * bench/config-load: how long `-t` takes on a big config, ours next to keepalived's.
 * Generates 1,000 virtual servers x 10 real servers with checkers (see generate.ts), then
 * reports, as a Markdown table:
 *   - ours in process: parse + validate, first (cold) run and the median of warm runs, and the
 *     peak RSS of the Node process that did it (Node itself is about 40 MiB of that);
 *   - ours as users run it: `bin/keepalived-ts -t -f FILE`, wall time and peak RSS;
 *   - Debian's `keepalived -t -l -f FILE` on the same file, wall time and peak RSS.
 * A measurement, not a test: it prints numbers and fails only if something cannot run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateConfig } from './generate.js';
import type { Measurement } from './measure.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

interface Timed {
  readonly wallMs: number;
  readonly maxRssMiB: number;
  readonly exitCode: number;
}

/** Runs a command under GNU time, which reports wall seconds and peak RSS in KiB. */
function timed(command: string, args: readonly string[]): Timed {
  const run = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.error) throw run.error;
  const m = /BENCH ([\d.]+) (\d+)\s*$/.exec(run.stderr);
  if (!m) throw new Error(`no timing from ${command}: ${run.stderr.slice(-500)}`);
  return { wallMs: Number(m[1]) * 1000, maxRssMiB: Number(m[2]) / 1024, exitCode: run.status ?? -1 };
}

function best(runs: number, once: () => Timed): Timed {
  const all = Array.from({ length: runs }, once).sort((a, b) => a.wallMs - b.wallMs);
  const mid = all[Math.floor(all.length / 2)] as Timed;
  return { wallMs: mid.wallMs, maxRssMiB: Math.max(...all.map((t) => t.maxRssMiB)), exitCode: mid.exitCode };
}

const virtualServers = option('vs', 1000);
const realServersPerVs = option('rs', 10);
const runs = option('runs', 5);
const dir = mkdtempSync(join(tmpdir(), 'keepalived-ts-bench-'));
const file = join(dir, 'keepalived.conf');
try {
  writeFileSync(file, generateConfig({ virtualServers, realServersPerVs }));
  const size = statSync(file).size;
  const measureJs = fileURLToPath(new URL('./measure.js', import.meta.url));
  const inProcess = JSON.parse(execFileSync(process.execPath, [measureJs, file, String(runs)], { encoding: 'utf8' })) as Measurement;
  const cli = best(runs, () => timed(process.execPath, [join(REPO, 'bin/keepalived-ts'), '-t', '-f', file]));
  const keepalived = best(runs, () => timed('keepalived', ['-t', '-l', '-f', file]));
  const mib = (n: number): string => n.toFixed(1);
  const ms = (n: number): string => n.toFixed(0);
  const lines = [
    `config: ${virtualServers} virtual servers x ${realServersPerVs} real servers with checkers, ${(size / 2 ** 20).toFixed(2)} MiB; median of ${runs} runs; node ${process.version}`,
    `ours found ${inProcess.errors} errors, ${inProcess.warnings} warnings`,
    '',
    '| what | time (ms) | peak RSS (MiB) | exit |',
    '|---|---:|---:|---:|',
    `| ours in process, parse + validate, cold | ${ms(inProcess.coldMs)} | ${mib(inProcess.maxRssMiB)} (node alone ${mib(inProcess.rssBeforeMiB)}) | |`,
    `| ours in process, parse + validate, warm | ${ms(inProcess.warmMedianMs)} | | |`,
    `| ours: bin/keepalived-ts -t -f FILE | ${ms(cli.wallMs)} | ${mib(cli.maxRssMiB)} | ${cli.exitCode} |`,
    `| keepalived 2.2.7: keepalived -t -l -f FILE | ${ms(keepalived.wallMs)} | ${mib(keepalived.maxRssMiB)} | ${keepalived.exitCode} |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
