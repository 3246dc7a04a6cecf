import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import type { FileFacts } from '../scripts/security.js';

export interface ScriptRun {
  readonly argv: readonly string[];
  readonly timeoutMs: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly env?: NodeJS.ProcessEnv;
}

export interface ScriptResult {
  /** Exit status, or null when a signal ended it or it never started. */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  /** Why it could not start (ENOENT, EACCES...), when it could not. */
  readonly spawnError?: string;
  readonly durationMs: number;
}

/**
 * Runs a script without a shell, in a process group of its own so that at the timeout the
 * whole group dies with SIGKILL: a check script that forked a hung `curl` must not leave it
 * behind. Output is discarded, as keepalived does.
 */
export function runScript(run: ScriptRun): Promise<ScriptResult> {
  const started = performance.now();
  const [command, ...args] = run.argv;
  return new Promise((resolve) => {
    if (command === undefined) {
      resolve({ status: null, signal: null, timedOut: false, spawnError: 'EINVAL', durationMs: 0 });
      return;
    }
    const child = spawn(command, args, {
      detached: true,
      stdio: 'ignore',
      env: run.env ?? {},
      ...(run.uid !== undefined ? { uid: run.uid } : {}),
      ...(run.gid !== undefined ? { gid: run.gid } : {}),
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    }, run.timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ status: null, signal: null, timedOut: false, spawnError: error.code ?? 'EUNKNOWN', durationMs: performance.now() - started });
    });
    child.on('exit', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, timedOut, durationMs: performance.now() - started });
    });
  });
}

/** What script security needs to know of a path, or undefined when it does not exist. */
export function fileFacts(path: string): FileFacts | undefined {
  try {
    const s = statSync(path);
    return { uid: s.uid, gid: s.gid, mode: s.mode, isFile: s.isFile() };
  } catch {
    return undefined;
  }
}
