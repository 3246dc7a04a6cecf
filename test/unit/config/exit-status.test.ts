import { describe, expect, it } from 'vitest';
import { configTestExitCode } from '../../../src/config/analyze.js';
import { DIAGNOSTIC_CODES } from '../../../src/config/diagnostic-codes.js';
import { analyzeText, diagnostic } from './statements.js';

const instance = (extra = '') => `vrrp_instance VI_1 {\n virtual_router_id 1\n${extra}\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n`;

describe('what the CLI needs for keepalived exit codes', () => {
  it('0: a clean configuration, warnings allowed', () => {
    const r = analyzeText(instance(' advert_int 1.5'));
    expect(r.codes).toEqual(['advert-int-rounded']);
    expect(r).toMatchObject({ fatal: false, scriptsConfigured: false, scriptSecurity: false });
    expect(configTestExitCode(r.diagnostics)).toBe(0);
  });

  it('4: errors the daemon can run with', () => {
    const r = analyzeText(instance(' bogus_keyword'));
    expect(configTestExitCode(r.diagnostics)).toBe(4);
  });

  it('3: errors that stop the daemon, ahead of everything else', () => {
    const r = analyzeText('vrrp_instance VI_1 {\n notify_master /bin/true\n}\n');
    expect(r.fatal).toBe(true);
    expect(configTestExitCode(r.diagnostics)).toBe(3);
    expect(configTestExitCode([{ severity: 'error', code: 'file-not-found', message: 'x' }], new Set(['file-not-found']))).toBe(3);
  });

  it('5: scripts without enable_script_security', () => {
    const r = analyzeText(instance(' notify_master "/etc/keepalived/master.sh"'));
    expect(r.scriptsConfigured).toBe(true);
    expect(r.scripts.map((s) => [s.keyword, s.command])).toEqual([['notify_master', '/etc/keepalived/master.sh']]);
    const d = diagnostic(r, 'script-security-disabled');
    expect(d.message).toBe('SECURITY VIOLATION - scripts are being executed but script_security not enabled.');
    expect(configTestExitCode(r.diagnostics)).toBe(5);
  });

  it('finds scripts in every place keepalived runs them', () => {
    const r = analyzeText(
      'global_defs {\n enable_script_security\n notify_fifo_script /bin/fifo\n}\n' +
        'vrrp_script s {\n script /bin/s\n}\n' +
        instance(' track_script {\n  s\n }\n notify "/bin/n"') +
        'virtual_server 10.0.0.9 80 {\n quorum_up /bin/up\n real_server 10.0.0.2 80 {\n  notify_down /bin/down\n  MISC_CHECK {\n   misc_path "/bin/misc arg"\n  }\n }\n}\n',
    );
    expect(r.scriptSecurity).toBe(true);
    expect(r.scripts.map((s) => [s.keyword, s.pos?.line])).toEqual([
      ['notify_fifo_script', 3],
      ['script', 5],
      ['notify', 13],
      ['quorum_up', 18],
      ['notify_down', 20],
      ['misc_path', 22],
    ]);
    expect(r.codes).not.toContain('script-security-disabled');
    expect(configTestExitCode(r.diagnostics)).toBe(0);
  });

  it('gives every diagnostic a registered code, its keyword and a position', () => {
    const r = analyzeText(instance(' priority 0\n nopreempt\n state MASTER\n bogus') + 'vrrp_sync_group G {\n group {\n  VI_9\n }\n}\n');
    expect(r.diagnostics.length).toBeGreaterThan(3);
    for (const d of r.diagnostics) {
      expect(Object.keys(DIAGNOSTIC_CODES)).toContain(d.code);
      expect(d.severity).toBe(DIAGNOSTIC_CODES[d.code as keyof typeof DIAGNOSTIC_CODES].severity);
      expect(d.keyword, d.code).toBeTruthy();
      expect(d.pos?.line, d.code).toBeGreaterThan(0);
    }
  });
});
