import { openSync } from 'node:fs';
import { pino, symbols, type DestinationStream, type Logger } from 'pino';
import type { LogRecord } from '../log/journal-entry.js';
import type { LogSettings } from '../log/settings.js';
import { consoleLine, fileLine } from '../log/text-lines.js';
import { isJournalStream, JOURNAL_SOCKET, JournalSink } from './journal.js';
import { recordOf, type PinoMetadata } from './log-record.js';

/** The places one record can go; each is optional and none may throw into the daemon. */
export interface LogSinks {
  /** The pino JSON line as it is. */
  readonly json?: (line: string) => void;
  readonly journal?: (record: LogRecord) => void;
  /** keepalived's console and log-file lines. */
  readonly console?: (text: string) => void;
  readonly file?: (text: string) => void;
}

/** A pino destination that can also hold its sinks' text and write it at once. */
export interface LogDestination extends DestinationStream, PinoMetadata {
  readonly [symbols.needsMetadataGsym]: true;
  /**
   * Runs `work`, and writes the text its records give each line sink in one write at the end
   * (journal entries are one datagram each, as the native protocol has them). For a burst of
   * thousands of lines, such as stop's "Shutting down service" for every server.
   */
  batch<T>(work: () => T): T;
}

/**
 * A pino destination that hands each record to every sink: the JSON line as pino wrote it, the
 * record's message and time (pino's metadata, no parse) to the console and file sinks, the
 * record built from the metadata (log-record.ts) to the journal. A sink that fails (a closed
 * pipe, a full disk) loses that text and the others still get it: logging never stops the
 * daemon.
 */
export function logDestination(sinks: LogSinks): LogDestination {
  const attempt = (deliver: () => void): void => {
    try {
      deliver();
    } catch {
      // nowhere left to report a logging failure
    }
  };
  const { json, journal, console, file } = sinks;
  /** Text held by `batch`, per line sink, in the order json, console, file. */
  let held: [string[], string[], string[]] | undefined;
  const deliver = (sink: (text: string) => void, kind: 0 | 1 | 2, text: string): void => {
    if (held !== undefined) held[kind].push(text);
    else attempt(() => sink(text));
  };
  const destination: LogDestination = {
    [symbols.needsMetadataGsym]: true,
    write(line: string): void {
      if (json) deliver(json, 0, line);
      if (journal) attempt(() => journal(recordOf(destination)));
      if (console === undefined && file === undefined) return;
      const message = destination.lastMsg ?? destination.lastObj?.msg ?? '';
      // pino's messages are strings; anything else as its JSON rather than [object Object]
      const text = typeof message === 'string' ? message : (JSON.stringify(message) ?? '');
      const ms = Number(destination.lastTime);
      if (console) deliver(console, 1, consoleLine(ms, text));
      if (file) deliver(file, 2, fileLine(ms, text));
    },
    batch<T>(work: () => T): T {
      if (held !== undefined) return work();
      const hold: [string[], string[], string[]] = [[], [], []];
      held = hold;
      try {
        return work();
      } finally {
        held = undefined;
        [json, console, file].forEach((sink, kind) => {
          const texts = hold[kind] ?? [];
          if (sink !== undefined && texts.length > 0) attempt(() => sink(texts.join('')));
        });
      }
    },
  };
  return destination;
}

export interface DaemonLog {
  readonly log: Logger;
  /** Where the syslog-equivalent output went, for the start-up line and tests. */
  readonly syslog: 'journal' | 'stdout' | 'none';
  /** A -g file that could not be opened (the daemon still runs; keepalived carries on too). */
  readonly fileError?: string;
}

/**
 * The daemon's logger from keepalived's flags. Unless -G, records go to journald as native
 * entries when systemd connected our stderr or stdout to the journal, else as pino JSON lines
 * on stdout; -l adds console lines on stderr (not when stderr is that journal stream: the
 * records are there already); -g adds log-file lines. Writes are synchronous, so
 * --flush-log-file changes nothing and a crash loses no line.
 */
export function createDaemonLog(settings: LogSettings, env: NodeJS.ProcessEnv = process.env, journalSocket = JOURNAL_SOCKET): DaemonLog {
  const journalFd = !settings.syslog ? undefined : isJournalStream(2, env) ? 2 : isJournalStream(1, env) ? 1 : undefined;
  const stream = (fd: number) => {
    const boom = pino.destination({ dest: fd, sync: true });
    boom.on('error', () => undefined);
    return (text: string) => boom.write(text);
  };
  let fileFd: number | undefined;
  let fileError: string | undefined;
  if (settings.file !== undefined) {
    try {
      fileFd = openSync(settings.file, 'a', 0o644);
    } catch (error) {
      fileError = `Unable to open log file ${settings.file}: ${(error as Error).message}`;
    }
  }
  const journal = journalFd !== undefined ? new JournalSink(settings.facility, stream(journalFd), journalSocket) : undefined;
  const sinks: LogSinks = {
    ...(settings.syslog && journalFd === undefined ? { json: stream(1) } : {}),
    ...(journal !== undefined ? { journal: (record: LogRecord) => journal.write(record) } : {}),
    ...(settings.console && journalFd !== 2 ? { console: stream(2) } : {}),
    ...(fileFd !== undefined ? { file: stream(fileFd) } : {}),
  };
  const log = pino({ level: settings.level, base: { pid: process.pid } }, logDestination(sinks));
  return {
    log,
    syslog: journalFd !== undefined ? 'journal' : settings.syslog ? 'stdout' : 'none',
    ...(fileError !== undefined ? { fileError } : {}),
  };
}
