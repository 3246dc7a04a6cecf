import type { RejectCode } from '../vrrp/reject.js';

/**
 * keepalived's per-instance VRRP statistics (vrrp_stats in keepalived's vrrp.h), under its own
 * field names, in the order vrrp_json.c writes them: the stats file, the JSON dump and the
 * exporters built on them all read these.
 */
export const KEEPALIVED_STAT_FIELDS = [
  'advert_rcvd',
  'advert_sent',
  'become_master',
  'release_master',
  'packet_len_err',
  'advert_interval_err',
  'ip_ttl_err',
  'invalid_type_rcvd',
  'addr_list_err',
  'invalid_authtype',
  'authtype_mismatch',
  'auth_failure',
  'pri_zero_rcvd',
  'pri_zero_sent',
] as const;

export type KeepalivedStat = (typeof KEEPALIVED_STAT_FIELDS)[number];
export type InstanceStats = Record<KeepalivedStat, number>;

/**
 * Which of keepalived's error counters a drop for a known instance adds to (keepalived's
 * vrrp_check_packet). Drops with no counter of keepalived's are still counted by reason in the
 * service's `drops`.
 */
const STAT_OF_REJECT: Partial<Record<RejectCode, KeepalivedStat>> = {
  'bad-ttl': 'ip_ttl_err',
  'interval-mismatch': 'advert_interval_err',
  'address-list-mismatch': 'addr_list_err',
  'auth-type-mismatch': 'authtype_mismatch',
  'auth-mismatch': 'auth_failure',
};

export function zeroStats(): InstanceStats {
  return Object.fromEntries(KEEPALIVED_STAT_FIELDS.map((f) => [f, 0])) as InstanceStats;
}

export function statOfReject(code: RejectCode): KeepalivedStat | undefined {
  return STAT_OF_REJECT[code];
}
