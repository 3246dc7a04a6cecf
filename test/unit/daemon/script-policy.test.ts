import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScriptPolicy, type Accounts } from '../../../src/daemon/script-policy.js';

const accounts: Accounts = {
  user: (name) => ({ root: { uid: 0, gid: 0 }, nobody: { uid: 65534, gid: 65534 } })[name],
  group: (name) => ({ root: 0, nogroup: 65534 })[name],
  userName: (uid) => (uid === 0 ? 'root' : `uid ${uid}`),
  groupName: (gid) => (gid === 0 ? 'root' : `gid ${gid}`),
};

/** The daemon's own ids: root, as keepalived.service runs it. */
const ROOT = { uid: 0, gid: 0 };

/** A script in a directory everyone may write to (not sticky): anyone could swap it. */
function exposedScript(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'kvw-policy-')), 'open');
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  const script = join(dir, 'notify.sh');
  writeFileSync(script, '#!/bin/sh\n');
  chmodSync(script, 0o755);
  return script;
}

describe('ScriptPolicy', () => {
  it('without script security runs scripts as root, resolving bare names on its PATH', () => {
    const permit = new ScriptPolicy({ enable_script_security: false, script_user: null }, accounts, ROOT).permit(['true', 'a b']);
    expect(permit).toEqual({ ok: true, argv: ['/usr/bin/true', 'a b'], runAs: { uid: 0, gid: 0 } });
  });

  it('with script security refuses a root script whose directory anyone may write, naming it', () => {
    const script = exposedScript();
    const permit = new ScriptPolicy({ enable_script_security: true, script_user: { user: 'root', group: null } }, accounts, ROOT).permit([script]);
    expect(permit).toEqual({ ok: false, reason: `${join(script, '..')} is writable by everyone, so it could replace a script that runs as root` });
  });

  it('with script security and no script_user runs as nobody (no keepalived_script here), which needs no protection', () => {
    const script = exposedScript();
    expect(new ScriptPolicy({ enable_script_security: true, script_user: null }, accounts, ROOT).permit([script])).toEqual({
      ok: true,
      argv: [script],
      runAs: { uid: 65534, gid: 65534 },
    });
  });

  it('not running as root (keepalived-ts-nonroot.service), runs scripts as itself unless script_user names someone', () => {
    const daemon = { uid: 998, gid: 997 };
    expect(new ScriptPolicy({ enable_script_security: false, script_user: null }, accounts, daemon).permit(['true'])).toMatchObject({ ok: true, runAs: daemon });
    expect(new ScriptPolicy({ enable_script_security: true, script_user: null }, accounts, daemon).permit(['true'])).toMatchObject({ ok: true, runAs: daemon });
    expect(new ScriptPolicy({ enable_script_security: false, script_user: { user: 'nobody', group: null } }, accounts, daemon).permit(['true'])).toMatchObject({
      ok: true,
      runAs: { uid: 65534, gid: 65534 },
    });
  });

  it('says when a command is nowhere on its PATH', () => {
    expect(new ScriptPolicy({ enable_script_security: false, script_user: null }, accounts, ROOT).permit(['no-such-command-kvw'])).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^no-such-command-kvw not found in \/usr\/sbin/),
    });
  });
});
