/** The worker thread behind config-worker.ts: loaded ahead of time, one loadConfig when told `read`, its result posted back, then it ends. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../config/load-config.js';
import type { ConfigThreadData } from './config-worker.js';

const { file, options } = workerData as ConfigThreadData;
parentPort?.once('message', () => {
  parentPort?.postMessage(loadConfig(file, options));
  parentPort?.close();
});
