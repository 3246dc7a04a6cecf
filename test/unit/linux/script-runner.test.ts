import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../../../src/linux/script-runner.js';

/** Running, as opposed to gone or a zombie waiting for a parent that may never reap it. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('runScript', () => {
  it('passes argv through without a shell and reports the exit status', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kts-script-'));
    const out = join(dir, 'argv');
    const result = await runScript({ argv: ['/bin/sh', '-c', 'printf "%s|" "$@" > "$0"', out, 'INSTANCE', 'VI 1', '$HOME'], timeoutMs: 5000 });
    expect(result).toMatchObject({ status: 0, signal: null, timedOut: false });
    expect(readFileSync(out, 'utf8')).toBe('INSTANCE|VI 1|$HOME|');
  });

  it('kills the whole process group of a hung script at the timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kts-script-'));
    const pids = join(dir, 'pids');
    const result = await runScript({ argv: ['/bin/sh', '-c', `sleep 30 & echo $! > ${pids}; sleep 30`], timeoutMs: 300 });
    expect(result).toMatchObject({ status: null, signal: 'SIGKILL', timedOut: true });
    expect(result.durationMs).toBeLessThan(5000);
    const grandchild = Number(readFileSync(pids, 'utf8'));
    // the orphaned sleep was killed with its group; give the kernel a moment to reap it
    for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(grandchild)).toBe(false);
  });

  it('reports a script that cannot start instead of throwing', async () => {
    const result = await runScript({ argv: ['/nonexistent/check.sh'], timeoutMs: 1000 });
    expect(result).toMatchObject({ status: null, timedOut: false, spawnError: 'ENOENT' });
    expect(existsSync('/nonexistent')).toBe(false);
  });
});
