/**
 * Collects diagnostics while the configuration is analyzed. The severity of each comes from its
 * code (diagnostic-codes.ts), so one kind of problem is never an error in one place and a
 * warning in another.
 */
import type { Diagnostic, SourcePos } from './ast.js';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from './diagnostic-codes.js';

export interface Site {
  readonly pos?: SourcePos;
  readonly keyword?: string;
}

export class DiagnosticSink {
  readonly diagnostics: Diagnostic[] = [];

  report(code: DiagnosticCode, message: string, site: Site, hint?: string): void {
    this.diagnostics.push({
      severity: DIAGNOSTIC_CODES[code].severity,
      code,
      message,
      ...(site.keyword !== undefined ? { keyword: site.keyword } : {}),
      ...(site.pos !== undefined ? { pos: site.pos } : {}),
      ...(hint !== undefined ? { hint } : {}),
    });
  }
}
