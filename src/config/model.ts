/**
 * The validated configuration: what keepalived-ts acts on, with every default filled in.
 * Field names are keepalived's canonical keyword names, durations are seconds, and each named
 * object keeps the position of the line that declared it (`pos`, dropped by the JSON dump).
 */
import type { SourcePos } from './ast.js';

/** A value of a keyword keepalived-ts reads but does not act on yet, as written. */
export type PlainValue = string | number | boolean | null | readonly string[];

export interface ScriptUser {
  readonly user: string;
  readonly group: string | null;
}

export interface Fifo {
  readonly path: string;
  readonly user: string | null;
  readonly group: string | null;
}

export interface GlobalDefs {
  readonly router_id: string | null;
  readonly notification_email: readonly string[];
  readonly notification_email_from: string | null;
  readonly smtp_server: { readonly ip: string; readonly port: number } | null;
  readonly smtp_connect_timeout: number;
  readonly smtp_alert: boolean | null;
  readonly smtp_alert_vrrp: boolean | null;
  readonly smtp_alert_checker: boolean | null;
  readonly checker_log_all_failures: boolean;
  readonly default_interface: string;
  readonly lvs_flush: boolean;
  readonly lvs_flush_on_stop: 'disabled' | 'VS' | 'full';
  /** `tcp N tcpfin N udp N` as written (src/lvs reads them). */
  readonly lvs_timeouts: readonly string[] | null;
  /** `INTERFACE VRRP_INSTANCE [id N] [maxlen N] [port N] [ttl N] [group IP]` as written (src/lvs reads them). */
  readonly lvs_sync_daemon: readonly string[] | null;
  readonly vrrp_mcast_group4: string;
  readonly vrrp_mcast_group6: string;
  readonly vrrp_garp_master_delay: number;
  readonly vrrp_garp_master_repeat: number;
  readonly vrrp_garp_master_refresh: number;
  readonly vrrp_garp_master_refresh_repeat: number;
  readonly vrrp_garp_lower_prio_delay: number;
  readonly vrrp_garp_lower_prio_repeat: number;
  readonly vrrp_down_timer_adverts: number;
  readonly vrrp_version: 2 | 3;
  readonly vrrp_check_unicast_src: boolean;
  readonly vrrp_skip_check_adv_addr: boolean;
  readonly vrrp_strict: boolean;
  readonly vrrp_lower_prio_no_advert: boolean;
  readonly vrrp_higher_prio_send_advert: boolean;
  readonly vrrp_notify_priority_changes: boolean;
  readonly vrrp_owner_ignore_adverts: boolean;
  readonly vrrp_startup_delay: number;
  readonly notify_fifo: Fifo | null;
  readonly notify_fifo_script: string | null;
  readonly vrrp_notify_fifo: Fifo | null;
  readonly vrrp_notify_fifo_script: string | null;
  readonly lvs_notify_fifo: Fifo | null;
  readonly lvs_notify_fifo_script: string | null;
  /** Where SIGUSR1, SIGUSR2 and SIGJSON write their files; null: $TMPDIR or /tmp (src/daemon/dump-paths.ts). */
  readonly state_dump_file: string | null;
  readonly stats_dump_file: string | null;
  readonly json_dump_file: string | null;
  readonly script_user: ScriptUser | null;
  readonly enable_script_security: boolean;
  /** Keywords given that keepalived-ts accepts but does not act on yet, by canonical name. */
  readonly other: Readonly<Record<string, PlainValue>>;
}

export interface VrrpScript {
  readonly name: string;
  readonly pos: SourcePos;
  readonly script: string | null;
  readonly interval: number;
  readonly timeout: number;
  readonly weight: number;
  readonly weight_reverse: boolean;
  readonly rise: number;
  readonly fall: number;
  readonly user: ScriptUser | null;
  readonly init_fail: boolean;
}

