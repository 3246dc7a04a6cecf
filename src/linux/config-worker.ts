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

/** What the thread is given at its start; it reads the file when told `read`. */
export interface ConfigThreadData {
  readonly file: string;
  readonly options: ThreadLoadOptions;
}

export function loadConfigOffThread(file: string, options: ThreadLoadOptions = {}): Promise<LoadedConfig> {
  return readOn(startThread({ file, options }));
}

/**
 * Reads of one file, each on a thread started ahead of time (`prepare`). A thread's start is
 * node's own bootstrap plus loading the loader's code: ~2 s of CPU in the vm guest, which a
 * reload that starts its thread itself pays while VRRP and the checkers wait for the one vCPU.
 * Each thread reads once and ends, so the parse's heap goes with it (run.ts: 152 MiB idle
 * against 208 MiB for a parse kept on a thread that stays); the next one is started by
 * `prepare`, which the daemon calls once a reload is over.
 */
export class ConfigReader {
  private ready: Worker | undefined;

  constructor(private readonly data: ConfigThreadData) {}

  /** Starts the thread the next read will use, unless one waits already. */
  prepare(): void {
    if (this.ready !== undefined) return;
    const worker = startThread(this.data);
    // an idle thread that fails or ends is simply not used
    const drop = (): void => {
      if (this.ready === worker) this.ready = undefined;
    };
    worker.once('error', drop);
    worker.once('exit', drop);
    // a waiting thread never keeps the daemon alive
    worker.unref();
    this.ready = worker;
  }

  read(): Promise<LoadedConfig> {
    const worker = this.ready ?? startThread(this.data);
    this.ready = undefined;
    worker.ref();
    return readOn(worker);
  }

  /** Ends the waiting thread, if any (the daemon stops). */
  close(): void {
    void this.ready?.terminate();
    this.ready = undefined;
  }
}

function startThread(data: ConfigThreadData): Worker {
  return new Worker(new URL('./config-worker-main.js', import.meta.url), { workerData: data });
}

function readOn(worker: Worker): Promise<LoadedConfig> {
  return new Promise((resolve, reject) => {
    worker.once('message', (loaded: LoadedConfig) => resolve(loaded));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the configuration reader stopped with status ${code} before answering`)));
    worker.postMessage('read');
  });
}
