/** Columns padded to their widest cell, two spaces apart, for a person reading a terminal. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** A Unix time in milliseconds as UTC ISO 8601, or `-` when there is none. */
export function isoTime(atUnix: number | undefined): string {
  return atUnix === undefined || !Number.isFinite(atUnix) ? '-' : new Date(atUnix).toISOString();
}

/** Milliseconds with at most one decimal. */
export function ms(value: number): string {
  return `${Math.round(value * 10) / 10} ms`;
}
