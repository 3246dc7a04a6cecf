/**
 * bench/config-load: how long `-t` takes on a big config, ours next to keepalived's.
 * Generates 1,000 virtual servers x 10 real servers with checkers (see generate.ts), then
 * reports, as a Markdown table:
 *   - ours in process: parse + validate, first (cold) run and the median of warm runs, and the
 *     peak RSS of the Node process that did it (Node itself is about 40 MiB of that);
 *   - ours as users run it: `bin/keepalived-ts -t -f FILE`, wall time and peak RSS;
 *   - Debian's `keepalived -t -l -f FILE` on the same file, wall time and peak RSS;
 *   - both on a small config (conf/lvs-dr-tcp-check.conf), where loading is most of the cost,
 *     and `node -e 0` for the floor.
 * Ours and keepalived's runs alternate, so both see the same load; CPU time (user + system) is
 * printed beside wall time because on a shared machine wall time mostly measures the neighbours.
 * A measurement, not a test: it prints numbers and fails only if something cannot run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  readonly cpuMs: number;
  readonly maxRssMiB: number;
  readonly exitCode: number;
}

/** Runs a command under GNU time, which reports wall and CPU seconds and peak RSS in KiB. */
function timed(command: string, args: readonly string[]): Timed {
  const run = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %U %S %M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.error) throw run.error;
  const m = /BENCH ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(run.stderr);
  if (!m) throw new Error(`no timing from ${command}: ${run.stderr.slice(-500)}`);
  return { wallMs: Number(m[1]) * 1000, cpuMs: (Number(m[2]) + Number(m[3])) * 1000, maxRssMiB: Number(m[4]) / 1024, exitCode: run.status ?? -1 };
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}

/** Medians of wall and CPU time, the highest peak RSS. */
function summary(all: readonly Timed[]): Timed {
  return {
    wallMs: median(all.map((t) => t.wallMs)),
    cpuMs: median(all.map((t) => t.cpuMs)),
    maxRssMiB: Math.max(...all.map((t) => t.maxRssMiB)),
    exitCode: all[0]?.exitCode ?? -1,
  };
}

/** Each command `runs` times, taking turns, so that a change in the host's load hits all of them alike. */
function alternate(runs: number, commands: readonly (readonly [string, readonly string[]])[]): Timed[] {
  const results: Timed[][] = commands.map(() => []);
  for (let i = 0; i < runs; i++) commands.forEach(([command, args], j) => results[j]?.push(timed(command, args)));
  return results.map(summary);
}

function load(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
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
  const loadBefore = load();
  const bin = join(REPO, 'bin/keepalived-ts');
  const small = join(REPO, 'conf/lvs-dr-tcp-check.conf');
  const [cli, keepalived, cliSmall, keepalivedSmall, nodeAlone] = alternate(runs, [
    [process.execPath, [bin, '-t', '-f', file]],
    ['keepalived', ['-t', '-l', '-f', file]],
    [process.execPath, [bin, '-t', '-f', small]],
    ['keepalived', ['-t', '-l', '-f', small]],
    [process.execPath, ['-e', '0']],
  ]) as [Timed, Timed, Timed, Timed, Timed];
  const mib = (n: number): string => n.toFixed(1);
  const ms = (n: number): string => n.toFixed(0);
  const row = (what: string, t: Timed): string => `| ${what} | ${ms(t.wallMs)} | ${ms(t.cpuMs)} | ${mib(t.maxRssMiB)} | ${t.exitCode} |`;
  const ratio = (a: Timed, b: Timed): string => `${(a.wallMs / b.wallMs).toFixed(1)}x wall, ${(a.cpuMs / b.cpuMs).toFixed(1)}x CPU, ${(a.maxRssMiB / b.maxRssMiB).toFixed(1)}x RSS`;
  const lines = [
    `config: ${virtualServers} virtual servers x ${realServersPerVs} real servers with checkers, ${(size / 2 ** 20).toFixed(2)} MiB; median of ${runs} runs; node ${process.version}`,
    `load average (1, 5, 15 min) before: ${loadBefore}, after: ${load()}`,
    `ours found ${inProcess.errors} errors, ${inProcess.warnings} warnings`,
    '',
    '| what | wall (ms) | CPU (ms) | peak RSS (MiB) | exit |',
    '|---|---:|---:|---:|---:|',
    `| ours in process, parse + validate, cold | ${ms(inProcess.coldMs)} | | ${mib(inProcess.maxRssMiB)} (node alone ${mib(inProcess.rssBeforeMiB)}) | |`,
    `| ours in process, parse + validate, warm | ${ms(inProcess.warmMedianMs)} | | | |`,
    row('ours: bin/keepalived-ts -t -f FILE', cli),
    row('keepalived 2.2.7: keepalived -t -l -f FILE', keepalived),
    row('ours: bin/keepalived-ts -t -f conf/lvs-dr-tcp-check.conf', cliSmall),
    row('keepalived 2.2.7: keepalived -t -l -f conf/lvs-dr-tcp-check.conf', keepalivedSmall),
    row('node -e 0', nodeAlone),
    '',
    `big file, ours / keepalived: ${ratio(cli, keepalived)}`,
    `small file, ours / keepalived: ${ratio(cliSmall, keepalivedSmall)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
