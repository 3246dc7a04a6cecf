import { pino, type Logger } from 'pino';
import type { LogRecord } from '../log/journal-entry.js';

/**
 * What pino hands a destination that asks for metadata (`Symbol.for('pino.metadata')`, as its
 * own multistream does; lib/proto.js write()): the record's parts as objects, set just before
 * each `write` of the JSON line.
 */
export interface PinoMetadata {
  lastLevel?: number;
  /** The epoch milliseconds as the line spells them. */
  lastTime?: string;
  lastMsg?: unknown;
  lastObj?: Record<string, unknown>;
  lastLogger?: Logger;
}

/** A logger's bindings (pid and its child's) as they stand, parsed once per logger: pino keeps them as a JSON fragment. */
const bindingsCache = new WeakMap<Logger, { readonly text: string; readonly bindings: Record<string, unknown> }>();

function bindingsOf(logger: Logger): Record<string, unknown> {
  // the fragment itself is the cache key: setBindings() replaces it
  const text = (logger as unknown as Record<symbol, string>)[pino.symbols.chindingsSym] ?? '';
  const cached = bindingsCache.get(logger);
  if (cached !== undefined && cached.text === text) return cached.bindings;
  // the fragment is `,"pid":1,"service":"vrrp"` (logger.bindings() would drop pid)
  const bindings = JSON.parse(`{${text.slice(1)}}`) as Record<string, unknown>;
  bindingsCache.set(logger, { text, bindings });
  return bindings;
}

/** A value as the JSON line holds it: pino's `err` serializer, non-finite numbers as null, objects through JSON. */
function asInLine(key: string, value: unknown): unknown {
  // pino's default serializers: err only, which passes anything not error-like through
  const serialized: unknown = key === 'err' ? pino.stdSerializers.err(value as Error) : value;
  if (typeof serialized === 'number') return Number.isFinite(serialized) ? serialized : null;
  if (typeof serialized !== 'object' || serialized === null) return serialized;
  try {
    return JSON.parse(JSON.stringify(serialized)) as unknown;
  } catch {
    return '[Unserializable]';
  }
}

/**
 * The record pino just wrote, equal to what JSON.parse of its line gives (level, time, the
 * bindings, the logged object, msg, in that order, later keys winning) without parsing the
 * line: only an object-valued field goes through JSON, and a logger's bindings are parsed once.
 */
export function recordOf(meta: PinoMetadata): LogRecord {
  const record: Record<string, unknown> = { level: meta.lastLevel ?? 30, time: Number(meta.lastTime) };
  if (meta.lastLogger !== undefined) Object.assign(record, bindingsOf(meta.lastLogger));
  for (const key in meta.lastObj) {
    if (!Object.prototype.hasOwnProperty.call(meta.lastObj, key)) continue;
    const value = asInLine(key, meta.lastObj[key]);
    if (value !== undefined && typeof value !== 'function' && typeof value !== 'symbol') record[key] = value;
  }
  if (meta.lastMsg !== undefined) record.msg = meta.lastMsg;
  return record as LogRecord;
}
