import type { InstanceStats } from '../vrrp-stats.js';

/**
 * /tmp/keepalived.stats as keepalived's vrrp_print_stats (vrrp_print.c) writes it: one block a
 * VRRP instance, sections ending in ':' and `key: value` lines, the layout keepalived-exporter
 * parses. A build with VRRP authentication (Debian's) has the Type Mismatch and Failure lines.
 */
export function formatStatsFile(instances: readonly { readonly name: string; readonly stats: InstanceStats }[]): string {
  return instances
    .map(({ name, stats: s }) =>
      [
        `VRRP Instance: ${name}`,
        '  Advertisements:',
        `    Received: ${s.advert_rcvd}`,
        `    Sent: ${s.advert_sent}`,
        `  Became master: ${s.become_master}`,
        `  Released master: ${s.release_master}`,
        '  Packet Errors:',
        `    Length: ${s.packet_len_err}`,
        `    TTL: ${s.ip_ttl_err}`,
        `    Invalid Type: ${s.invalid_type_rcvd}`,
        `    Advertisement Interval: ${s.advert_interval_err}`,
        `    Address List: ${s.addr_list_err}`,
        '  Authentication Errors:',
        `    Invalid Type: ${s.invalid_authtype}`,
        `    Type Mismatch: ${s.authtype_mismatch}`,
        `    Failure: ${s.auth_failure}`,
        '  Priority Zero:',
        `    Received: ${s.pri_zero_rcvd}`,
        `    Sent: ${s.pri_zero_sent}`,
        '',
      ].join('\n'),
    )
    .join('');
}
