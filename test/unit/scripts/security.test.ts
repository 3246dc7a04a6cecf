import { describe, expect, it } from 'vitest';
import { checkScriptSecurity, type FileFacts } from '../../../src/scripts/security.js';

const dir = (mode: number, uid = 0, gid = 0): FileFacts => ({ uid, gid, mode: 0o40000 | mode, isFile: false });
const file = (mode: number, uid = 0, gid = 0): FileFacts => ({ uid, gid, mode: 0o100000 | mode, isFile: true });

function tree(overrides: Record<string, FileFacts>) {
  const base: Record<string, FileFacts> = {
    '/': dir(0o755),
    '/etc': dir(0o755),
    '/etc/keepalived': dir(0o755),
    '/etc/keepalived/notify.sh': file(0o755),
    '/tmp': dir(0o1777),
    '/tmp/notify.sh': file(0o755),
  };
  const all = { ...base, ...overrides };
  return (path: string) => all[path];
}

const root = { uid: 0, gid: 0 };

describe('checkScriptSecurity', () => {
  it('accepts a root-owned script in root-owned, unwritable directories', () => {
    expect(checkScriptSecurity('/etc/keepalived/notify.sh', root, tree({}))).toEqual({ ok: true, needsProtection: true });
  });

  it('names the directory another user owns', () => {
    const verdict = checkScriptSecurity('/etc/keepalived/notify.sh', root, tree({ '/etc/keepalived': dir(0o755, 1000) }), {
      user: (u) => (u === 1000 ? "user 'alice' (uid 1000)" : `uid ${u}`),
      group: (g) => `gid ${g}`,
    });
    expect(verdict).toEqual({
      ok: false,
      code: 'ERR_SCRIPT_INSECURE',
      path: '/etc/keepalived',
      reason: "/etc/keepalived is owned by user 'alice' (uid 1000), so it could replace a script that runs as root",
    });
  });

  it('refuses a script writable by a non-root group or by everyone', () => {
    expect(checkScriptSecurity('/etc/keepalived/notify.sh', root, tree({ '/etc/keepalived/notify.sh': file(0o775, 0, 50) }))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('is writable by group gid 50'),
    });
    expect(checkScriptSecurity('/etc/keepalived/notify.sh', root, tree({ '/etc/keepalived/notify.sh': file(0o757) }))).toMatchObject({
      ok: false,
      path: '/etc/keepalived/notify.sh',
      reason: expect.stringContaining('is writable by everyone'),
    });
  });

  it('tolerates a sticky world-writable directory such as /tmp, but not a world-writable file in it', () => {
    expect(checkScriptSecurity('/tmp/notify.sh', root, tree({}))).toEqual({ ok: true, needsProtection: true });
    expect(checkScriptSecurity('/tmp/notify.sh', root, tree({ '/tmp/notify.sh': file(0o1777) }))).toMatchObject({ ok: false });
  });

  it('does not ask anything of a script that runs as an unprivileged user', () => {
    expect(checkScriptSecurity('/tmp/notify.sh', { uid: 65534, gid: 65534 }, tree({ '/tmp/notify.sh': file(0o777, 1000, 1000) }))).toEqual({
      ok: true,
      needsProtection: false,
    });
  });

  it('protects a set-uid-root script even when it runs as nobody', () => {
    const verdict = checkScriptSecurity('/tmp/notify.sh', { uid: 65534, gid: 65534 }, tree({ '/tmp': dir(0o777), '/tmp/notify.sh': file(0o4755) }));
    expect(verdict).toMatchObject({ ok: false, path: '/tmp', reason: expect.stringContaining('writable by everyone') });
  });

  it('reports a missing script', () => {
    expect(checkScriptSecurity('/etc/keepalived/missing.sh', root, tree({}))).toMatchObject({ ok: false, code: 'ERR_SCRIPT_NOT_FOUND' });
  });
});
