import { execFileSync } from 'node:child_process';
import { closeSync, constants, lstatSync, openSync, writeSync } from 'node:fs';
import { KeepalivedError } from '../errors.js';

/**
 * A notify FIFO (`notify_fifo`, `vrrp_notify_fifo`, `lvs_notify_fifo`). Opened read-write and
 * non-blocking, like keepalived, so that neither a missing reader nor a slow one can stall the
 * daemon: a line that does not fit is dropped and counted instead.
 */
export class NotifyFifo {
  private readonly fd: number;
  dropped = 0;

  constructor(readonly path: string) {
    if (!isFifo(path)) {
      try {
        execFileSync('mkfifo', ['-m', '600', path], { stdio: 'pipe' });
      } catch (error) {
        throw new KeepalivedError('ERR_FIFO', `cannot create notify FIFO ${path}: ${(error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error)}`);
      }
    }
    this.fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  }

  /** Writes one line; returns false when the reader is too far behind and the line was dropped. */
  write(line: string): boolean {
    try {
      writeSync(this.fd, line);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      this.dropped++;
      return false;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

function isFifo(path: string): boolean {
  try {
    const s = lstatSync(path);
    if (s.isFIFO()) return true;
    throw new KeepalivedError('ERR_FIFO', `${path} exists and is not a FIFO`);
  } catch (error) {
    if (error instanceof KeepalivedError) throw error;
    return false;
  }
}
