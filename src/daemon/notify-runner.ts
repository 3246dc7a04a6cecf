import type { Logger } from 'pino';
import { runScript, type ScriptResult } from '../linux/script-runner.js';
import { splitCommand } from '../scripts/argv.js';
import { SCRIPT_ENV } from './script-env.js';
import type { ScriptPolicy } from './script-policy.js';

/** A notify script that hangs must not pile up processes: it is killed after this long. */
const NOTIFY_TIMEOUT_MS = 30_000;

/**
 * Runs a configured script line with `args` appended, the way keepalived does: argv split like a
 * shell would, no shell, as the script user, refused (with the reason) when script security
 * finds it unsafe. Resolves with the result, or undefined when it was refused.
 */
export async function runConfiguredScript(policy: ScriptPolicy, log: Logger, line: string, args: readonly string[], timeoutMs: number): Promise<ScriptResult | undefined> {
  const permit = policy.permit([...splitCommand(line), ...args]);
  if (!permit.ok) {
    log.error({ script: line, reason: permit.reason }, `script ${line} refused: ${permit.reason}`);
    return undefined;
  }
  const asOther = permit.runAs.uid !== process.getuid?.() || permit.runAs.gid !== process.getgid?.();
  return runScript({ argv: permit.argv, timeoutMs, env: SCRIPT_ENV, ...(asOther ? { uid: permit.runAs.uid, gid: permit.runAs.gid } : {}) });
}

/** Notify scripts: logged by outcome, never waited for except notify_stop (the caller awaits that). */
export class NotifyRunner {
  constructor(
    private readonly log: Logger,
    private readonly policy: ScriptPolicy,
  ) {}

  async run(script: string, args: readonly string[], timeoutMs = NOTIFY_TIMEOUT_MS): Promise<void> {
    const result = await runConfiguredScript(this.policy, this.log, script, args, timeoutMs);
    if (result === undefined) return;
    const fields = { script, args, status: result.status, durationMs: Math.round(result.durationMs) };
    const name = splitCommand(script)[0];
    if (result.spawnError !== undefined) this.log.error({ ...fields, error: result.spawnError }, `notify script ${name} could not start: ${result.spawnError}`);
    else if (result.timedOut) this.log.warn(fields, `notify script ${name} killed after ${timeoutMs} ms`);
    else if (result.status !== 0) this.log.warn(fields, `notify script ${name} exited ${result.status ?? result.signal}`);
    else this.log.debug(fields, `notify script ${name} done`);
  }
}
