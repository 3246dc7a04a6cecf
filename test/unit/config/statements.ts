/**
 * Test helpers: keepalived.conf text through the real parser (from an in-memory file system),
 * then the analyzer.
 */
import { analyze, type AnalyzeOptions } from '../../../src/config/analyze.js';
import type { Diagnostic, Statement } from '../../../src/config/ast.js';
import { memoryFileSystem } from '../../../src/config/file-system.js';
import { parseConfigFile } from '../../../src/config/parse-config.js';

const FILE = '/etc/keepalived/keepalived.conf';

/** The syntax tree of `text`; fails the test if the text has syntax problems. */
export function statements(text: string): readonly Statement[] {
  const parsed = parseConfigFile(FILE, { fs: memoryFileSystem({ [FILE]: text }), configId: 'test', env: {}, random: () => 0 });
  const syntax = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (syntax.length > 0) throw new Error(`syntax errors in test config: ${syntax.map((d) => d.message).join('; ')}`);
  return parsed.statements;
}

/** Analyzes a config text; `codes` lists the diagnostic codes in order. */
export function analyzeText(text: string, options: AnalyzeOptions = {}) {
  const result = analyze(statements(text), options);
  return { ...result, codes: result.diagnostics.map((d) => d.code) };
}

/** The diagnostic with `code` (fails the test when there is none). */
export function diagnostic(result: { diagnostics: readonly Diagnostic[] }, code: string): Diagnostic {
  const found = result.diagnostics.find((d) => d.code === code);
  if (!found) throw new Error(`no ${code} among ${result.diagnostics.map((d) => d.code).join(', ')}`);
  return found;
}
