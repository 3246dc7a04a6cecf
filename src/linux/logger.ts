import { openSync } from 'node:fs';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogRecord } from '../log/journal-entry.js';
import type { LogSettings } from '../log/settings.js';
import { consoleLine, fileLine } from '../log/text-lines.js';
import { isJournalStream, JOURNAL_SOCKET, JournalSink } from './journal.js';

/** The places one record can go; each is optional and none may throw into the daemon. */
export interface LogSinks {
  /** The pino JSON line as it is. */
  readonly json?: (line: string) => void;
  readonly journal?: (record: LogRecord) => void;
  /** keepalived's console and log-file lines. */
  readonly console?: (text: string) => void;
  readonly file?: (text: string) => void;
}

/**
 * A pino destination that decodes each JSON line once and hands it to every sink. A sink that
 * fails (a closed pipe, a full disk) loses that line and the others still get it: logging
 * never stops the daemon.
 */
export function logDestination(sinks: LogSinks): DestinationStream {
  const attempt = (deliver: () => void): void => {
    try {
      deliver();
    } catch {
      // nowhere left to report a logging failure
    }
  };
  return {
    write(line: string): void {
      let record: LogRecord;
      try {
        record = JSON.parse(line) as LogRecord;
      } catch {
        record = { level: 30, msg: line.trimEnd() };
      }
      const { json, journal, console, file } = sinks;
      const date = new Date(typeof record.time === 'number' ? record.time : Date.now());
      if (json) attempt(() => json(line));
      if (journal) attempt(() => journal(record));
      if (console) attempt(() => console(consoleLine(date, record.msg ?? '')));
      if (file) attempt(() => file(fileLine(date, record.msg ?? '')));
    },
  };
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
