import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import type { FileFacts } from '../scripts/security.js';

export interface ScriptRun {
  readonly argv: readonly string[];
  readonly timeoutMs: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * At the timeout send SIGTERM and only this much later SIGKILL (MISC_CHECK: keepalived's
   * 2 s, check_misc.c); without it the group gets SIGKILL at once.
   */
  readonly termGraceMs?: number;
  /** Kills the group with SIGKILL when aborted (the checker was removed, the daemon stops). */
  readonly signal?: AbortSignal;
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
 * whole group dies with SIGKILL (after SIGTERM and `termGraceMs` when given): a check script
 * that forked a hung `curl` must not leave it behind. Output is discarded, as keepalived does.
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
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // the group is already gone
      }
    };
    const onAbort = (): void => killGroup('SIGKILL');
    const timer = setTimeout(() => {
      timedOut = true;
      if (run.termGraceMs === undefined) return killGroup('SIGKILL');
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), run.termGraceMs);
    }, run.timeoutMs);
    const settle = (): void => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      run.signal?.removeEventListener('abort', onAbort);
    };
    if (child.pid !== undefined && run.signal?.aborted) onAbort();
    else if (child.pid !== undefined) run.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error: NodeJS.ErrnoException) => {
      settle();
      resolve({ status: null, signal: null, timedOut: false, spawnError: error.code ?? 'EUNKNOWN', durationMs: performance.now() - started });
    });
    child.on('exit', (status, signal) => {
      settle();
      // a script that obeyed SIGTERM may leave children behind: keepalived kills the group then
      if (timedOut && run.termGraceMs !== undefined) killGroup('SIGKILL');
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
