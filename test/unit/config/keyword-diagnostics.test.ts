import { describe, expect, it } from 'vitest';
import { analyzeText, diagnostic } from './statements.js';

const vip = 'virtual_ipaddress {\n 10.0.0.1\n }';

describe('keyword-level diagnostics', () => {
  it('reports an unknown keyword at its position with a did-you-mean from the same block', () => {
    const r = analyzeText(`vrrp_instance VI_1 {\n  virtual_router_id 1\n  netify_backup "/bin/true"\n  ${vip}\n}`);
    const d = diagnostic(r, 'unknown-keyword');
    expect(d).toMatchObject({
      severity: 'error',
      message: "Unknown keyword 'netify_backup'",
      keyword: 'netify_backup',
      pos: { line: 3, col: 3 },
      hint: "did you mean 'notify_backup'?",
    });
  });

  it('explains keywords keepalived removed, and maps lvs_id to router_id', () => {
    const r = analyzeText('global_defs {\n lvs_id LVS_1\n}\nvirtual_server 10.0.0.1 80 {\n nat_mask 255.255.255.0\n}');
    expect(diagnostic(r, 'unknown-keyword').hint).toBe(
      'nat_mask only worked with Linux 2.2 kernels and was removed in keepalived 1.2.20; delete the line',
    );
    expect(diagnostic(r, 'deprecated-keyword').message).toBe("'lvs_id' is deprecated - please use 'router_id'");
    expect(r.config.global_defs.router_id).toBe('LVS_1');
  });

  it('says where a keyword belongs when it is written in the wrong block', () => {
    const r = analyzeText('global_defs {\n  priority 100\n}');
    const d = diagnostic(r, 'misplaced-keyword');
    expect(d.message).toBe("'priority' is not valid in global_defs");
    expect(d.hint).toBe('it belongs in vrrp_instance');
  });

  it('does not report the content of an unknown block keyword by keyword', () => {
    const r = analyzeText('vrrp_instanse VI_1 {\n  priority 100\n  bogus 1\n}');
    expect(r.codes).toEqual(['unknown-keyword']);
    expect(diagnostic(r, 'unknown-keyword').hint).toBe("did you mean 'vrrp_instance'?");
  });

  it.each([
    ['lb_algo rr', 'lvs_sched', (r: ReturnType<typeof analyzeText>) => r.config.virtual_servers[0]?.lvs_sched, 'rr'],
    ['lb_kind DR', 'lvs_method', (r: ReturnType<typeof analyzeText>) => r.config.virtual_servers[0]?.lvs_method, 'DR'],
  ])('maps the legacy spelling %s to %s with a deprecation warning', (line, canonical, read, expected) => {
    const r = analyzeText(`virtual_server 10.0.0.1 80 {\n  ${line}\n}`);
    expect(diagnostic(r, 'deprecated-keyword').message).toContain(`please use '${canonical}'`);
    expect(read(r)).toBe(expected);
  });

  it('maps nb_get_retry to the checker retry', () => {
    const r = analyzeText(
      'virtual_server 10.0.0.1 80 {\n real_server 10.0.0.2 80 {\n  HTTP_GET {\n   nb_get_retry 7\n   url { path / }\n  }\n }\n}',
    );
    expect(diagnostic(r, 'deprecated-keyword').pos?.line).toBe(4);
    expect(r.config.virtual_servers[0]?.real_servers[0]?.checkers[0]?.retry).toBe(7);
  });

  it('maps vrrp_track_file to track_file', () => {
    const r = analyzeText(
      `vrrp_track_file tf {\n  file /tmp/x\n}\nvrrp_instance VI_1 {\n virtual_router_id 1\n track_file {\n  tf\n }\n ${vip}\n}`,
    );
    expect(diagnostic(r, 'deprecated-keyword').message).toBe("'vrrp_track_file' is deprecated - please use 'track_file'");
    expect(r.config.track_files.map((t) => t.name)).toEqual(['tf']);
    expect(r.config.vrrp_instances[0]?.track_file.map((t) => t.name)).toEqual(['tf']);
    expect(r.codes).not.toContain('unknown-track-file');
  });

  it('maps lvs_flush_onstop to lvs_flush_on_stop', () => {
    const r = analyzeText('global_defs {\n lvs_flush_onstop VS\n}');
    expect(r.codes).toEqual(['deprecated-keyword', 'not-implemented']);
    expect(r.config.global_defs.lvs_flush_on_stop).toBe('VS');
  });

  it('maps the vrrp_* global aliases to their canonical names', () => {
    const r = analyzeText('global_defs {\n vrrp_rlimit_rtime 5000\n vrrp_vmac_garp_intvl 10\n enable_snmp_keepalived\n}');
    const deprecated = r.diagnostics.filter((d) => d.code === 'deprecated-keyword').map((d) => d.hint);
    expect(deprecated).toEqual([
      "replace with 'vrrp_rlimit_rttime'",
      "replace with 'vrrp_garp_extra_if'",
      "replace with 'enable_snmp_vrrp'",
    ]);
    expect(r.config.global_defs.other).toMatchObject({ vrrp_rlimit_rttime: 5000, enable_snmp_vrrp: true });
  });

  it('accepts keywords it does not act on yet with a warning that says so', () => {
    const r = analyzeText('global_defs {\n enable_snmp_vrrp\n vrrp_priority -10\n}');
    expect(r.codes).toEqual(['not-implemented', 'not-implemented']);
    expect(r.diagnostics[0]?.message).toBe("'enable_snmp_vrrp' is parsed but keepalived-ts does not act on it yet");
    expect(r.config.global_defs.other).toEqual({ enable_snmp_vrrp: true, vrrp_priority: -10 });
  });

  it('warns once for a block it does not act on, not for each keyword inside', () => {
    const r = analyzeText('bfd_instance b1 {\n neighbor_ip 10.0.0.9\n min_rx 50\n}');
    expect(r.codes).toEqual(['not-implemented']);
    expect(r.config.other).toEqual({ bfd_instance: ['b1'] });
  });

  it('reports numbers outside their range in keepalived words and ignores the line', () => {
    const r = analyzeText(`vrrp_instance VI_1 {\n virtual_router_id 256\n priority 300\n ${vip}\n}`);
    const ranges = r.diagnostics.filter((d) => d.code === 'out-of-range');
    expect(ranges.map((d) => d.message)).toEqual([
      "number '256' outside range [1, 255]",
      "number '300' outside range [1, 255]",
    ]);
    expect(ranges.map((d) => d.pos?.col)).toEqual([20, 11]);
    expect(r.config.vrrp_instances[0]?.priority).toBe(100);
    expect(r.config.vrrp_instances[0]?.virtual_router_id).toBeNull();
  });

  it('reports a word where a number belongs', () => {
    const r = analyzeText(`vrrp_instance VI_1 {\n virtual_router_id 1\n priority high\n ${vip}\n}`);
    expect(diagnostic(r, 'invalid-number').message).toBe("'priority' expects an integer, not 'high'");
  });

  it('reports a value outside an enumeration, with a case hint', () => {
    const r = analyzeText(`vrrp_instance VI_1 {\n virtual_router_id 1\n state master\n ${vip}\n}`);
    const d = diagnostic(r, 'invalid-value');
    expect(d.message).toBe("'state' expects MASTER|BACKUP, not 'master'");
    expect(d.hint).toBe("did you mean 'MASTER'?");
  });

  it('reads on/off/yes/no/true/false and rejects other booleans', () => {
    const r = analyzeText('global_defs {\n vrrp_check_unicast_src no\n vrrp_skip_check_adv_addr yes\n smtp_alert maybe\n}');
    expect(r.config.global_defs.vrrp_check_unicast_src).toBe(false);
    expect(r.config.global_defs.vrrp_skip_check_adv_addr).toBe(true);
    expect(diagnostic(r, 'invalid-value').message).toContain("not 'maybe'");
  });

  it('reports a missing argument and ignores the line', () => {
    const r = analyzeText(`vrrp_instance VI_1 {\n virtual_router_id 1\n interface\n ${vip}\n}`);
    expect(diagnostic(r, 'missing-argument').message).toBe(
      "Configuration line starting 'interface' is missing a parameter at word position 2",
    );
    expect(r.config.vrrp_instances[0]?.interface).toBe('eth0');
  });

  it('warns about extra arguments and ignores them', () => {
    const r = analyzeText(`vrrp_instance VI_1 {\n virtual_router_id 1 2\n nopreempt now\n ${vip}\n}`);
    const extras = r.diagnostics.filter((d) => d.code === 'extra-argument');
    expect(extras.map((d) => [d.message, d.pos?.col])).toEqual([
      ["'virtual_router_id' takes at most 1 argument; ignoring '2'", 22],
      ["'nopreempt' takes no arguments; ignoring 'now'", 12],
    ]);
    expect(r.config.vrrp_instances[0]?.virtual_router_id).toBe(1);
  });

  it('requires a block where keepalived expects one and refuses one where it does not', () => {
    const r = analyzeText('vrrp_instance VI_1 {\n virtual_router_id 1 {\n }\n virtual_ipaddress 10.0.0.1\n}');
    expect(r.codes).toContain('unexpected-block');
    expect(diagnostic(r, 'missing-block').keyword).toBe('virtual_ipaddress');
  });

  it('points an unwanted block at its brace, even on the next line', () => {
    const r = analyzeText(`vrrp_instance VI_1 {\n virtual_router_id 1\n priority 50\n {\n }\n ${vip}\n}`);
    expect(diagnostic(r, 'unexpected-block').pos).toMatchObject({ line: 4, col: 2 });
  });

  it('keeps script lines as the user quoted them', () => {
    const r = analyzeText(
      `vrrp_script a {\n script "/bin/check.sh arg"\n}\nvrrp_instance VI_1 {\n virtual_router_id 1\n notify_master /bin/x "a b" c\n track_script {\n  a\n }\n ${vip}\n}`,
    );
    expect(r.config.vrrp_scripts[0]?.script).toBe('/bin/check.sh arg');
    expect(r.config.vrrp_instances[0]?.notify_master).toBe('/bin/x "a b" c');
  });

  it('warns when a keyword is given twice in one block', () => {
    const r = analyzeText(`vrrp_instance VI_1 {\n virtual_router_id 1\n priority 50\n priority 60\n ${vip}\n}`);
    expect(diagnostic(r, 'duplicate-keyword').message).toBe("'priority' given again (first at line 3); the last one wins");
    expect(r.config.vrrp_instances[0]?.priority).toBe(60);
  });

  it('reports a named block without a name, and a second block with the same name', () => {
    const r = analyzeText(`vrrp_script {\n script /bin/true\n}\nvrrp_script a {\n script /bin/true\n}\nvrrp_script a {\n script /bin/false\n}`);
    expect(r.codes).toContain('missing-name');
    expect(diagnostic(r, 'duplicate-name').message).toBe('vrrp_script a is already defined at line 4; ignoring this one');
    expect(r.config.vrrp_scripts.map((s) => s.script)).toEqual(['/bin/true']);
  });

  it('reports placeholders copied from the documentation and ignores the line', () => {
    const r = analyzeText(
      'virtual_server 10.0.0.1 80 {\n real_server 10.0.0.2 80 {\n  notify_up <string>\n  HTTP_GET {\n   url {\n    path /\n    digest <string>\n   }\n   connect_port <port>\n   bindto "<IPADD>"\n  }\n }\n}',
    );
    const placeholders = r.diagnostics.filter((d) => d.code === 'placeholder-argument');
    expect(placeholders.map((d) => [d.pos?.line, d.message])).toEqual([
      [3, "'<string>' after 'notify_up' looks like a placeholder copied from documentation"],
      [7, "'<string>' after 'digest' looks like a placeholder copied from documentation"],
      [9, "'<port>' after 'connect_port' looks like a placeholder copied from documentation"],
    ]);
    expect(diagnostic(r, 'invalid-address').message).toBe("'bindto' expects an IP address, not '<IPADD>'");
    expect(r.config.virtual_servers[0]?.real_servers[0]?.notify_up).toBeNull();
  });

  it('checks an HTTP digest is 32 hex digits', () => {
    const r = analyzeText(
      'virtual_server 10.0.0.1 80 {\n real_server 10.0.0.2 80 {\n  HTTP_GET {\n   url {\n    path /\n    digest 640205b7b0fc66c1ea91c463fac6334\n   }\n  }\n }\n}',
    );
    expect(diagnostic(r, 'invalid-value').message).toBe("'digest' expects 32 hexadecimal digits, not '640205b7b0fc66c1ea91c463fac6334'");
  });

  it('keeps diagnostics in file order', () => {
    const r = analyzeText(`vrrp_instance VI_1 {\n bogus1\n virtual_router_id 1\n ${vip}\n}\nbogus2`);
    const lines = r.diagnostics.map((d) => d.pos?.line ?? Infinity);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});
