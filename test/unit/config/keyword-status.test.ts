/**
 * Keeps the `status` column of the keyword table (and so docs/configuration.md) honest.
 *
 * The claim: a keyword is `acted-on` only when the running daemon reads it. ACTED_ON below says,
 * for each such row, how: the model field a runtime module reads, the acted-on keyword whose
 * default it sets, or the parser itself. The test fails when a row is flipped to `acted-on`
 * without saying how here, when a row listed here is not `acted-on`, and when no runtime module
 * (src/ outside config/, cli/ and lab/) mentions the field at all. The last check is a tripwire,
 * not a proof (`.priority` is read in many places); the list is the reviewed claim.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeywordSpec } from '../../../src/config/keyword-spec.js';
import { KEYWORDS } from '../../../src/config/keywords.js';
import { analyzeText } from './statements.js';

type HowRead = { readonly field: string } | { readonly defaultOf: string } | { readonly by: 'parser' };

const f = (field: string): HowRead => ({ field });
const defaultOf = (row: string): HowRead => ({ defaultOf: row });

/** `BLOCK KEYWORD` of every acted-on row, and how the runtime reads it. */
const ACTED_ON: Readonly<Record<string, HowRead>> = {
  '* include': { by: 'parser' },
  'root global_defs': f('global_defs'),
  'root vrrp_sync_group': f('vrrp_sync_groups'),
  'root vrrp_instance': f('vrrp_instances'),
  'root vrrp_script': f('vrrp_scripts'),

  'global_defs default_interface': defaultOf('vrrp_instance interface'),
  'global_defs vrrp_mcast_group4': defaultOf('vrrp_instance mcast_dst_ip'),
  'global_defs vrrp_mcast_group6': defaultOf('vrrp_instance mcast_dst_ip'),
  'global_defs vrrp_garp_master_delay': defaultOf('vrrp_instance garp_master_delay'),
  'global_defs vrrp_garp_master_repeat': defaultOf('vrrp_instance garp_master_repeat'),
  'global_defs vrrp_garp_master_refresh': defaultOf('vrrp_instance garp_master_refresh'),
  'global_defs vrrp_garp_master_refresh_repeat': defaultOf('vrrp_instance garp_master_refresh_repeat'),
  'global_defs vrrp_garp_lower_prio_delay': defaultOf('vrrp_instance garp_lower_prio_delay'),
  'global_defs vrrp_garp_lower_prio_repeat': defaultOf('vrrp_instance garp_lower_prio_repeat'),
  'global_defs vrrp_down_timer_adverts': defaultOf('vrrp_instance down_timer_adverts'),
  'global_defs vrrp_lower_prio_no_advert': defaultOf('vrrp_instance lower_prio_no_advert'),
  'global_defs vrrp_higher_prio_send_advert': defaultOf('vrrp_instance higher_prio_send_advert'),
  'global_defs vrrp_version': defaultOf('vrrp_instance version'),
  'global_defs vrrp_check_unicast_src': defaultOf('vrrp_instance check_unicast_src'),
  'global_defs vrrp_skip_check_adv_addr': defaultOf('vrrp_instance skip_check_adv_addr'),
  'global_defs vrrp_strict': defaultOf('vrrp_instance strict_mode'),
  'global_defs vrrp_owner_ignore_adverts': defaultOf('vrrp_instance owner_ignore_adverts'),
  'global_defs vrrp_notify_priority_changes': defaultOf('vrrp_instance notify_priority_changes'),
  'global_defs notify_fifo': f('notify_fifo'),
  'global_defs vrrp_notify_fifo': f('vrrp_notify_fifo'),
  'global_defs script_user': f('script_user'),
  'global_defs enable_script_security': f('enable_script_security'),
  'global_defs router_id': f('router_id'),
  'global_defs lvs_id': f('router_id'),
  'global_defs state_dump_file': f('state_dump_file'),
  'global_defs stats_dump_file': f('stats_dump_file'),
  'global_defs json_dump_file': f('json_dump_file'),

  'vrrp_sync_group group': f('group'),
  'vrrp_sync_group notify_master': f('notify_master'),
  'vrrp_sync_group notify_backup': f('notify_backup'),
  'vrrp_sync_group notify_fault': f('notify_fault'),
  'vrrp_sync_group notify_stop': f('notify_stop'),
  'vrrp_sync_group notify': f('notify'),
  'vrrp_sync_group notify_priority_changes': defaultOf('vrrp_instance notify_priority_changes'),

  'vrrp_instance state': f('state'),
  'vrrp_instance interface': f('interface'),
  'vrrp_instance unicast_peer': f('unicast_peer'),
  'vrrp_instance check_unicast_src': f('check_unicast_src'),
  'vrrp_instance track_interface': f('track_interface'),
  'vrrp_instance track_script': f('track_script'),
  'vrrp_instance mcast_src_ip': f('mcast_src_ip'),
  'vrrp_instance unicast_src_ip': f('unicast_src_ip'),
  'vrrp_instance mcast_dst_ip': f('mcast_dst_ip'),
  'vrrp_instance virtual_router_id': f('virtual_router_id'),
  'vrrp_instance unicast_ttl': f('unicast_ttl'),
  'vrrp_instance version': f('version'),
  'vrrp_instance priority': f('priority'),
  'vrrp_instance advert_int': f('advert_int'),
  'vrrp_instance virtual_ipaddress': f('virtual_ipaddress'),
  'vrrp_instance virtual_routes': f('virtual_routes'),
  'vrrp_instance virtual_rules': f('virtual_rules'),
  // The daemon never filters traffic to the VIPs, so accept mode is what it does anyway; no_accept is not.
  'vrrp_instance accept': f('accept'),
  'vrrp_instance skip_check_adv_addr': f('skip_check_adv_addr'),
  'vrrp_instance strict_mode': f('strict_mode'),
  'vrrp_instance preempt': f('nopreempt'),
  'vrrp_instance nopreempt': f('nopreempt'),
  'vrrp_instance preempt_delay': f('preempt_delay'),
  'vrrp_instance notify_master': f('notify_master'),
  'vrrp_instance notify_backup': f('notify_backup'),
  'vrrp_instance notify_fault': f('notify_fault'),
  'vrrp_instance notify_stop': f('notify_stop'),
  'vrrp_instance notify': f('notify'),
  'vrrp_instance notify_deleted': f('notify_deleted'),
  'vrrp_instance notify_master_rx_lower_pri': f('notify_master_rx_lower_pri'),
  'vrrp_instance notify_priority_changes': f('notify_priority_changes'),
  'vrrp_instance garp_master_delay': f('garp_master_delay'),
  'vrrp_instance garp_master_repeat': f('garp_master_repeat'),
  'vrrp_instance garp_master_refresh': f('garp_master_refresh'),
  'vrrp_instance garp_master_refresh_repeat': f('garp_master_refresh_repeat'),
  'vrrp_instance garp_lower_prio_delay': f('garp_lower_prio_delay'),
  'vrrp_instance garp_lower_prio_repeat': f('garp_lower_prio_repeat'),
  'vrrp_instance down_timer_adverts': f('down_timer_adverts'),
  'vrrp_instance lower_prio_no_advert': f('lower_prio_no_advert'),
  'vrrp_instance higher_prio_send_advert': f('higher_prio_send_advert'),
  'vrrp_instance owner_ignore_adverts': f('owner_ignore_adverts'),
  'vrrp_instance authentication': f('authentication'),
  'authentication auth_type': f('auth_type'),
  'authentication auth_pass': f('auth_pass'),

  'vrrp_script script': f('script'),
  'vrrp_script interval': f('interval'),
  'vrrp_script timeout': f('timeout'),
  'vrrp_script weight': f('weight'),
  'vrrp_script rise': f('rise'),
  'vrrp_script fall': f('fall'),
  'vrrp_script init_fail': f('init_fail'),

  // The LVS controller (src/lvs, src/daemon/lvs-service.ts).
  'root virtual_server_group': f('virtual_server_groups'),
  'root virtual_server': f('virtual_servers'),
  'global_defs lvs_timeouts': f('lvs_timeouts'),
  'global_defs lvs_flush': f('lvs_flush'),
  'global_defs lvs_flush_on_stop': f('lvs_flush_on_stop'),
  'global_defs lvs_flush_onstop': f('lvs_flush_on_stop'),
  'global_defs lvs_sync_daemon': f('lvs_sync_daemon'),
  'virtual_server lvs_sched': f('lvs_sched'),
  'virtual_server lb_algo': f('lvs_sched'),
  'virtual_server hashed': f('lvs_flags'),
  'virtual_server ops': f('lvs_flags'),
  'virtual_server flag-1': f('lvs_flags'),
  'virtual_server flag-2': f('lvs_flags'),
  'virtual_server flag-3': f('lvs_flags'),
  'virtual_server sh-port': f('lvs_flags'),
  'virtual_server sh-fallback': f('lvs_flags'),
  'virtual_server mh-port': f('lvs_flags'),
  'virtual_server mh-fallback': f('lvs_flags'),
  'virtual_server lvs_method': defaultOf('real_server lvs_method'),
  'virtual_server lb_kind': defaultOf('real_server lvs_method'),
  'virtual_server persistence_engine': f('persistence_engine'),
  'virtual_server persistence_timeout': f('persistence_timeout'),
  'virtual_server persistence_granularity': f('persistence_granularity'),
  'virtual_server protocol': f('protocol'),
  'virtual_server ha_suspend': f('ha_suspend'),
  'virtual_server alpha': defaultOf('real_server alpha'),
  'virtual_server inhibit_on_failure': defaultOf('real_server inhibit_on_failure'),
  'virtual_server quorum': f('quorum'),
  'virtual_server hysteresis': f('hysteresis'),
  'virtual_server sorry_server': f('sorry_server'),
  'virtual_server sorry_server_inhibit': f('sorry_server_inhibit'),
  'virtual_server sorry_server_lvs_method': f('sorry_server_lvs_method'),
  'virtual_server real_server': f('real_servers'),
  'real_server weight': f('weight'),
  'real_server lvs_method': f('lvs_method'),
  'real_server uthreshold': f('uthreshold'),
  'real_server lthreshold': f('lthreshold'),
  'real_server inhibit_on_failure': f('inhibit_on_failure'),
  // Each checker's starting state (server-health.ts reads checker.alpha, which this sets).
  'real_server alpha': f('alpha'),
  // SMTP_CHECK, DNS_CHECK, PING_CHECK and UDP_CHECK probes (src/linux/probes, registered in its index).
  'real_server SMTP_CHECK': f('checkers'),
  'real_server DNS_CHECK': f('checkers'),
  'real_server PING_CHECK': f('checkers'),
  'real_server UDP_CHECK': f('checkers'),
  'DNS_CHECK retry': f('retry'),
  'DNS_CHECK delay_before_retry': f('delay_before_retry'),
  'SMTP_CHECK helo_name': f('helo_name'),
  // each host block becomes one more SMTP checker of the real server
  'SMTP_CHECK host': f('checkers'),
  'DNS_CHECK type': f('query_type'),
  'DNS_CHECK name': f('name'),
  // MISC_CHECK and FILE_CHECK probers, made from the configuration (src/linux/probes/index.ts configProbers).
  'real_server MISC_CHECK': f('checkers'),
  'real_server FILE_CHECK': f('checkers'),
  'MISC_CHECK retry': f('retry'),
  'MISC_CHECK misc_path': f('misc_path'),
  'MISC_CHECK misc_timeout': f('misc_timeout'),
  'MISC_CHECK misc_dynamic': f('misc_dynamic'),
  'MISC_CHECK user': f('user'),
  'FILE_CHECK track_file': f('track_file'),
  'FILE_CHECK weight': f('weight'),
  'UDP_CHECK payload': f('payload'),
  'UDP_CHECK require_reply': f('require_reply'),
  'UDP_CHECK min_reply_length': f('min_reply_length'),
  'UDP_CHECK max_reply_length': f('max_reply_length'),

  // The health checkers (src/check, src/linux/probes, src/daemon/checker-service.ts): each checker reads its own inherited settings.
  'global_defs checker_log_all_failures': defaultOf('TCP_CHECK log_all_failures'),
  'global_defs lvs_notify_fifo': f('lvs_notify_fifo'),
  'virtual_server retry': defaultOf('TCP_CHECK retry'),
  'virtual_server delay_before_retry': defaultOf('TCP_CHECK delay_before_retry'),
  'virtual_server warmup': defaultOf('TCP_CHECK warmup'),
  'virtual_server connect_timeout': defaultOf('TCP_CHECK connect_timeout'),
  'virtual_server delay_loop': defaultOf('TCP_CHECK delay_loop'),
  'virtual_server virtualhost': defaultOf('HTTP_GET virtualhost'),
  'virtual_server omega': f('omega'),
  'virtual_server quorum_up': f('quorum_up'),
  'virtual_server quorum_down': f('quorum_down'),
  'real_server notify_up': f('notify_up'),
  'real_server notify_down': f('notify_down'),
  'real_server retry': defaultOf('TCP_CHECK retry'),
  'real_server delay_before_retry': defaultOf('TCP_CHECK delay_before_retry'),
  'real_server warmup': defaultOf('TCP_CHECK warmup'),
  'real_server connect_timeout': defaultOf('TCP_CHECK connect_timeout'),
  'real_server delay_loop': defaultOf('TCP_CHECK delay_loop'),
  'real_server virtualhost': defaultOf('HTTP_GET virtualhost'),
  'real_server HTTP_GET': f('checkers'),
  'real_server SSL_GET': f('checkers'),
  'real_server TCP_CHECK': f('checkers'),
  'HTTP_GET connect_ip': f('connect_ip'),
  'SSL_GET connect_ip': f('connect_ip'),
  'TCP_CHECK connect_ip': f('connect_ip'),
  'SMTP_CHECK connect_ip': f('connect_ip'),
  'smtp_host connect_ip': f('connect_ip'),
  'DNS_CHECK connect_ip': f('connect_ip'),
  'PING_CHECK connect_ip': f('connect_ip'),
  'UDP_CHECK connect_ip': f('connect_ip'),
  'HTTP_GET connect_port': f('connect_port'),
  'SSL_GET connect_port': f('connect_port'),
  'TCP_CHECK connect_port': f('connect_port'),
  'SMTP_CHECK connect_port': f('connect_port'),
  'smtp_host connect_port': f('connect_port'),
  'DNS_CHECK connect_port': f('connect_port'),
  'PING_CHECK connect_port': f('connect_port'),
  'UDP_CHECK connect_port': f('connect_port'),
  // the track_file blocks FILE_CHECK follows (src/linux/probes/file.ts)
  'root track_file': f('track_files'),
  'root vrrp_track_file': f('track_files'),
  'track_file file': f('file'),
  'track_file weight': f('weight'),
  // the SSL block's files, read for SSL_GET (src/linux/probes/index.ts configProbers)
  'root SSL': f('ssl'),
  'SSL password': f('password'),
  'SSL ca': f('ca'),
  'SSL certificate': f('certificate'),
  'SSL key': f('key'),
  // SO_BINDTODEVICE and SO_MARK through the addon (src/linux/probes/checker-socket.ts), TCP/HTTP included
  'HTTP_GET bind_if': f('bind_if'),
  'SSL_GET bind_if': f('bind_if'),
  'TCP_CHECK bind_if': f('bind_if'),
  'SMTP_CHECK bind_if': f('bind_if'),
  'smtp_host bind_if': f('bind_if'),
  'DNS_CHECK bind_if': f('bind_if'),
  'PING_CHECK bind_if': f('bind_if'),
  'UDP_CHECK bind_if': f('bind_if'),
  'HTTP_GET fwmark': f('fwmark'),
  'SSL_GET fwmark': f('fwmark'),
  'TCP_CHECK fwmark': f('fwmark'),
  'SMTP_CHECK fwmark': f('fwmark'),
  'smtp_host fwmark': f('fwmark'),
  'DNS_CHECK fwmark': f('fwmark'),
  'PING_CHECK fwmark': f('fwmark'),
  'UDP_CHECK fwmark': f('fwmark'),
  'HTTP_GET bindto': f('bindto'),
  'SSL_GET bindto': f('bindto'),
  'TCP_CHECK bindto': f('bindto'),
  'SMTP_CHECK bindto': f('bindto'),
  'smtp_host bindto': f('bindto'),
  'DNS_CHECK bindto': f('bindto'),
  'PING_CHECK bindto': f('bindto'),
  'UDP_CHECK bindto': f('bindto'),
  'HTTP_GET bind_port': f('bind_port'),
  'SSL_GET bind_port': f('bind_port'),
  'TCP_CHECK bind_port': f('bind_port'),
  'SMTP_CHECK bind_port': f('bind_port'),
  'smtp_host bind_port': f('bind_port'),
  'DNS_CHECK bind_port': f('bind_port'),
  'PING_CHECK bind_port': f('bind_port'),
  'UDP_CHECK bind_port': f('bind_port'),
  'HTTP_GET connect_timeout': f('connect_timeout'),
  'SSL_GET connect_timeout': f('connect_timeout'),
  'TCP_CHECK connect_timeout': f('connect_timeout'),
  'SMTP_CHECK connect_timeout': f('connect_timeout'),
  'smtp_host connect_timeout': f('connect_timeout'),
  'DNS_CHECK connect_timeout': f('connect_timeout'),
  'PING_CHECK connect_timeout': f('connect_timeout'),
  'UDP_CHECK connect_timeout': f('connect_timeout'),
  'HTTP_GET retry': f('retry'),
  'SSL_GET retry': f('retry'),
  'TCP_CHECK retry': f('retry'),
  'SMTP_CHECK retry': f('retry'),
  'smtp_host retry': f('retry'),
  'PING_CHECK retry': f('retry'),
  'UDP_CHECK retry': f('retry'),
  'HTTP_GET delay_before_retry': f('delay_before_retry'),
  'SSL_GET delay_before_retry': f('delay_before_retry'),
  'TCP_CHECK delay_before_retry': f('delay_before_retry'),
  'SMTP_CHECK delay_before_retry': f('delay_before_retry'),
  'smtp_host delay_before_retry': f('delay_before_retry'),
  'PING_CHECK delay_before_retry': f('delay_before_retry'),
  'UDP_CHECK delay_before_retry': f('delay_before_retry'),
  'MISC_CHECK delay_before_retry': f('delay_before_retry'),
  'HTTP_GET warmup': f('warmup'),
  'SSL_GET warmup': f('warmup'),
  'TCP_CHECK warmup': f('warmup'),
  'SMTP_CHECK warmup': f('warmup'),
  'smtp_host warmup': f('warmup'),
  'DNS_CHECK warmup': f('warmup'),
  'PING_CHECK warmup': f('warmup'),
  'UDP_CHECK warmup': f('warmup'),
  'MISC_CHECK warmup': f('warmup'),
  'HTTP_GET delay_loop': f('delay_loop'),
  'SSL_GET delay_loop': f('delay_loop'),
  'TCP_CHECK delay_loop': f('delay_loop'),
  'SMTP_CHECK delay_loop': f('delay_loop'),
  'smtp_host delay_loop': f('delay_loop'),
  'DNS_CHECK delay_loop': f('delay_loop'),
  'PING_CHECK delay_loop': f('delay_loop'),
  'UDP_CHECK delay_loop': f('delay_loop'),
  'MISC_CHECK delay_loop': f('delay_loop'),
  'HTTP_GET alpha': f('alpha'),
  'SSL_GET alpha': f('alpha'),
  'TCP_CHECK alpha': f('alpha'),
  'SMTP_CHECK alpha': f('alpha'),
  'smtp_host alpha': f('alpha'),
  'DNS_CHECK alpha': f('alpha'),
  'PING_CHECK alpha': f('alpha'),
  'UDP_CHECK alpha': f('alpha'),
  'MISC_CHECK alpha': f('alpha'),
  'HTTP_GET log_all_failures': f('log_all_failures'),
  'SSL_GET log_all_failures': f('log_all_failures'),
  'TCP_CHECK log_all_failures': f('log_all_failures'),
  'SMTP_CHECK log_all_failures': f('log_all_failures'),
  'smtp_host log_all_failures': f('log_all_failures'),
  'DNS_CHECK log_all_failures': f('log_all_failures'),
  'PING_CHECK log_all_failures': f('log_all_failures'),
  'UDP_CHECK log_all_failures': f('log_all_failures'),
  'MISC_CHECK log_all_failures': f('log_all_failures'),
  'HTTP_GET nb_get_retry': f('retry'),
  'SSL_GET nb_get_retry': f('retry'),
  'TCP_CHECK nb_get_retry': f('retry'),
  'SMTP_CHECK nb_get_retry': f('retry'),
  'smtp_host nb_get_retry': f('retry'),
  'DNS_CHECK nb_get_retry': f('retry'),
  'PING_CHECK nb_get_retry': f('retry'),
  'UDP_CHECK nb_get_retry': f('retry'),
  'MISC_CHECK nb_get_retry': f('retry'),
  'HTTP_GET virtualhost': f('virtualhost'),
  'SSL_GET virtualhost': f('virtualhost'),
  'HTTP_GET http_protocol': f('http_protocol'),
  'SSL_GET http_protocol': f('http_protocol'),
  'HTTP_GET enable_sni': f('enable_sni'),
  'SSL_GET enable_sni': f('enable_sni'),
  'HTTP_GET sni_name': f('sni_name'),
  'SSL_GET sni_name': f('sni_name'),
  'HTTP_GET fast_recovery': f('fast_recovery'),
  'SSL_GET fast_recovery': f('fast_recovery'),
  'HTTP_GET url': f('url'),
  'SSL_GET url': f('url'),
  'url path': f('path'),
  'url digest': f('digest'),
  'url status_code': f('status_code'),
  'url virtualhost': f('virtualhost'),
  'url regex': f('regex'),
  'url regex_no_match': f('regex_no_match'),
  'url regex_min_offset': f('regex_min_offset'),
  'url regex_max_offset': f('regex_max_offset'),
};

