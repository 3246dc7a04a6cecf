import { posix } from 'node:path';

export interface FileFacts {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  readonly isFile: boolean;
}

/** How the script would run: its credentials decide whether it needs protecting at all. */
export interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

export type ScriptVerdict =
  { readonly ok: true; readonly needsProtection: boolean } | { readonly ok: false; readonly code: 'ERR_SCRIPT_INSECURE' | 'ERR_SCRIPT_NOT_FOUND'; readonly path: string; readonly reason: string };

const S_ISUID = 0o4000;
const S_ISGID = 0o2000;
const S_ISVTX = 0o1000;
const S_IXUSR = 0o100;
const S_IXGRP = 0o010;
const S_IWGRP = 0o020;
const S_IWOTH = 0o002;

/**
 * keepalived's rule for `enable_script_security`: a script that runs with root's user or
 * group (or is set-uid/gid root) must not be replaceable by anyone else, so the file and every
 * directory above it must be owned by root, and writable by neither a non-root group nor the
 * world (a sticky directory such as /tmp is tolerated for the directories). Unlike keepalived,
 * the verdict names the path and who could change it, and callers check before every run.
 */
export function checkScriptSecurity(
  file: string,
  runAs: RunAs,
  stat: (path: string) => FileFacts | undefined,
  names: { user(uid: number): string; group(gid: number): string } = { user: (u) => `uid ${u}`, group: (g) => `gid ${g}` },
): ScriptVerdict {
  const target = stat(file);
  if (!target) return { ok: false, code: 'ERR_SCRIPT_NOT_FOUND', path: file, reason: `${file} does not exist` };
  const rootOwned = (bit: number, idIsRoot: boolean, exec: number) => idIsRoot && (target.mode & exec) !== 0 && (target.mode & bit) !== 0;
  const needsProtection = runAs.uid === 0 || runAs.gid === 0 || rootOwned(S_ISUID, target.uid === 0, S_IXUSR) || rootOwned(S_ISGID, target.gid === 0, S_IXGRP);
  if (!needsProtection) return { ok: true, needsProtection };

  for (const path of ancestry(file)) {
    const facts = path === file ? target : stat(path);
    if (!facts) return { ok: false, code: 'ERR_SCRIPT_NOT_FOUND', path, reason: `${path} does not exist` };
    const why = writableBy(facts, names);
    if (why) {
      return { ok: false, code: 'ERR_SCRIPT_INSECURE', path, reason: `${path} ${why}, so it could replace a script that runs as root` };
    }
  }
  return { ok: true, needsProtection };
}

/** `/`, `/etc`, `/etc/keepalived`, `/etc/keepalived/notify.sh` for that file. */
function ancestry(file: string): string[] {
  const normal = posix.normalize(file);
  const parts = normal.split('/').filter(Boolean);
  return ['/', ...parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`)];
}

function writableBy(f: FileFacts, names: { user(uid: number): string; group(gid: number): string }): string | undefined {
  if (f.uid !== 0) return `is owned by ${names.user(f.uid)}`;
  const stickyDirectory = !f.isFile && (f.mode & S_ISVTX) !== 0;
  if (stickyDirectory) return undefined;
  if (f.gid !== 0 && (f.mode & S_IWGRP) !== 0) return `is writable by group ${names.group(f.gid)}`;
  if ((f.mode & S_IWOTH) !== 0) return 'is writable by everyone';
  return undefined;
}
