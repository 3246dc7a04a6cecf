/** The checker service's real adapters, and the one-line factory the supervisor registers. */
import { NotifyFifo } from '../linux/fifo.js';
import { configProbers, linuxProbers } from '../linux/probes/index.js';
import { monotonicMs, TimerHost } from '../linux/timers.js';
import { CheckerService, type CheckerPorts } from './checker-service.js';
import { NotifyRunner } from './notify-runner.js';
import { SCRIPT_ENV } from './script-env.js';
import { ScriptPolicy } from './script-policy.js';

export function linuxCheckerPorts(): CheckerPorts {
  return {
    probers: linuxProbers(),
    configProbers: (config) => {
      const policy = new ScriptPolicy(config.global_defs);
      return configProbers(config, { permit: (argv, user) => policy.permit(argv, user), env: SCRIPT_ENV });
    },
    now: monotonicMs,
    random: Math.random,
    timers: new TimerHost<string>(),
    scripts: (global, log) => {
      const runner = new NotifyRunner(log, new ScriptPolicy(global));
      return (script) => runner.run(script, []);
    },
    openFifo: (path) => new NotifyFifo(path),
  };
}

export function checkerService(): CheckerService {
  return new CheckerService(linuxCheckerPorts());
}
