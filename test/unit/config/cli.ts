/**
 * Runs `bin/keepalived-ts -t -f FILE` the way a user does (needs the build in dist/) and reads
 * back its diagnostics, with a time limit so a parser that loops fails the test instead of
 * hanging it.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Severity } from '../../../src/config/ast.js';
import { inPool } from './run-pool.js';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = `${REPO}bin/keepalived-ts`;

export interface CliRun {
  /** null when the process was killed, by the time limit or a signal. */
  readonly code: number | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

export function runConfigTest(file: string, extraArgs: readonly string[] = [], limitMs = 20_000): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, '-t', ...extraArgs, '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, timedOut, stdout, stderr });
    });
  });
}

/** `-t` on every file, four at a time (the machine is shared), keyed by the file's path. */
export async function runConfigTests(files: readonly string[]): Promise<Map<string, CliRun>> {
  const results = await inPool(files, 4, (file) => runConfigTest(file));
  return new Map(files.map((file, i) => [file, results[i] as CliRun]));
}

export interface PrintedDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: Severity;
  readonly message: string;
  readonly keyword?: string;
}

const PRINTED = /^(?:(.+?):(\d+):(\d+)|keepalived-ts): (error|warning): (.*?)(?: \[([^\]]+)\])?$/;

/**
 * The `FILE:LINE:COL: severity: message [keyword]` lines of stderr (`keepalived-ts: severity:
 * ...` for a diagnostic with no place, read back as file '' line 0 col 0); the indented hint and
 * include-chain lines under them are skipped.
 */
export function printedDiagnostics(stderr: string): PrintedDiagnostic[] {
  const out: PrintedDiagnostic[] = [];
  for (const line of stderr.split('\n')) {
    const m = PRINTED.exec(line);
    if (!m) continue;
    const [, file, lineNo, col, severity, message, keyword] = m;
    out.push({
      file: file ?? '',
      line: Number(lineNo ?? 0),
      col: Number(col ?? 0),
      severity: severity as Severity,
      message: message ?? '',
      ...(keyword === undefined ? {} : { keyword }),
    });
  }
  return out;
}