const SRC = new URL('../../../src/', import.meta.url).pathname;
const NOT_RUNTIME = new Set(['config', 'cli', 'lab']);

function runtimeSource(dir: string, top = true): string {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => !(top && NOT_RUNTIME.has(d.name)))
    .map((d) => (d.isDirectory() ? runtimeSource(join(dir, d.name), false) : d.name.endsWith('.ts') ? readFileSync(join(dir, d.name), 'utf8') : ''))
    .join('\n');
}

function rowsOf(spec: KeywordSpec): string[] {
  return spec.blocks.map((block) => `${block} ${spec.name}`);
}

describe('keyword statuses', () => {
  const actedOn = KEYWORDS.filter((s) => s.status === 'acted-on').flatMap(rowsOf);

  it('every acted-on row says how the runtime reads it, and every row listed is acted on', () => {
    expect(actedOn.filter((row) => !(row in ACTED_ON))).toEqual([]);
    expect(Object.keys(ACTED_ON).filter((row) => !actedOn.includes(row))).toEqual([]);
  });

  it('every field named is mentioned by a runtime module', () => {
    const source = runtimeSource(SRC);
    const missing = Object.entries(ACTED_ON).filter(([, how]) => 'field' in how && !new RegExp(`\\.${how.field}\\b`).test(source));
    expect(missing.map(([row]) => row)).toEqual([]);
  });

  it('a keyword that only sets a default names an acted-on row', () => {
    for (const [row, how] of Object.entries(ACTED_ON)) {
      if ('defaultOf' in how) expect(ACTED_ON[how.defaultOf], `${row} -> ${how.defaultOf}`).toHaveProperty('field');
    }
  });

  it('a legacy spelling has the status of the keyword it stands for', () => {
    for (const spec of KEYWORDS.filter((s) => s.canonical !== undefined)) {
      const canonical = KEYWORDS.find((c) => c.name === spec.canonical && c.blocks.some((b) => spec.blocks.includes(b)));
      expect(canonical?.status, spec.name).toBe(spec.status);
    }
  });
});

