import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimPidFile } from '../../../src/linux/pidfile.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'kts-pid-')), 'keepalived.pid');

describe('claimPidFile', () => {
  it('writes our pid and removes the file on release', () => {
    const path = fresh();
    const release = claimPidFile(path);
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
    release();
    expect(existsSync(path)).toBe(false);
  });

  it('refuses while the holder runs', async () => {
    const path = fresh();
    const holder = spawn('sleep', ['30']);
    await new Promise((r) => holder.on('spawn', r));
    writeFileSync(path, `${holder.pid}\n`);
    try {
      expect(() => claimPidFile(path)).toThrow(expect.objectContaining({ code: 'ERR_ALREADY_RUNNING' }));
    } finally {
      holder.kill();
    }
  });

  it('takes over a file whose daemon is gone', async () => {
    const path = fresh();
    const dead = spawn('true');
    await new Promise((r) => dead.on('exit', r));
    writeFileSync(path, `${dead.pid}\n`);
    const release = claimPidFile(path);
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
    release();
  });
});
