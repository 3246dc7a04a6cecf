import { describe, expect, it } from 'vitest';
import { formatDiagnostic, hasErrors, sortDiagnostics } from '../../../src/config/diagnostics.js';

describe('formatDiagnostic', () => {
  it('prints FILE:LINE:COL: severity: message [keyword]', () => {
    expect(formatDiagnostic({ severity: 'error', code: 'x', message: 'unknown keyword', keyword: 'netify_backup', pos: { file: '/k.conf', line: 12, col: 5 } })).toBe(
      '/k.conf:12:5: error: unknown keyword [netify_backup]',
    );
  });

  it('adds the hint and the include chain, innermost include first', () => {
    const text = formatDiagnostic({
      severity: 'warning',
      code: 'x',
      message: 'm',
      hint: 'did you mean notify_backup?',
      pos: {
        file: '/c.conf',
        line: 3,
        col: 1,
        via: [
          { file: '/a.conf', line: 1, col: 1 },
          { file: '/b.conf', line: 2, col: 4 },
        ],
      },
    });
    expect(text.split('\n')).toEqual(['/c.conf:3:1: warning: m', '  hint: did you mean notify_backup?', '  included from /b.conf:2:4', '  included from /a.conf:1:1']);
  });

  it('names the program when there is no position', () => {
    expect(formatDiagnostic({ severity: 'error', code: 'x', message: 'cannot read' })).toBe('keepalived-ts: error: cannot read');
  });
});

describe('sortDiagnostics and hasErrors', () => {
  it('orders by file as first met, then line and column, and keeps ties in order', () => {
    const at = (file: string, line: number, col: number, message: string) => ({ severity: 'warning' as const, code: 'c', message, pos: { file, line, col } });
    const sorted = sortDiagnostics([at('/a', 5, 1, 'a5'), at('/b', 1, 1, 'b1'), at('/a', 2, 9, 'a2'), at('/a', 2, 3, 'a2x'), at('/a', 2, 3, 'a2y')]);
    expect(sorted.map((d) => d.message)).toEqual(['a2x', 'a2y', 'a2', 'a5', 'b1']);
  });

  it('tells errors from warnings', () => {
    expect(hasErrors([{ severity: 'warning', code: 'w', message: '' }])).toBe(false);
    expect(
      hasErrors([
        { severity: 'warning', code: 'w', message: '' },
        { severity: 'error', code: 'e', message: '' },
      ]),
    ).toBe(true);
  });
});
