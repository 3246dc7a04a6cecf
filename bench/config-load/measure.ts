/**
 * Child process of the benchmark: checks one config in process (parse + validate, as `-t` does)
 * once cold and then `runs` more times, and prints one JSON line with the times and the peak
 * resident memory of this process.
 */
import { performance } from 'node:perf_hooks';
import { checkConfig } from '../../test/unit/config/pipeline.js';

export interface Measurement {
  readonly coldMs: number;
  readonly warmMedianMs: number;
  readonly rssBeforeMiB: number;
  readonly maxRssMiB: number;
  readonly errors: number;
  readonly warnings: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function measure(file: string, runs: number): Measurement {
  const rssBeforeMiB = process.memoryUsage().rss / 2 ** 20;
  let start = performance.now();
  const first = checkConfig(file);
  const coldMs = performance.now() - start;
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    start = performance.now();
    checkConfig(file);
    warm.push(performance.now() - start);
  }
  return {
    coldMs,
    warmMedianMs: median(warm),
    rssBeforeMiB,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    errors: first.diagnostics.filter((d) => d.severity === 'error').length,
    warnings: first.diagnostics.filter((d) => d.severity === 'warning').length,
  };
}

const [file, runs] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: measure.js FILE [RUNS]');
process.stdout.write(`${JSON.stringify(measure(file, Number(runs ?? 5)))}\n`);