export interface TrackFile {
  readonly name: string;
  readonly pos: SourcePos;
  readonly file: string | null;
  readonly weight: number;
  readonly weight_reverse: boolean;
  readonly init_file: { readonly value: number; readonly overwrite: boolean } | null;
}

/** A track_interface / track_script / track_file line in an instance or sync group. */
export interface Tracked {
  readonly name: string;
  readonly pos: SourcePos;
  /** Absent: the tracked object's own weight applies (or, for interfaces, FAULT on failure). */
  readonly weight: number | null;
  readonly reverse: boolean;
}

export interface Notify {
  readonly notify_master: string | null;
  readonly notify_backup: string | null;
  readonly notify_fault: string | null;
  readonly notify_stop: string | null;
  readonly notify: string | null;
}

export interface VrrpSyncGroup extends Notify {
  readonly name: string;
  readonly pos: SourcePos;
  readonly group: readonly string[];
  readonly track_interface: readonly Tracked[];
  readonly track_script: readonly Tracked[];
  readonly track_file: readonly Tracked[];
  readonly smtp_alert: boolean;
  readonly sync_group_tracking_weight: boolean;
  readonly notify_priority_changes: boolean | null;
  /** Where each member and keyword was written, for diagnostics (not dumped). */
  readonly at: Readonly<Record<string, SourcePos>>;
}

export interface VirtualIp {
  readonly pos: SourcePos;
  readonly ip: string;
  readonly prefix: number;
  readonly family: 4 | 6;
  readonly dev: string | null;
  readonly brd: string | null;
  readonly scope: string | null;
  readonly label: string | null;
  readonly peer: string | null;
  readonly no_track: boolean;
  /** Other options of the line (home, -nodad, noprefixroute, autojoin, preferred_lft ...). */
  readonly options: Readonly<Record<string, string | true>>;
}

/** A virtual_routes/virtual_rules line: the destination or selector plus its options. */
export interface RouteOrRule {
  readonly pos: SourcePos;
  readonly text: string;
  readonly options: Readonly<Record<string, string | true>>;
}

export interface UnicastPeer {
  readonly pos: SourcePos;
  readonly ip: string;
  readonly min_ttl: number | null;
  readonly max_ttl: number | null;
}

export interface VrrpAuthentication {
  readonly auth_type: 'PASS' | 'AH';
  readonly auth_pass: string;
}

export interface VrrpInstance extends Notify {
  readonly name: string;
  readonly pos: SourcePos;
  readonly state: 'MASTER' | 'BACKUP';
  readonly interface: string;
  readonly virtual_router_id: number | null;
  readonly priority: number;
  readonly advert_int: number;
  readonly version: 2 | 3;
  readonly family: 4 | 6;
  readonly virtual_ipaddress: readonly VirtualIp[];
  readonly virtual_ipaddress_excluded: readonly VirtualIp[];
  readonly virtual_routes: readonly RouteOrRule[];
  readonly virtual_rules: readonly RouteOrRule[];
  readonly unicast_peer: readonly UnicastPeer[];
  readonly unicast_src_ip: string | null;
  readonly mcast_src_ip: string | null;
  readonly mcast_dst_ip: string;
  readonly unicast_ttl: number;
  readonly unicast_fault_no_peer: boolean;
  readonly check_unicast_src: boolean;
  readonly authentication: VrrpAuthentication | null;
  readonly track_interface: readonly Tracked[];
  readonly track_script: readonly Tracked[];
  readonly track_file: readonly Tracked[];
  readonly dont_track_primary: boolean;
  readonly nopreempt: boolean;
  readonly preempt_delay: number;
  readonly accept: boolean;
  readonly strict_mode: boolean;
  readonly skip_check_adv_addr: boolean;
  readonly notify_deleted: string | null;
  readonly notify_master_rx_lower_pri: string | null;
  readonly smtp_alert: boolean;
  readonly notify_priority_changes: boolean;
  readonly garp_master_delay: number;
  readonly garp_master_repeat: number;
  readonly garp_master_refresh: number;
  readonly garp_master_refresh_repeat: number;
  readonly garp_lower_prio_delay: number;
  readonly garp_lower_prio_repeat: number;
  readonly down_timer_adverts: number;
  readonly lower_prio_no_advert: boolean;
  readonly higher_prio_send_advert: boolean;
  readonly owner_ignore_adverts: boolean;
  /** The sync group the instance belongs to, if any. */
  readonly sync_group: string | null;
  /** Where each keyword given in the block stands, for diagnostics (not dumped). */
  readonly at: Readonly<Record<string, SourcePos>>;
  readonly other: Readonly<Record<string, PlainValue>>;
}

