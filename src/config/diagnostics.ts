import type { Diagnostic, SourcePos } from './ast.js';

/**
 * Diagnostics in the form compilers use, which editors and CI annotate without help:
 *
 *   FILE:LINE:COL: error|warning: message [keyword]
 *     hint: ...
 *     included from FILE:LINE:COL
 *
 * The include lines run from the innermost include outwards.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.pos ? `${d.pos.file}:${d.pos.line}:${d.pos.col}` : 'keepalived-ts';
  const lines = [`${where}: ${d.severity}: ${d.message}${d.keyword !== undefined ? ` [${d.keyword}]` : ''}`];
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  for (const site of [...(d.pos?.via ?? [])].reverse()) lines.push(`  included from ${site.file}:${site.line}:${site.col}`);
  return lines.join('\n');
}

/** Orders diagnostics by file (in order of first mention), then line and column; ties keep their order. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const fileRank = new Map<string, number>();
  for (const d of list) if (d.pos && !fileRank.has(d.pos.file)) fileRank.set(d.pos.file, fileRank.size);
  const key = (pos: SourcePos | undefined): [number, number, number] => (pos ? [fileRank.get(pos.file) as number, pos.line, pos.col] : [-1, 0, 0]);
  return list
    .map((d, index) => ({ d, index, k: key(d.pos) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.index - b.index)
    .map((x) => x.d);
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}
