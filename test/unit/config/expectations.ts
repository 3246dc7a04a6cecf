/**
 * Expected diagnostics as data. An `.expect` file holds one diagnostic per line, written the way
 * the CLI prints it, without the file name unless the diagnostic is in another (included) file:
 *
 *     LINE:COL: error|warning: TEXT [keyword]
 *     FILE:LINE:COL: error|warning: TEXT [keyword]     FILE relative to the config's folder
 *     exit: N                                           the exit code `-t` must give (default 0
 *                                                       without errors, 4 with errors)
 *
 * TEXT matches a diagnostic whose `code` equals it or whose message or hint contains it; `[keyword]`
 * is optional and, when given, must equal the diagnostic's keyword. Lines starting with `#` and
 * blank lines are comments. A diagnostic without a position is written `0:0:`.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Diagnostic, Severity } from '../../../src/config/ast.js';

export interface ExpectedDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: Severity;
  readonly text: string;
  readonly keyword?: string;
  /** The `.expect` line, quoted back in failure messages. */
  readonly source: string;
}

export interface Expectations {
  readonly diagnostics: readonly ExpectedDiagnostic[];
  readonly exitCode: number;
}

const LINE = /^(?:(.+?):)?(\d+):(\d+): (error|warning): (.*?)(?: \[([^\]]+)\])?$/;

export function readExpectations(expectPath: string, configPath: string): Expectations {
  const diagnostics: ExpectedDiagnostic[] = [];
  let exitCode: number | undefined;
  for (const raw of readFileSync(expectPath, 'utf8').split('\n')) {
    const line = raw.trimEnd();
    if (line === '' || line.startsWith('#')) continue;
    const exit = /^exit: (\d+)$/.exec(line);
    if (exit) {
      exitCode = Number(exit[1]);
      continue;
    }
    const m = LINE.exec(line);
    if (!m) throw new Error(`${expectPath}: cannot read expectation '${line}'`);
    const [, file, lineNo, col, severity, text, keyword] = m;
    diagnostics.push({
      file: file === undefined ? resolve(configPath) : resolve(dirname(configPath), file),
      line: Number(lineNo),
      col: Number(col),
      severity: severity as Severity,
      text: text ?? '',
      ...(keyword === undefined ? {} : { keyword }),
      source: line,
    });
  }
  const hasError = diagnostics.some((d) => d.severity === 'error');
  return { diagnostics, exitCode: exitCode ?? (hasError ? 4 : 0) };
}

function matches(actual: Diagnostic, expected: ExpectedDiagnostic): boolean {
  const pos = actual.pos;
  const at = pos ? resolve(pos.file) === expected.file && pos.line === expected.line && pos.col === expected.col : expected.line === 0 && expected.col === 0;
  if (!at || actual.severity !== expected.severity) return false;
  if (expected.keyword !== undefined && actual.keyword !== expected.keyword) return false;
  return actual.code === expected.text || actual.message.includes(expected.text) || (actual.hint ?? '').includes(expected.text);
}

/** One line per diagnostic, as the `.expect` format writes it, for readable failures. */
export function describe(d: Diagnostic, configPath: string): string {
  const pos = d.pos;
  const where = pos ? `${resolve(pos.file) === resolve(configPath) ? '' : `${relative(dirname(configPath), pos.file)}:`}${pos.line}:${pos.col}` : '0:0';
  const hint = d.hint ? ` (${d.hint})` : '';
  return `${where}: ${d.severity}: ${d.code}: ${d.message}${hint}${d.keyword === undefined ? '' : ` [${d.keyword}]`}`;
}

/**
 * Pairs expected and actual diagnostics one to one. Returns what did not pair up: expected lines
 * nothing produced, and diagnostics nobody expected. Empty means an exact match.
 */
export function unmatched(actual: readonly Diagnostic[], expected: readonly ExpectedDiagnostic[], configPath: string): string[] {
  const left = [...actual];
  const problems: string[] = [];
  for (const e of expected) {
    const i = left.findIndex((a) => matches(a, e));
    if (i < 0) problems.push(`missing:    ${e.source}`);
    else left.splice(i, 1);
  }
  for (const a of left) problems.push(`unexpected: ${describe(a, configPath)}`);
  return problems;
}