export type VsgEntry = { readonly pos: SourcePos; readonly ip: string; readonly range_end: string | null; readonly port: number } | { readonly pos: SourcePos; readonly fwmark: number };

export interface VirtualServerGroup {
  readonly name: string;
  readonly pos: SourcePos;
  readonly entries: readonly VsgEntry[];
}

export type CheckerType = 'HTTP_GET' | 'SSL_GET' | 'TCP_CHECK' | 'SMTP_CHECK' | 'DNS_CHECK' | 'MISC_CHECK' | 'FILE_CHECK' | 'PING_CHECK' | 'UDP_CHECK' | 'BFD_CHECK';

/** Settings every checker ends up with once inherited values and defaults are applied. */
export interface CheckerTiming {
  readonly retry: number;
  readonly delay_before_retry: number;
  readonly warmup: number;
  readonly delay_loop: number;
  readonly alpha: boolean;
  readonly log_all_failures: boolean;
}

export interface Connection {
  readonly connect_ip: string;
  /** 0 when neither the checker nor the real server names a port. */
  readonly connect_port: number;
  readonly bindto: string | null;
  readonly bind_port: number | null;
  readonly bind_if: string | null;
  readonly connect_timeout: number;
  readonly fwmark: number | null;
}

export interface HttpUrl {
  readonly pos: SourcePos;
  readonly path: string | null;
  readonly digest: string | null;
  /** Inclusive ranges of accepted status codes. */
  readonly status_code: readonly (readonly [number, number])[];
  readonly virtualhost: string | null;
  readonly regex: string | null;
  readonly regex_no_match: boolean;
  /** Body offsets a regex match must start at or after, and before (0: no bound). */
  readonly regex_min_offset: number;
  readonly regex_max_offset: number;
}

export type Checker = CheckerTiming & { readonly pos: SourcePos } & (
    | ({ readonly type: 'HTTP_GET' | 'SSL_GET' } & Connection & {
          readonly virtualhost: string | null;
          readonly http_protocol: string;
          readonly url: readonly HttpUrl[];
          /** Check at once, not after delay_loop, while down with no failure known (check_http.c epilog()). */
          readonly fast_recovery: boolean;
          /** SSL_GET sends SNI: sni_name, else the url's virtualhost (check_ssl.c ssl_connect()). */
          readonly enable_sni: boolean;
          readonly sni_name: string | null;
        })
    | ({ readonly type: 'TCP_CHECK' | 'PING_CHECK' } & Connection)
    | ({ readonly type: 'SMTP_CHECK' } & Connection & { readonly helo_name: string | null })
    | ({ readonly type: 'DNS_CHECK' } & Connection & { readonly query_type: string; readonly name: string })
    | ({ readonly type: 'UDP_CHECK' } & Connection & {
          readonly payload: string | null;
          readonly require_reply: string | boolean;
          readonly min_reply_length: number;
          readonly max_reply_length: number;
        })
    | {
        readonly type: 'MISC_CHECK';
        readonly misc_path: string | null;
        readonly misc_timeout: number;
        readonly misc_dynamic: boolean;
        readonly user: ScriptUser | null;
      }
    | {
        readonly type: 'FILE_CHECK';
        readonly track_file: string | null;
        /** null when the checker names none: the track_file block's weight and reverse apply (check_file.c file_end_handler). */
        readonly weight: number | null;
        readonly weight_reverse: boolean;
      }
    | { readonly type: 'BFD_CHECK'; readonly name: string | null }
  );