describe('the not-acted-on warning', () => {
  it('is given once per keyword and file, at the first occurrence, with the count', () => {
    const r = analyzeText(
      [
        'global_defs {',
        '  vrrp_no_swap',
        '}',
        'vrrp_instance A {',
        '  interface lo',
        '  virtual_router_id 1',
        '  smtp_alert',
        '  virtual_ipaddress {',
        '    192.0.2.1/32',
        '  }',
        '}',
        'vrrp_instance B {',
        '  interface lo',
        '  virtual_router_id 2',
        '  smtp_alert',
        '  virtual_ipaddress {',
        '    192.0.2.2/32',
        '  }',
        '}',
      ].join('\n'),
    );
    const warned = r.diagnostics.filter((d) => d.code === 'not-implemented');
    expect(warned.map((d) => [d.keyword, d.pos?.line, d.pos?.col])).toEqual([
      ['vrrp_no_swap', 2, 3],
      ['smtp_alert', 7, 3],
    ]);
    expect(warned[1]?.message).toContain('(2 times in this file)');
    expect(warned.every((d) => d.hint !== undefined)).toBe(true);
  });

  it('says nothing about a virtual_server with a TCP_CHECK: the LVS controller and the checkers act on both', () => {
    const r = analyzeText('virtual_server 192.0.2.10 80 {\n  delay_loop 6\n  lvs_sched rr\n  protocol TCP\n  real_server 192.0.2.21 80 {\n    TCP_CHECK {\n      connect_timeout 3\n    }\n  }\n}\n');
    expect(r.diagnostics.filter((d) => d.code === 'not-implemented')).toEqual([]);
  });

  it('says nothing about acted-on keywords', () => {
    const r = analyzeText('vrrp_instance A {\n  interface lo\n  virtual_router_id 1\n  priority 150\n  nopreempt\n  state BACKUP\n  virtual_ipaddress {\n    192.0.2.1/32\n  }\n}\n');
    expect(r.diagnostics.filter((d) => d.code === 'not-implemented')).toEqual([]);
  });
});
