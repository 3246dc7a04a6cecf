import type { Diagnostic, Statement } from '../../../src/config/ast.js';
import { memoryFileSystem } from '../../../src/config/file-system.js';
import { parseConfigFile, type ParseOptions, type ParseResult } from '../../../src/config/parse-config.js';

export const MAIN = '/etc/keepalived/keepalived.conf';

/** Parses `main` (and any `others`, keyed by absolute path) from memory. */
export function parseText(main: string, others: Record<string, string> = {}, options: ParseOptions = {}): ParseResult {
  return parseConfigFile(MAIN, { configId: 'main', env: {}, random: () => 0, ...options, fs: options.fs ?? memoryFileSystem({ [MAIN]: main, ...others }) });
}

/** The tree as indented lines, `keyword arg arg`, blocks indented by two spaces. */
export function outline(statements: readonly Statement[], indent = ''): string[] {
  const out: string[] = [];
  for (const s of statements) {
    out.push(`${indent}${[s.keyword, ...s.args.map((a) => a.value)].join(' ')}${s.block ? ' {' : ''}`);
    if (s.block) out.push(...outline(s.block, `${indent}  `), `${indent}}`);
  }
  return out;
}

/** Each diagnostic as `line:col severity code`, the file only when it is not the main one. */
export function brief(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => {
    const file = d.pos && d.pos.file !== MAIN ? `${d.pos.file}:` : '';
    return `${file}${d.pos ? `${d.pos.line}:${d.pos.col}` : '-'} ${d.severity} ${d.code}`;
  });
}
