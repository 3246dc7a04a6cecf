import { createInterface } from 'node:readline';
import { spawnInNs } from './lan.js';

export interface NodeChild {
  /** The next line the script printed, parsed as JSON. */
  next(timeoutMs?: number): Promise<unknown>;
  /** Consumes lines until one satisfies `match`, for events that may come more than once. */
  until(match: (value: unknown) => boolean, timeoutMs?: number): Promise<unknown>;
  readonly exited: Promise<number | null>;
  /** Writes to the script's stdin, e.g. to let it take its next step. */
  write(text: string): void;
  kill(): void;
}

/**
 * Runs an ES module script with node inside a namespace. Scripts talk back by printing one
 * JSON value per line, so a test can await each step instead of sleeping.
 */
export function nodeInNs(ns: string, script: string): NodeChild {
  const child = spawnInNs(ns, process.execPath, ['--input-type=module', '-e', script]);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const queue: unknown[] = [];
  const waiters: ((value: unknown) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const value = JSON.parse(line) as unknown;
    const waiter = waiters.shift();
    if (waiter) waiter(value);
    else queue.push(value);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const next = (timeoutMs = 5000): Promise<unknown> => {
    if (queue.length) return Promise.resolve(queue.shift());
    return new Promise((resolve, reject) => {
      const waiter = (value: unknown): void => {
        clearTimeout(timer);
        resolve(value);
      };
      // a waiter that gave up leaves the queue, so the line it missed goes to the next caller
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`no output from ${ns} within ${timeoutMs} ms; stderr: ${stderr}`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  };
  return {
    next,
    async until(match, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await next(Math.max(1, deadline - Date.now()));
        if (match(value)) return value;
      }
    },
    exited,
    write: (text) => child.stdin!.write(text),
    kill: () => child.kill(),
  };
}
