import { accessSync, constants, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { GlobalDefs, ScriptUser } from '../config/model.js';
import { fileFacts } from '../linux/script-runner.js';
import { checkScriptSecurity, type RunAs } from '../scripts/security.js';
import { SCRIPT_ENV } from './script-env.js';

export type ScriptPermit = { readonly ok: true; readonly argv: readonly string[]; readonly runAs: RunAs } | { readonly ok: false; readonly reason: string };

/** Names and ids from /etc/passwd and /etc/group, for script_user and for messages. */
export interface Accounts {
  user(name: string): { uid: number; gid: number } | undefined;
  group(name: string): number | undefined;
  userName(uid: number): string;
  groupName(gid: number): string;
}

/**
 * Who scripts run as and whether they may run, judged before every run (keepalived judges only
 * at start-up, so a script made writable later still runs as root there). With
 * `enable_script_security` they run as `script_user`, else `keepalived_script` if that user
 * exists, else `nobody`, and a script root would run must not be replaceable by anyone else.
 * A daemon that is not root (keepalived-ts-nonroot.service) cannot switch users, so unless
 * script_user names someone, its scripts run as itself.
 */
export class ScriptPolicy {
  private readonly runAs: RunAs;

  constructor(
    private readonly global: Pick<GlobalDefs, 'enable_script_security' | 'script_user'>,
    private readonly accounts: Accounts = systemAccounts(),
    private readonly self: RunAs = { uid: process.geteuid?.() ?? 0, gid: process.getegid?.() ?? 0 },
  ) {
    this.runAs = this.defaultRunAs();
  }

  private defaultRunAs(): RunAs {
    const configured = this.global.script_user;
    if (!configured && this.self.uid !== 0) return this.self;
    const name = configured?.user ?? (this.global.enable_script_security ? (this.accounts.user('keepalived_script') ? 'keepalived_script' : 'nobody') : 'root');
    const user = this.accounts.user(name) ?? { uid: 0, gid: 0 };
    const gid = configured?.group ? (this.accounts.group(configured.group) ?? user.gid) : user.gid;
    return { uid: user.uid, gid };
  }

  /** `user`: a script's own `user USER [GROUP]` (MISC_CHECK), in place of the global one. */
  permit(argv: readonly string[], user: ScriptUser | null = null): ScriptPermit {
    const [command, ...args] = argv;
    if (command === undefined) return { ok: false, reason: 'empty script line' };
    const path = resolveCommand(command);
    if (path === undefined) return { ok: false, reason: `${command} not found in ${SCRIPT_ENV.PATH}` };
    const runAs = user === null ? this.runAs : this.ownRunAs(user);
    if (typeof runAs === 'string') return { ok: false, reason: runAs };
    if (this.global.enable_script_security) {
      const verdict = checkScriptSecurity(path, runAs, fileFacts, { user: (u) => this.accounts.userName(u), group: (g) => this.accounts.groupName(g) });
      if (!verdict.ok) return { ok: false, reason: verdict.reason };
    }
    return { ok: true, argv: [path, ...args], runAs };
  }

  /** The credentials of `user USER [GROUP]`, or why there are none. */
  private ownRunAs(user: ScriptUser): RunAs | string {
    const found = this.accounts.user(user.user);
    if (!found) return `user ${user.user} does not exist`;
    if (user.group === null) return found;
    const gid = this.accounts.group(user.group);
    return gid === undefined ? `group ${user.group} does not exist` : { uid: found.uid, gid };
  }
}

function resolveCommand(command: string): string | undefined {
  if (isAbsolute(command)) return command;
  for (const dir of (SCRIPT_ENV.PATH ?? '').split(':')) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function table(path: string): string[][] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(':'));
  } catch {
    return [];
  }
}

export function systemAccounts(): Accounts {
  const passwd = table('/etc/passwd');
  const groups = table('/etc/group');
  return {
    user: (name) => {
      const row = passwd.find((r) => r[0] === name);
      return row ? { uid: Number(row[2]), gid: Number(row[3]) } : undefined;
    },
    group: (name) => {
      const row = groups.find((r) => r[0] === name);
      return row ? Number(row[2]) : undefined;
    },
    userName: (uid) => passwd.find((r) => Number(r[2]) === uid)?.[0] ?? `uid ${uid}`,
    groupName: (gid) => groups.find((r) => Number(r[2]) === gid)?.[0] ?? `gid ${gid}`,
  };
}
