import type { ScriptUser } from '../../config/model.js';
import { judgeMiscExit } from '../../check/misc.js';
import type { Prober, ProbeResult, ProbeTarget } from '../../check/probe.js';
import { splitCommand } from '../../scripts/argv.js';
import { runScript, type ScriptResult, type ScriptRun } from '../script-runner.js';
import { resultClock } from './attempt.js';

/** keepalived's grace between SIGTERM and SIGKILL for a MISC_CHECK past misc_timeout (check_misc.c). */
export const MISC_TERM_GRACE_MS = 2000;

/** Who may run what: the daemon's ScriptPolicy (script security, script_user, the checker's `user`). */
export interface MiscScriptPorts {
  permit(argv: readonly string[], user: ScriptUser | null): { ok: true; argv: readonly string[]; runAs: { uid: number; gid: number } } | { ok: false; reason: string };
  /** Environment scripts start with (keepalived gives them only a PATH). */
  readonly env: NodeJS.ProcessEnv;
  run?(run: ScriptRun): Promise<ScriptResult>;
}

/**
 * MISC_CHECK: runs misc_path (split as keepalived splits it, no shell) as the checker's `user`
 * or the script user, allowed only when script security passes it, for misc_timeout seconds
 * (not the deadline the scheduler passes: keepalived's connect_timeout does not apply to
 * scripts), then SIGTERM and 2 s later SIGKILL. The exit is judged by src/check/misc.ts.
 */
export class MiscProber implements Prober {
  constructor(private readonly ports: MiscScriptPorts) {}

  async probe(target: ProbeTarget, _deadlineMs: number, signal: AbortSignal): Promise<ProbeResult> {
    const result = resultClock();
    const checker = target.checker;
    if (checker.type !== 'MISC_CHECK' || checker.misc_path === null) return result(false, `not a MISC_CHECK with a misc_path: ${checker.type}`);
    let argv: string[];
    try {
      argv = splitCommand(checker.misc_path);
    } catch (error) {
      return result(false, `failed (${(error as Error).message})`);
    }
    const permit = this.ports.permit(argv, checker.user);
    if (!permit.ok) return result(false, `failed (refused: ${permit.reason})`);
    const asOther = permit.runAs.uid !== process.getuid?.() || permit.runAs.gid !== process.getgid?.();
    const end = await (this.ports.run ?? runScript)({
      argv: permit.argv,
      timeoutMs: checker.misc_timeout * 1000,
      termGraceMs: MISC_TERM_GRACE_MS,
      signal,
      env: this.ports.env,
      ...(asOther ? { uid: permit.runAs.uid, gid: permit.runAs.gid } : {}),
    });
    if (signal.aborted) return result(false, 'aborted');
    const verdict = judgeMiscExit(end, checker.misc_dynamic);
    return result(verdict.ok, verdict.reason, verdict.ok && verdict.weight !== undefined ? { weight: verdict.weight } : {});
  }
}
