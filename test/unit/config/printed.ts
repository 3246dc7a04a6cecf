/**
 * Checks that what `-t` printed is what the pipeline found: one printed line per diagnostic,
 * same place, severity and keyword.
 */
import { resolve } from 'node:path';
import type { Diagnostic } from '../../../src/config/ast.js';
import type { PrintedDiagnostic } from './cli.js';

function key(file: string, line: number, col: number, severity: string, keyword: string | undefined): string {
  return `${file === '' ? '' : resolve(file)}:${line}:${col}: ${severity} [${keyword ?? ''}]`;
}

/** The keys printed but not found, and found but not printed; empty when both agree. */
export function samePrintedDiagnostics(printed: readonly PrintedDiagnostic[], found: readonly Diagnostic[]): string[] {
  const left = printed.map((p) => key(p.file, p.line, p.col, p.severity, p.keyword));
  const problems: string[] = [];
  for (const d of found) {
    const k = key(d.pos?.file ?? '', d.pos?.line ?? 0, d.pos?.col ?? 0, d.severity, d.keyword);
    const i = left.indexOf(k);
    if (i < 0) problems.push(`not printed: ${k}`);
    else left.splice(i, 1);
  }
  return [...problems, ...left.map((k) => `printed, not found: ${k}`)];
}
