import { symbols, type Logger } from 'pino';

/** A destination that can hold a burst of lines and write them at once (src/linux/logger.ts). */
interface Batching {
  batch<T>(work: () => T): T;
}

function isBatching(stream: unknown): stream is Batching {
  return typeof (stream as Partial<Batching> | undefined)?.batch === 'function';
}

/**
 * Runs `work`, whose records reach each output in one write when the logger's destination can
 * batch (the daemon's does), else one line at a time: for bursts of thousands of lines, which
 * one write per line makes cost a system call each.
 */
export function batchedLog<T>(log: Logger | undefined, work: () => T): T {
  const stream = (log as unknown as Record<symbol, unknown> | undefined)?.[symbols.streamSym];
  return isBatching(stream) ? stream.batch(work) : work();
}
