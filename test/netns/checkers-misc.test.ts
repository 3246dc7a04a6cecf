import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../src/check/probe.js';
import { ScriptPolicy } from '../../src/daemon/script-policy.js';
import { SCRIPT_ENV } from '../../src/daemon/script-env.js';
import { MiscProber } from '../../src/linux/probes/misc.js';
import { checkerOf } from '../support/checkers.js';

type Misc = Parameters<typeof checkerOf<'MISC_CHECK'>>[1];

/** Real scripts run by the real runner: exits, signals, timeouts, users, script security. */
describe('MISC_CHECK with real scripts', () => {
  let dir: string;
  const open = new ScriptPolicy({ enable_script_security: false, script_user: null });
  const secure = new ScriptPolicy({ enable_script_security: true, script_user: { user: 'root', group: null } });
  const probe = (over: Misc, policy = open): Promise<ProbeResult> =>
    new MiscProber({ permit: (argv, user) => policy.permit(argv, user), env: SCRIPT_ENV }).probe(
      { checker: checkerOf('MISC_CHECK', over), ip: '192.0.2.1', port: 80 },
      1000,
      new AbortController().signal,
    );
  const script = (name: string, body: string): string => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `ckmisc${process.pid}-`));
    chmodSync(dir, 0o777);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is up on exit 0 and down on exit 1, and recovers when the script does', async () => {
    const path = script('flip.sh', 'exit 1');
    expect(await probe({ misc_path: path })).toMatchObject({ ok: false, reason: 'failed (exited with status 1)' });
    script('flip.sh', 'exit 0');
    expect(await probe({ misc_path: path })).toMatchObject({ ok: true, reason: 'succeeded' });
  });

  it('with misc_dynamic sets the weight to exit code - 2, and 1 is down', async () => {
    const path = script('dyn.sh', 'exit "$1"');
    const result = await probe({ misc_path: `${path} 12`, misc_dynamic: true });
    expect(result).toMatchObject({ ok: true, reason: 'succeeded', weight: 10 });
    expect(await probe({ misc_path: `${path} 1`, misc_dynamic: true })).toMatchObject({ ok: false, reason: 'failed (exited with status 1)' });
    const zero = await probe({ misc_path: `${path} 0`, misc_dynamic: true });
    expect(zero).toMatchObject({ ok: true });
    expect(zero.weight).toBeUndefined();
    expect(await probe({ misc_path: `${path} 12` })).toMatchObject({ ok: false, reason: 'failed (exited with status 12)' });
  });

  it('splits misc_path like keepalived: quotes keep words together, nothing is expanded', async () => {
    const out = join(dir, 'argv.txt');
    const path = script('argv.sh', `for a in "$@"; do echo "[$a]"; done > ${out}`);
    expect((await probe({ misc_path: `${path} one 'two words' "three $HOME"` })).ok).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('[one]\n[two words]\n[three $HOME]\n');
  });

  it('past misc_timeout sends SIGTERM: a script that obeys is "timed out" after the timeout', async () => {
    const result = await probe({ misc_path: script('slow.sh', 'exec sleep 30'), misc_timeout: 1 });
    expect(result).toMatchObject({ ok: false, reason: 'timed out' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(900);
    expect(result.latencyMs).toBeLessThan(2000 + 1000);
  });

  it('a script ignoring SIGTERM gets SIGKILL 2 s later, and its children die with it', async () => {
    const pidFile = join(dir, 'child.pid');
    const path = script('stubborn.sh', `trap '' TERM\nsleep 60 &\necho $! > ${pidFile}\nwait`);
    const result = await probe({ misc_path: path, misc_timeout: 1 });
    expect(result).toMatchObject({ ok: false, reason: 'timed out' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(1000 + 2000 - 100);
    const child = Number(readFileSync(pidFile, 'utf8'));
    // SIGKILL to the group is sent; the kernel tears the child down a moment later (flaky at load 15 when read at once)
    const alive = (): boolean => {
      try {
        return existsSync(`/proc/${child}`) && !readFileSync(`/proc/${child}/stat`, 'utf8').includes(') Z ');
      } catch {
        return false;
      }
    };
    await expect.poll(alive, { timeout: 2000, interval: 50 }).toBe(false);
  });

  it('a script killed by a signal it did not get from us is down with the signal number', async () => {
    expect(await probe({ misc_path: script('suicide.sh', 'kill -9 $$') })).toMatchObject({ ok: false, reason: 'failed (due to signal 9)' });
  });

  it("runs as the checker's user", async () => {
    const out = join(dir, 'uid.txt');
    expect((await probe({ misc_path: script('who.sh', `id -u > ${out}`), user: { user: 'nobody', group: null } })).ok).toBe(true);
    expect(readFileSync(out, 'utf8').trim()).toBe('65534');
    expect(await probe({ misc_path: script('who2.sh', 'exit 0'), user: { user: 'no-such-user-x', group: null } })).toMatchObject({
      ok: false,
      reason: 'failed (refused: user no-such-user-x does not exist)',
    });
  });

  it('with script security refuses a root script anyone could replace', async () => {
    const path = script('exposed.sh', 'exit 0');
    expect(await probe({ misc_path: path }, secure)).toMatchObject({
      ok: false,
      reason: `failed (refused: ${dir} is writable by everyone, so it could replace a script that runs as root)`,
    });
  });
});
