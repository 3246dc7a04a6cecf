import type { Logger } from 'pino';
import { runScript } from '../linux/script-runner.js';
import { splitCommand } from '../scripts/argv.js';
import { SCRIPT_ENV } from './script-env.js';

/** A notify script that hangs must not pile up processes: it is killed after this long. */
const NOTIFY_TIMEOUT_MS = 30_000;

/** Runs notify scripts the way keepalived does: argv split like a shell would, no shell. */
export class NotifyRunner {
  constructor(private readonly log: Logger) {}

  async run(script: string, args: readonly string[], timeoutMs = NOTIFY_TIMEOUT_MS): Promise<void> {
    const argv = [...splitCommand(script), ...args];
    const result = await runScript({ argv, timeoutMs, env: SCRIPT_ENV });
    const fields = { script: argv[0], args: argv.slice(1), status: result.status, durationMs: Math.round(result.durationMs) };
    if (result.spawnError !== undefined) this.log.error({ ...fields, error: result.spawnError }, `notify script ${argv[0]} could not start: ${result.spawnError}`);
    else if (result.timedOut) this.log.warn(fields, `notify script ${argv[0]} killed after ${timeoutMs} ms`);
    else if (result.status !== 0) this.log.warn(fields, `notify script ${argv[0]} exited ${result.status ?? result.signal}`);
    else this.log.debug(fields, `notify script ${argv[0]} done`);
  }
}
