/** The worker thread behind loadConfigOffThread (config-worker.ts): one loadConfig, its result posted back. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../config/load-config.js';
import type { ThreadLoadOptions } from './config-worker.js';

const { file, options } = workerData as { file: string; options: ThreadLoadOptions };
parentPort?.postMessage(loadConfig(file, options));
