import { fstatSync } from 'node:fs';
import { encodeJournalEntry, journalFields, type LogRecord } from '../log/journal-entry.js';
import { syslogPriority } from '../log/levels.js';
import { native } from './native.js';

/** journald's socket for the native protocol (sd_journal_sendv()). */
export const JOURNAL_SOCKET = '/run/systemd/journal/socket';

/**
 * Whether `fd` is the journal stream systemd connected us to: it sets JOURNAL_STREAM to the
 * `device:inode` of that stream (systemd.exec(5)), and only a matching fd is still it (a shell
 * redirect or a child with other stdio must not be mistaken for it).
 */
export function isJournalStream(fd: number, env: NodeJS.ProcessEnv = process.env): boolean {
  const match = /^(\d+):(\d+)$/.exec(env.JOURNAL_STREAM ?? '');
  if (!match) return false;
  try {
    const stat = fstatSync(fd, { bigint: true });
    return stat.dev === BigInt(match[1] as string) && stat.ino === BigInt(match[2] as string);
  } catch {
    return false;
  }
}

/** Sends one datagram to a Unix socket path; resolves 0 or an errno (the addon's sendDatagram). */
export type DatagramSender = (path: string, payload: Buffer) => number;

/**
 * Records into journald as native entries, with their priority and structured fields. When a
 * datagram cannot go (journald busy: EAGAIN; restarting: ENOENT/ECONNREFUSED; too big:
 * EMSGSIZE) the message goes to the journal stream instead with a `<N>` priority prefix, which
 * journald reads the same way (SyslogLevelPrefix=yes), so no line is lost or blocks the daemon.
 */
export class JournalSink {
  constructor(
    private readonly facility: number,
    private readonly fallback: (text: string) => void,
    private readonly socket = JOURNAL_SOCKET,
    private readonly send: DatagramSender = (path, payload) => native().sendDatagram(path, payload),
  ) {}

  write(record: LogRecord): void {
    const errno = this.send(this.socket, encodeJournalEntry(journalFields(record, this.facility)));
    if (errno !== 0) this.fallback(`<${syslogPriority(record.level)}>${(record.msg ?? '').replace(/\n/g, ' ')}\n`);
  }
}
