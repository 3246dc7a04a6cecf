/**
 * syslog(3) priorities and facilities, as journald's PRIORITY= and SYSLOG_FACILITY= fields and
 * a stream line's `<N>` prefix (systemd.exec(5) SyslogLevelPrefix=) take them.
 */

/** LOG_CRIT .. LOG_DEBUG from <syslog.h>. */
export const PRIORITY = { crit: 2, err: 3, warning: 4, notice: 5, info: 6, debug: 7 } as const;

/** pino's levels (trace 10 … fatal 60) onto syslog priorities: warn → 4, error → 3, fatal → 2. */
export function syslogPriority(pinoLevel: number): number {
  if (pinoLevel >= 60) return PRIORITY.crit;
  if (pinoLevel >= 50) return PRIORITY.err;
  if (pinoLevel >= 40) return PRIORITY.warning;
  if (pinoLevel >= 30) return PRIORITY.info;
  return PRIORITY.debug;
}

/** LOG_USER, LOG_DAEMON and LOG_LOCAL0 as facility numbers (the <syslog.h> value >> 3). */
const USER = 1;
const DAEMON = 3;
const LOCAL0 = 16;

/** keepalived's default facility. */
export const DEFAULT_FACILITY = DAEMON;

/**
 * The facility `-S` names, read as keepalived's main.c reads it: `0`..`7` and `local0`..`local7`
 * are local0..local7; `user` and `daemon` by name. Undefined for anything else.
 */
export function parseFacility(text: string): number | undefined {
  const local = /^(?:local)?([0-7])$/.exec(text);
  if (local) return LOCAL0 + Number(local[1]);
  if (text === 'user') return USER;
  if (text === 'daemon') return DAEMON;
  return undefined;
}
