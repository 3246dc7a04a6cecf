/**
 * The configuration file read on a worker thread, for reloads. Parsing and analysing a large file
 * is seconds of CPU (1,000 virtual servers × 10 real servers: 11.7 s on this machine at load 20);
 * on the main thread that would hold VRRP's adverts and the checkers' timers for as long, and a
 * Backup would take over. The result crosses back by structured clone, which keeps the plain
 * data a LoadedConfig is (maps, arrays, numbers, strings).
 */
import { Worker } from 'node:worker_threads';
import type { LoadedConfig, LoadOptions } from '../config/load-config.js';

/** The options that can cross to the thread: a file system or a random source cannot. */
export type ThreadLoadOptions = Pick<LoadOptions, 'configId' | 'hostname'>;

export function loadConfigOffThread(file: string, options: ThreadLoadOptions = {}): Promise<LoadedConfig> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./config-worker-main.js', import.meta.url), { workerData: { file, options } });
    worker.once('message', (loaded: LoadedConfig) => resolve(loaded));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the configuration reader stopped with status ${code} before answering`)));
  });
}
