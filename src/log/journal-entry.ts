import { syslogIdentifier } from './identifiers.js';
import { syslogPriority } from './levels.js';

/** One pino record as its JSON line decodes. */
export interface LogRecord {
  readonly level: number;
  readonly msg?: string;
  readonly [field: string]: unknown;
}

/** What pino adds that journald records itself (_PID, the receive time) or we map (level, msg, service). */
const NOT_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/** Names journald or journalctl give a meaning of their own; a record key landing on one is prefixed. */
const RESERVED = new Set([
  'MESSAGE',
  'MESSAGE_ID',
  'PRIORITY',
  'CODE_FILE',
  'CODE_LINE',
  'CODE_FUNC',
  'ERRNO',
  'TID',
  'DOCUMENTATION',
  'INVOCATION_ID',
  'USER_INVOCATION_ID',
  'SYSLOG_FACILITY',
  'SYSLOG_IDENTIFIER',
  'SYSLOG_PID',
  'SYSLOG_TIMESTAMP',
  'SYSLOG_RAW',
]);

const MAX_NAME = 64;

/**
 * A record key as a journal field name: upper case, digits and `_`, starting with a letter, 64
 * characters at most (systemd.journal-fields(7)); camelCase becomes SNAKE_CASE, so `instance`
 * is INSTANCE= and `maxLateMs` MAX_LATE_MS=.
 */
export function journalFieldName(key: string): string {
  let name = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '_');
  if (!/^[A-Z]/.test(name)) name = `F_${name}`;
  if (RESERVED.has(name)) name = `KEEPALIVED_${name}`;
  return name.slice(0, MAX_NAME);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The journal fields of one record: MESSAGE= keepalived's text, PRIORITY= from the level,
 * SYSLOG_IDENTIFIER= from the service, SYSLOG_FACILITY=, and every other key as a field of its
 * own; a plain object one level deep is spread (`err` → ERR_MESSAGE=, ERR_STACK=), deeper
 * values and arrays are JSON.
 */
export function journalFields(record: LogRecord, facility: number): [string, string][] {
  const fields: [string, string][] = [
    ['MESSAGE', record.msg ?? ''],
    ['PRIORITY', String(syslogPriority(record.level))],
    ['SYSLOG_IDENTIFIER', syslogIdentifier(record.service)],
    ['SYSLOG_FACILITY', String(facility)],
  ];
  for (const [key, value] of Object.entries(record)) {
    if (NOT_FIELDS.has(key) || value === undefined || value === null) continue;
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value)) {
        if (innerValue !== undefined && innerValue !== null) fields.push([journalFieldName(`${key}_${inner}`), text(innerValue)]);
      }
    } else fields.push([journalFieldName(key), text(value)]);
  }
  return fields;
}

/**
 * One datagram of journald's native protocol (systemd.io/JOURNAL_NATIVE_PROTOCOL): `NAME=value\n`
 * for a value without a newline; otherwise the binary-safe form `NAME\n`, the value's length as
 * a little-endian 64-bit integer, the value, `\n`.
 */
export function encodeJournalEntry(fields: readonly (readonly [string, string])[]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    if (!value.includes('\n')) {
      parts.push(Buffer.from(`${name}=${value}\n`, 'utf8'));
      continue;
    }
    const bytes = Buffer.from(value, 'utf8');
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(bytes.length));
    parts.push(Buffer.from(`${name}\n`, 'utf8'), length, bytes, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}
