import { describe, expect, it } from 'vitest';
import { analyzeText as analyzeAll, diagnostic } from './statements.js';

/**
 * The analyzer without the one warning every virtual_server block gets while checkers and IPVS
 * are not built (keyword-status.test.ts proves that warning); these tests are about the rest.
 */
function analyzeText(text: string) {
  const all = analyzeAll(text);
  const blockWide = new Set(['virtual_server', 'virtual_server_group']);
  const diagnostics = all.diagnostics.filter((d) => !(d.code === 'not-implemented' && blockWide.has(d.keyword ?? '')));
  return { ...all, diagnostics, codes: diagnostics.map((d) => d.code) };
}

/** A virtual server; the settings keepalived warns about when missing come after `body`, so its line numbers stay put. */
const vs = (body: string, head = '10.0.0.100 80') => {
  const complete = [...(body.includes('lvs_sched') ? [] : [' lvs_sched rr']), ...(body.includes(' lvs_method') ? [] : [' lvs_method NAT']), ...(head.startsWith('fwmark') ? [] : [' protocol TCP'])];
  return `virtual_server ${head} {\n${body}\n${complete.join('\n')}\n}\n`;
};

describe('virtual_server checks', () => {
  it('fills what keepalived fills, with its warnings: UDP, wlc, NAT', () => {
    const r = analyzeText('virtual_server 10.0.0.1 80 {\n real_server 10.0.0.2 80 {\n }\n}\n');
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['no-protocol', 'Virtual server [10.0.0.1]:80: no protocol set - defaulting to UDP'],
      ['no-scheduler', "Virtual server [10.0.0.1]:80: no scheduler set, setting default 'wlc'"],
      ['no-lvs-method', 'Virtual server [10.0.0.1]:80: no forwarding method set, setting default NAT'],
    ]);
    expect(r.config.virtual_servers[0]).toMatchObject({ protocol: 'UDP', lvs_sched: 'wlc', lvs_method: 'NAT' });
  });

  it('ignores protocol for fwmark services and ops for TCP, and makes port 0 persistent', () => {
    const r = analyzeText('virtual_server fwmark 1 {\n protocol TCP\n lvs_sched rr\n}\nvirtual_server 10.0.0.1 0 {\n protocol TCP\n lvs_sched rr\n ops\n}\n');
    expect(r.codes).toEqual(['protocol-with-fwmark', 'zero-port-persistence', 'ops-not-udp']);
    expect(r.config.virtual_servers.map((v) => [v.protocol, v.lvs_flags, v.persistence_timeout])).toEqual([
      [null, [], null],
      ['TCP', [], 360],
    ]);
  });

  it('reads ip+port, fwmark and group virtual servers', () => {
    const r = analyzeText('virtual_server_group web {\n 10.0.0.1-10 80\n fwmark 7\n}\n' + vs('') + vs('', 'fwmark 5') + vs('', 'group web'));
    expect(r.codes).toEqual([]);
    expect(r.config.virtual_servers.map((v) => ('ip' in v ? `${v.ip}:${v.port}` : 'fwmark' in v ? v.fwmark : v.group))).toEqual(['10.0.0.100:80', 5, 'web']);
    expect(r.config.virtual_server_groups[0]?.entries.map(({ pos: _pos, ...e }) => e)).toEqual([{ ip: '10.0.0.1', range_end: '10', port: 80 }, { fwmark: 7 }]);
  });

  it('rejects a virtual_server line that is none of the three forms', () => {
    const r = analyzeText(vs('', '10.0.0.100') + vs('', '10.0.0.300 80') + vs('', 'fwmark x'));
    expect(r.codes).toEqual(['invalid-virtual-server', 'invalid-virtual-server', 'invalid-virtual-server']);
    expect(r.config.virtual_servers).toEqual([]);
  });

  it('reports a group that does not exist and a service defined twice', () => {
    const r = analyzeText(vs('', 'group nosuch') + vs('') + vs(''));
    expect(diagnostic(r, 'unknown-virtual-server-group').message).toBe('virtual_server_group nosuch not found');
    expect(r.codes).toEqual(['unknown-virtual-server-group', 'duplicate-virtual-server']);
    expect(diagnostic(r, 'duplicate-virtual-server').message).toBe('virtual server [10.0.0.100]:80 TCP is already defined at line 7');
  });

  it('reports a real server listed twice in one virtual server (keepalived does not)', () => {
    const r = analyzeText(vs(' real_server 10.0.0.2 80 {\n }\n real_server 10.0.0.2 80 {\n  weight 2\n }\n real_server 10.0.0.2 81 {\n }'));
    const d = diagnostic(r, 'duplicate-real-server');
    expect(d.message).toBe('real server 10.0.0.2:80 is listed twice in virtual server [10.0.0.100]:80 (first at line 2)');
    expect(d.pos?.line).toBe(4);
    expect(r.codes).toEqual(['duplicate-real-server']);
  });

  it('reports a connecting checker with no port (keepalived does not)', () => {
    const r = analyzeText(vs(' real_server 10.0.0.2 {\n  TCP_CHECK {\n  }\n }', 'fwmark 1'));
    const d = diagnostic(r, 'checker-no-port');
    expect(d.message).toBe('TCP_CHECK for real server 10.0.0.2 has no port to connect to');
    expect(d.pos?.line).toBe(3);
  });

  it('accepts a port from connect_port or the real server, and PING_CHECK without one', () => {
    const r = analyzeText(vs(' real_server 10.0.0.2 {\n  TCP_CHECK {\n   connect_port 8080\n  }\n  PING_CHECK {\n  }\n }\n real_server 10.0.0.3 443 {\n  TCP_CHECK {\n  }\n }', 'fwmark 1'));
    expect(r.codes).toEqual([]);
    const ports = r.config.virtual_servers[0]?.real_servers.map((rs) => rs.checkers.map((c) => ('connect_port' in c ? c.connect_port : null)));
    expect(ports).toEqual([[8080, 0], [443]]);
  });

  it('requires a url in HTTP_GET and a misc_path in MISC_CHECK', () => {
    const r = analyzeText(vs(' real_server 10.0.0.2 80 {\n  HTTP_GET {\n  }\n  MISC_CHECK {\n   misc_timeout 5\n  }\n }'));
    expect(r.codes).toEqual(['http-no-url', 'misc-no-path']);
    expect(r.config.virtual_servers[0]?.real_servers[0]?.checkers.map((c) => c.type)).toEqual(['HTTP_GET']);
  });

  it('reports a FILE_CHECK on a track_file that does not exist', () => {
    const r = analyzeText(vs(' real_server 10.0.0.2 80 {\n  FILE_CHECK {\n   track_file nofile\n  }\n }'));
    expect(diagnostic(r, 'unknown-track-file').message).toBe('FILE_CHECK track file nofile not found');
  });

  it('reads SMTP_CHECK host blocks as extra checkers, with a deprecation warning', () => {
    const r = analyzeText(vs(' real_server 10.0.0.2 25 {\n  SMTP_CHECK {\n   helo_name me\n   host {\n    connect_ip 10.0.0.9\n   }\n  }\n }'));
    expect(r.codes).toEqual(['deprecated-keyword']);
    const checkers = r.config.virtual_servers[0]?.real_servers[0]?.checkers ?? [];
    expect(checkers.map((c) => ('connect_ip' in c ? [c.type, c.connect_ip, c.connect_port] : []))).toEqual([['SMTP_CHECK', '10.0.0.9', 25]]);
  });

  it('accepts nb_get_retry in every checker that retries, as retry', () => {
    const r = analyzeText(vs(' real_server 10.0.0.2 80 {\n  TCP_CHECK {\n   nb_get_retry 3\n  }\n }'));
    expect(r.codes).toEqual(['deprecated-keyword']);
    expect(r.config.virtual_servers[0]?.real_servers[0]?.checkers[0]?.retry).toBe(3);
  });

  it('ignores sh-/mh- flags with another scheduler, as keepalived does', () => {
    const r = analyzeText(vs(' lvs_sched rr\n sh-port\n flag-3') + vs(' lvs_sched sh\n sh-port\n sh-fallback', '10.0.0.101 80'));
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([['scheduler-flag-ignored', 'sh-port only applies to sh scheduler - ignoring']]);
    expect(r.config.virtual_servers.map((v) => v.lvs_flags)).toEqual([['flag-3'], ['sh-port', 'sh-fallback']]);
  });

  it('reads TUN with tunnel options: real servers without lvs_method inherit them, DR has none', () => {
    const r = analyzeText(vs(' lvs_method TUN type gue port 6080 csum\n real_server 10.0.0.2 80 {\n  lvs_method DR\n }\n real_server 10.0.0.3 80 {\n }'));
    expect(r.diagnostics).toEqual([]);
    const [server] = r.config.virtual_servers;
    expect(server?.lvs_method).toBe('TUN');
    expect(server?.tunnel).toEqual({ type: 'gue', port: 6080, csum: 'csum' });
    expect(server?.real_servers.map((rs) => [rs.lvs_method, rs.tunnel])).toEqual([
      ['DR', undefined],
      ['TUN', { type: 'gue', port: 6080, csum: 'csum' }],
    ]);
  });

  it("rejects tunnel options keepalived rejects, with its messages, keeping the virtual server's tunnel", () => {
    const cases: Array<[string, string]> = [
      ['type vxlan', 'Unknown tunnel type vxlan for real server.'],
      ['type gue', 'gue tunnels require port, otherwise cannot have port.'],
      ['type ipip port 5', 'gue tunnels require port, otherwise cannot have port.'],
      ['type gue port 70000', 'Invalid gue tunnel port 70000 for real server.'],
      ['csum', 'ipip tunnels do not support checksum option.'],
      ['type gre remcsum', 'gre tunnels do not support remote checksum option.'],
      ['mtu 1400', 'Invalid tunnel option mtu for real server.'],
      ['type', 'Missing tunnel type for real server.'],
    ];
    for (const [options, message] of cases) {
      const r = analyzeText(vs(` lvs_method TUN type gre\n real_server 10.0.0.2 80 {\n  lvs_method TUN ${options}\n }`));
      expect(
        r.diagnostics.map((d) => [d.code, d.message]),
        options,
      ).toEqual([['invalid-value', message]]);
      expect(r.config.virtual_servers[0]?.real_servers[0]?.tunnel, options).toEqual({ type: 'gre', port: 0, csum: 'nocsum' });
    }
  });

  it('reads status_code lists and rejects impossible codes', () => {
    const r = analyzeText(vs(' real_server 10.0.0.2 80 {\n  HTTP_GET {\n   url {\n    path /health\n    status_code 200 301-302 700\n   }\n  }\n }'));
    expect(diagnostic(r, 'invalid-value').message).toBe("Invalid HTTP status code '700' - ignoring");
    const checker = r.config.virtual_servers[0]?.real_servers[0]?.checkers[0];
    expect(checker && 'url' in checker ? checker.url[0]?.status_code : undefined).toEqual([
      [200, 200],
      [301, 302],
    ]);
  });
});
