import type { Diagnostic } from '../config/ast.js';
import { formatDiagnostic } from '../config/diagnostics.js';
import type { DisabledInstance } from '../config/load-config.js';

/** The two log calls a diagnostic needs (a pino Logger has them). */
export interface DiagnosticLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Where a loaded configuration's diagnostics go at start-up. */
export interface DiagnosticOutput {
  readonly log: DiagnosticLog;
  /** stderr, as `-t` prints. */
  readonly err: (text: string) => void;
  /**
   * The log goes to journald. Under systemd stderr is a journal stream filed at priority 6
   * (info), so a warning printed there never shows under `journalctl -p warning` (issue 12):
   * each diagnostic becomes a journal entry at its own priority instead.
   */
  readonly journal: boolean;
}

/**
 * Reports what loadConfig found, as keepalived logs its config errors and runs the rest: each
 * diagnostic on stderr as `-t` prints it (or, to journald, as an entry at warning or error
 * priority), and each error also logged as `file:line:col: message`, naming the instance it
 * disables.
 */
export function reportDiagnostics(output: DiagnosticOutput, diagnostics: readonly Diagnostic[], disabled: readonly DisabledInstance[]): void {
  const disabledBy = new Map(disabled.flatMap((d) => d.errors.map((e) => [e, d.instance] as const)));
  for (const d of diagnostics) {
    const text = formatDiagnostic(d);
    if (!output.journal) output.err(`${text}\n`);
    const at = d.pos !== undefined ? `${d.pos.file}:${d.pos.line}:${d.pos.col}` : undefined;
    const first = text.split('\n')[0] ?? d.message;
    const fields = { code: d.code, ...(at !== undefined ? { at } : {}), ...(output.journal && d.hint !== undefined ? { hint: d.hint } : {}) };
    if (d.severity === 'error') {
      const instance = disabledBy.get(d);
      output.log.error({ ...fields, ...(instance !== undefined ? { instance } : {}) }, instance !== undefined ? `${first}; (${instance}) disabled` : first);
    } else if (output.journal) output.log.warn(fields, first);
  }
}
