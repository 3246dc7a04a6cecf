/**
 * The lines keepalived logs when a checker of the single-target types (everything but
 * HTTP_GET/SSL_GET) succeeds, fails while up, or goes down, word for word per type, because
 * operators grep for them: check_tcp.c tcp_epilog(), check_udp.c udp_check_thread() and
 * udp_epilog(), check_ping.c icmp_check_thread() and icmp_epilog(), check_smtp.c smtp_final(),
 * check_dns.c dns_final(), check_misc.c misc_check_child_thread(), and track_file.c
 * process_update_checker_track_file_status() for FILE_CHECK (lines keepalived writes with -D).
 *
 * A text naming the virtual server carries VS_PLACEHOLDER: a check shared by several virtual
 * servers is logged once for each of them by the service.
 */

/** Replaced with FMT_VS of each virtual server the check serves. */
export const VS_PLACEHOLDER = '{vs}';

export interface FailureContext {
  /** FMT_CHK: the real server as `[ip]:tcp:port`. */
  readonly label: string;
  /** What the probe said, in keepalived's words where it has them. */
  readonly reason: string;
  /** `retry` as configured. */
  readonly retry: number;
  /** Whether the checker had a verdict before (has_run). */
  readonly hasRun: boolean;
  /** MISC_CHECK: the number of this failure in a row (1 for the scheduled check, then each retry). */
  readonly attempt: number;
  /** MISC_CHECK: the script (args[0]); FILE_CHECK: the tracked file. */
  readonly source: string;
}

export interface CheckerTexts {
  /** The line when the checker comes up (or is up at its first check), or null when keepalived writes none. */
  success(label: string, source: string, firstRun: boolean): string | null;
  /** With log_all_failures: a failure while up that is retried or is the last. */
  eachFailure(c: FailureContext): string | null;
  /** The failure that takes the checker down (also its first failure). */
  down(c: FailureContext): string | null;
  /**
   * Whether the log_all_failures line is written for the failure that takes it down too
   * (TCP, UDP and PING log it in their check thread before the epilog; the others log one line).
   */
  readonly eachFailureBeforeDown: boolean;
}

const retries = (c: FailureContext): string => (c.retry && c.hasRun ? ` failed after ${c.retry} retries.` : ' failed.');

/** tcp_epilog(): "TCP connection to … timeout.|failed." with log_all_failures. */
const TCP: CheckerTexts = {
  success: (label) => `TCP connection to ${label} success.`,
  eachFailure: (c) => `TCP connection to ${c.label} ${c.reason}.`,
  down: (c) => `TCP_CHECK on service ${c.label}${retries(c)}`,
  eachFailureBeforeDown: true,
};

/** udp_check_thread(): a reply that does not match (or is out of length) is a "reply data mismatch". */
const UDP: CheckerTexts = {
  success: (label) => `UDP connection to ${label} success.`,
  eachFailure: (c) => (c.reason.startsWith('reply') ? `UDP check to ${c.label} reply data mismatch.` : `UDP connection to ${c.label} failed.`),
  down: (c) => `UDP_CHECK on service ${c.label}${retries(c)}`,
  eachFailureBeforeDown: true,
};

/** icmp_epilog(): keepalived names the virtual server only in the "after N retries" line. */
const PING: CheckerTexts = {
  success: (label) => `ICMP connection to ${label} success.`,
  eachFailure: (c) => (c.reason.includes('timeout') ? `ICMP connection to address ${c.label} timeout.` : `ICMP connection to ${c.label} of ${VS_PLACEHOLDER} failed.`),
  down: (c) => (c.retry && c.hasRun ? `ICMP CHECK on service ${c.label} of ${VS_PLACEHOLDER} failed after ${c.retry} retries.` : `ICMP CHECK on service ${c.label} failed.`),
  eachFailureBeforeDown: true,
};

/** smtp_final(): the reason itself, behind "SMTP_CHECK ", is the failure line. */
const SMTP: CheckerTexts = {
  success: (label) => `Remote SMTP server ${label} succeed on service.`,
  eachFailure: (c) => `SMTP_CHECK ${c.reason}`,
  down: (c) => `SMTP_CHECK ${c.reason}`,
  eachFailureBeforeDown: false,
};

/** dns_final(): "DNS_CHECK (rs) reason", with " after N retries" once retries are spent; a success is not logged. */
const DNS: CheckerTexts = {
  success: () => null,
  eachFailure: (c) => `DNS_CHECK (${c.label}) ${c.reason}`,
  down: (c) => `DNS_CHECK (${c.label}) ${c.reason}${c.hasRun ? ` after ${c.retry} retries` : ''}`,
  eachFailureBeforeDown: false,
};

/**
 * misc_check_child_thread(): "Misc check for [rs VS vs] by [script] <how><retries>[ (<why> <n>)]."
 * The prober's reason is keepalived's words: "timed out", "failed (exited with status 1)".
 */
function miscLine(c: FailureContext, retriesText: string): string {
  const m = /^(.*?)(?: \((.*) (-?\d+)\))?$/.exec(c.reason);
  const how = m?.[1] ?? c.reason;
  const why = m?.[2] !== undefined ? ` (${m[2]} ${m[3]})` : '';
  return `Misc check for [${c.label} VS ${VS_PLACEHOLDER}] by [${c.source}] ${how}${retriesText}${why}.`;
}
const plural = (n: number): string => (n === 1 ? 'retry' : 'retries');
const MISC: CheckerTexts = {
  success: (label, source) => `Misc check for [${label} VS ${VS_PLACEHOLDER}] by [${source}] succeeded.`,
  eachFailure: (c) => {
    if (!c.retry) return miscLine(c, ' with retry disabled');
    if (c.attempt === 1) return miscLine(c, `, will do ${c.retry} ${plural(c.retry)}`);
    return miscLine(c, ` on retry ${c.attempt - 1}/${c.retry}`);
  },
  down: (c) => miscLine(c, c.retry ? ` after ${c.retry} ${plural(c.retry)}` : ' with retry disabled'),
  eachFailureBeforeDown: false,
};

/** process_update_checker_track_file_status(): only the changes into and out of FAULT are logged. */
const FILE: CheckerTexts = {
  success: (label, source, firstRun) => (firstRun ? null : `(${label}): tracked file ${source} leaving FAULT state`),
  eachFailure: () => null,
  down: (c) => `(${c.label}): tracked file ${c.source} now FAULT state`,
  eachFailureBeforeDown: false,
};

const BY_CHECK_NAME: Readonly<Record<string, CheckerTexts>> = {
  TCP_CHECK: TCP,
  UDP_CHECK: UDP,
  PING_CHECK: PING,
  SMTP_CHECK: SMTP,
  DNS_CHECK: DNS,
  MISC_CHECK: MISC,
  FILE_CHECK: FILE,
};

/** The texts of a check by its name in keepalived's lines; TCP's for any other. */
export function checkerTexts(checkName: string): CheckerTexts {
  return BY_CHECK_NAME[checkName] ?? TCP;
}
