/**
 * The whole config front end as `-t` runs it, in process: read and parse the file (with its
 * includes), then analyze the tree. The diagnostics of both stages, in that order.
 */
import { analyze } from '../../../src/config/analyze.js';
import type { Diagnostic, Statement } from '../../../src/config/ast.js';
import { parseConfigFile, type ParseOptions } from '../../../src/config/parse-config.js';

export interface CheckedConfig {
  readonly statements: readonly Statement[];
  readonly diagnostics: readonly Diagnostic[];
}

export function checkConfig(file: string, options: ParseOptions = {}): CheckedConfig {
  const parsed = parseConfigFile(file, options);
  const analyzed = analyze(parsed.statements);
  return { statements: parsed.statements, diagnostics: [...parsed.diagnostics, ...analyzed.diagnostics] };
}
