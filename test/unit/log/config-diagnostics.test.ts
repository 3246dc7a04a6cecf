import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/config/ast.js';
import { reportDiagnostics } from '../../../src/log/config-diagnostics.js';

const warning: Diagnostic = {
  severity: 'warning',
  code: 'script-security-disabled',
  message: 'SECURITY VIOLATION - scripts are being executed but script_security not enabled.',
  keyword: 'script',
  pos: { file: '/etc/keepalived/keepalived.conf', line: 2, col: 3 },
  hint: 'add enable_script_security to global_defs',
};
const error: Diagnostic = { severity: 'error', code: 'bad-value', message: 'priority 300 out of range', pos: { file: '/etc/keepalived/keepalived.conf', line: 9, col: 3 } };

function run(journal: boolean) {
  const calls: { level: string; fields: object; message: string }[] = [];
  const stderr: string[] = [];
  reportDiagnostics(
    {
      log: { warn: (fields, message) => calls.push({ level: 'warn', fields, message }), error: (fields, message) => calls.push({ level: 'error', fields, message }) },
      err: (text) => stderr.push(text),
      journal,
    },
    [warning, error],
    [{ instance: 'VI_1', errors: [error] }],
  );
  return { calls, stderr };
}

describe('config diagnostics at start-up', () => {
  it('to a terminal or pipe: every diagnostic on stderr as -t prints it, errors also logged naming the instance they disable', () => {
    const { calls, stderr } = run(false);
    expect(stderr).toEqual([
      '/etc/keepalived/keepalived.conf:2:3: warning: SECURITY VIOLATION - scripts are being executed but script_security not enabled. [script]\n  hint: add enable_script_security to global_defs\n',
      '/etc/keepalived/keepalived.conf:9:3: error: priority 300 out of range\n',
    ]);
    expect(calls).toEqual([
      {
        level: 'error',
        fields: { code: 'bad-value', at: '/etc/keepalived/keepalived.conf:9:3', instance: 'VI_1' },
        message: '/etc/keepalived/keepalived.conf:9:3: error: priority 300 out of range; (VI_1) disabled',
      },
    ]);
  });

  it('to journald: nothing on the stderr stream (filed at priority 6); each diagnostic an entry at its own level, the hint a field', () => {
    const { calls, stderr } = run(true);
    expect(stderr).toEqual([]);
    expect(calls).toEqual([
      {
        level: 'warn',
        fields: { code: 'script-security-disabled', at: '/etc/keepalived/keepalived.conf:2:3', hint: 'add enable_script_security to global_defs' },
        message: '/etc/keepalived/keepalived.conf:2:3: warning: SECURITY VIOLATION - scripts are being executed but script_security not enabled. [script]',
      },
      {
        level: 'error',
        fields: { code: 'bad-value', at: '/etc/keepalived/keepalived.conf:9:3', instance: 'VI_1' },
        message: '/etc/keepalived/keepalived.conf:9:3: error: priority 300 out of range; (VI_1) disabled',
      },
    ]);
  });
});
