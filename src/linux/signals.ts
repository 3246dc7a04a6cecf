import type { DaemonSignal, SignalPort } from '../daemon/signals.js';
import { SIGNAL_NUMBERS } from '../daemon/signals.js';
import { native } from './native.js';

const NAMED = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2'] as const;
const REALTIME = ['SIGJSON', 'SIGSTATS_CLEAR'] as const;

/**
 * The process's signals as a port. Node names only the classic signals; the real-time ones
 * (36, 63), whose default action kills the process, go through the addon's libuv watch. A
 * SIGUSR1 listener also keeps Node from opening its inspector on 127.0.0.1:9229.
 */
export function processSignals(): SignalPort {
  const handlers: ((signal: DaemonSignal) => void)[] = [];
  // signals that come before anyone listens (a TERM during config loading) wait for the first listener
  const early: DaemonSignal[] = [];
  const deliver = (signal: DaemonSignal) => () => {
    if (handlers.length === 0) early.push(signal);
    for (const h of handlers) h(signal);
  };
  const named = NAMED.map((signal) => [signal, deliver(signal)] as const);
  for (const [signal, listener] of named) process.on(signal, listener);
  for (const signal of REALTIME) native().watchSignal(SIGNAL_NUMBERS[signal], deliver(signal));
  return {
    on: (handler) => {
      handlers.push(handler);
      for (const signal of early.splice(0)) handler(signal);
    },
    close: () => {
      for (const [signal, listener] of named) process.off(signal, listener);
      for (const signal of REALTIME) native().unwatchSignal(SIGNAL_NUMBERS[signal]);
    },
  };
}
