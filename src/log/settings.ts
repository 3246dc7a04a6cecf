import { isAbsolute, join } from 'node:path';
import { DEFAULT_FACILITY, parseFacility } from './levels.js';

/** Where log lines go, from keepalived's logging flags. */
export interface LogSettings {
  /** Not -G: journald when our stdout or stderr is the journal, else JSON lines on stdout. */
  readonly syslog: boolean;
  /** -l: keepalived's console lines on stderr. */
  readonly console: boolean;
  /** -g[FILE]: keepalived's file lines appended to this path. */
  readonly file?: string;
  /** -S: the syslog facility number journald records. */
  readonly facility: number;
  /** -D: debug (each advert dropped, each script run); otherwise info. */
  readonly level: 'info' | 'debug';
}

/** The flags as the command line parser returns them (long name → `true` or the argument). */
type Flags = ReadonlyMap<string, string | true>;

/**
 * keepalived's reading of -l, -G, -g, -S, -D (main.c parse_cmdline(), lib/logger.c): -g alone
 * names `keepalived.log`, and a relative name lives in $TMPDIR when that is absolute, else /tmp
 * (make_file_name()). We are one process, so the file takes no `_vrrp` suffix.
 */
export function logSettings(flags: Flags, env: NodeJS.ProcessEnv = process.env): LogSettings {
  const facilityFlag = flags.get('log-facility');
  const fileFlag = flags.get('log-file');
  const tmp = env.TMPDIR !== undefined && isAbsolute(env.TMPDIR) ? env.TMPDIR : '/tmp';
  const name = fileFlag === true ? 'keepalived.log' : fileFlag;
  return {
    syslog: !flags.has('no-syslog'),
    console: flags.has('log-console'),
    ...(name !== undefined ? { file: isAbsolute(name) ? name : join(tmp, name) } : {}),
    facility: (typeof facilityFlag === 'string' ? parseFacility(facilityFlag) : undefined) ?? DEFAULT_FACILITY,
    level: flags.has('log-detail') ? 'debug' : 'info',
  };
}
