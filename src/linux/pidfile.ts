import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { KeepalivedError } from '../errors.js';

/**
 * The pid file is the "one daemon per config" lock keepalived users rely on: a second copy
 * must refuse to start while the first runs, yet a file left by a crashed daemon must not
 * block a restart.
 */
export function claimPidFile(path: string, pid = process.pid): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      return () => releasePidFile(path, pid);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new KeepalivedError('ERR_PIDFILE', `cannot create pid file ${path}: ${(error as Error).message}`, { cause: error });
      }
      const holder = readPid(path);
      if (holder !== undefined && holder !== pid && isRunning(holder)) {
        throw new KeepalivedError('ERR_ALREADY_RUNNING', `another daemon (pid ${holder}) holds ${path}; stop it first or use another -p file`);
      }
      // stale: its daemon is gone
      unlinkSync(path);
    }
  }
  throw new KeepalivedError('ERR_PIDFILE', `cannot claim pid file ${path}: it keeps reappearing`);
}

function releasePidFile(path: string, pid: number): void {
  if (readPid(path) === pid) unlinkSync(path);
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
