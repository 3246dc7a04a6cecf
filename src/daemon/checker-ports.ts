/** The checker service's real adapters, and the one-line factory the supervisor registers. */
import type { Logger } from 'pino';
import type { GlobalDefs } from '../config/model.js';
import { NotifyFifo } from '../linux/fifo.js';
import { configProbers, linuxProbers } from '../linux/probes/index.js';
import { TimerQueue } from '../linux/timer-queue.js';
import { monotonicMs } from '../linux/timers.js';
import { CheckerService, type CheckerPorts } from './checker-service.js';
import { NotifyRunner } from './notify-runner.js';
import { SCRIPT_ENV } from './script-env.js';
import { ScriptPolicy } from './script-policy.js';

/** notify_up/notify_down and quorum_up/quorum_down: run with no arguments under global_defs' script security. */
export function notifyScripts(global: GlobalDefs, log: Logger): (script: string, timeoutMs?: number) => Promise<void> {
  const runner = new NotifyRunner(log, new ScriptPolicy(global));
  return (script, timeoutMs) => runner.run(script, [], timeoutMs);
}

export function linuxCheckerPorts(): CheckerPorts {
  return {
    probers: linuxProbers(),
    configProbers: (config) => {
      const policy = new ScriptPolicy(config.global_defs);
      return configProbers(config, { permit: (argv, user) => policy.permit(argv, user), env: SCRIPT_ENV });
    },
    now: monotonicMs,
    random: Math.random,
    timers: new TimerQueue<string>(),
    scripts: notifyScripts,
    openFifo: (path) => new NotifyFifo(path),
  };
}

export function checkerService(): CheckerService {
  return new CheckerService(linuxCheckerPorts());
}
