/** tables.json as IPVS tables: counters are strings there because JSON has no 64-bit integers. */
import { readFileSync } from 'node:fs';
import type { Destination, Service, Stats } from '../../../../src/ipvs/types.js';
import type { OracleTable } from './oracle.js';

type Json = Record<string, unknown>;

function stats(value: unknown): Stats | undefined {
  if (value === undefined) return undefined;
  return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, BigInt(v as string)])) as unknown as Stats;
}

function withStats<T extends Json>(value: T): T {
  const s = stats(value.stats);
  const { stats: _ignored, ...rest } = value;
  return (s === undefined ? rest : { ...rest, stats: s }) as T;
}

export function loadTables(): Record<string, OracleTable> {
  const raw = JSON.parse(readFileSync(new URL('./tables.json', import.meta.url), 'utf8')) as Record<string, Json>;
  return Object.fromEntries(
    Object.entries(raw).map(([name, table]) => [
      name,
      {
        ...table,
        services: (table.services as Json[]).map((entry) => ({
          service: withStats(entry.service as Json) as unknown as Service,
          destinations: (entry.destinations as Json[]).map((d) => withStats(d) as unknown as Destination),
        })),
      },
    ]),
  );
}

/** A data file of command lines: one per line, split at spaces, `#` lines and blank lines skipped. */
export function loadCommandLines(name: string): string[][] {
  return readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(' '));
}
