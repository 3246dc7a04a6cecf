/**
 * The syslog identifiers keepalived's processes log under (open_syslog() in each child's
 * start-up), which operators already filter on: `journalctl -t Keepalived_vrrp`. We are one
 * process, so a log record names its service (`log.child({ service: 'vrrp' })`) and the
 * identifier follows from that.
 */
const BY_SERVICE: Readonly<Record<string, string>> = {
  vrrp: 'Keepalived_vrrp',
  checkers: 'Keepalived_healthcheckers',
  lvs: 'Keepalived_healthcheckers',
};

/** The parent process's identifier, for everything not owned by a service. */
export const PARENT_IDENTIFIER = 'Keepalived';

export function syslogIdentifier(service: unknown): string {
  return (typeof service === 'string' ? BY_SERVICE[service] : undefined) ?? PARENT_IDENTIFIER;
}
