/** The checker service's real adapters, and the one-line factory the supervisor registers. */
import { NotifyFifo } from '../linux/fifo.js';
import { linuxProbers } from '../linux/probes/index.js';
import { monotonicMs, TimerHost } from '../linux/timers.js';
import { CheckerService, type CheckerPorts } from './checker-service.js';
import { NotifyRunner } from './notify-runner.js';
import { ScriptPolicy } from './script-policy.js';

export function linuxCheckerPorts(): CheckerPorts {
  return {
    probers: linuxProbers(),
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