/** `lvs_method TUN type gue port 6080 csum`: the tunnel a TUN server is reached through. */
export interface TunnelOptions {
  readonly type: 'ipip' | 'gue' | 'gre';
  /** The gue port; 0 for the other types. */
  readonly port: number;
  readonly csum: 'nocsum' | 'csum' | 'remcsum';
}

export interface RealServer {
  readonly pos: SourcePos;
  readonly ip: string;
  readonly port: number;
  readonly weight: number;
  readonly lvs_method: 'NAT' | 'DR' | 'TUN';
  /** Its own options after `lvs_method TUN`, or the virtual server's when it has no lvs_method; absent unless TUN. */
  readonly tunnel?: TunnelOptions;
  readonly uthreshold: number;
  readonly lthreshold: number;
  readonly inhibit_on_failure: boolean;
  readonly notify_up: string | null;
  readonly notify_down: string | null;
  readonly smtp_alert: boolean;
  readonly checkers: readonly Checker[];
}

export type VirtualServerAddress = { readonly ip: string; readonly port: number } | { readonly fwmark: number } | { readonly group: string };

export type VirtualServer = VirtualServerAddress & {
  readonly pos: SourcePos;
  /** null for fwmark services, where IPVS has no protocol. */
  readonly protocol: 'TCP' | 'UDP' | 'SCTP' | null;
  readonly lvs_sched: string;
  readonly lvs_method: 'NAT' | 'DR' | 'TUN';
  /** The options after `lvs_method TUN`; absent unless TUN. */
  readonly tunnel?: TunnelOptions;
  readonly lvs_flags: readonly string[];
  readonly persistence_timeout: number | null;
  readonly persistence_granularity: string | null;
  readonly persistence_engine: string | null;
  readonly delay_loop: number;
  readonly connect_timeout: number;
  readonly inhibit_on_failure: boolean;
  readonly ha_suspend: boolean;
  readonly alpha: boolean;
  readonly omega: boolean;
  readonly quorum: number;
  readonly hysteresis: number;
  readonly quorum_up: string | null;
  readonly quorum_down: string | null;
  readonly virtualhost: string | null;
  readonly smtp_alert: boolean;
  readonly sorry_server: { readonly ip: string; readonly port: number } | null;
  readonly sorry_server_inhibit: boolean;
  readonly sorry_server_lvs_method: 'NAT' | 'DR' | 'TUN';
  /** The sorry server's tunnel: after `sorry_server_lvs_method TUN`, else the virtual server's; absent unless TUN. */
  readonly sorry_server_tunnel?: TunnelOptions;
  readonly real_servers: readonly RealServer[];
  readonly other: Readonly<Record<string, PlainValue>>;
};

/** The top-level SSL block: files SSL_GET checkers use (check_ssl.c init_ssl_ctx()). */
export interface SslSettings {
  readonly password: string | null;
  readonly ca: string | null;
  readonly certificate: string | null;
  readonly key: string | null;
}

export interface KeepalivedConfig {
  readonly global_defs: GlobalDefs;
  /** The SSL block; absent when the configuration has none. */
  readonly ssl?: SslSettings;
  readonly vrrp_scripts: readonly VrrpScript[];
  readonly track_files: readonly TrackFile[];
  readonly vrrp_sync_groups: readonly VrrpSyncGroup[];
  readonly vrrp_instances: readonly VrrpInstance[];
  readonly virtual_server_groups: readonly VirtualServerGroup[];
  readonly virtual_servers: readonly VirtualServer[];
  /** Top-level blocks and keywords keepalived-ts accepts but does not act on yet. */
  readonly other: Readonly<Record<string, PlainValue>>;
}
