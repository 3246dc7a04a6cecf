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

  it('reports a virtual_server block as a whole: VRRP only', () => {
    const r = analyzeText('virtual_server 192.0.2.10 80 {\n  delay_loop 6\n  lvs_sched rr\n  protocol TCP\n  real_server 192.0.2.21 80 {\n    TCP_CHECK {\n      connect_timeout 3\n    }\n  }\n}\n');
    const warned = r.diagnostics.filter((d) => d.code === 'not-implemented');
    expect(warned).toHaveLength(1);
    expect(warned[0]?.keyword).toBe('virtual_server');
    expect(warned[0]?.message).toBe('virtual_server blocks are parsed; health checkers and IPVS are not built yet: running VRRP only');
  });

  it('says nothing about acted-on keywords', () => {
    const r = analyzeText('vrrp_instance A {\n  interface lo\n  virtual_router_id 1\n  priority 150\n  nopreempt\n  state BACKUP\n  virtual_ipaddress {\n    192.0.2.1/32\n  }\n}\n');
    expect(r.diagnostics.filter((d) => d.code === 'not-implemented')).toEqual([]);
  });
});
