/**
 * What a reload reports, and which configurations it refuses. A reload applies a file only when
 * the loader that `-t` uses finds no error in it: at start-up keepalived runs what it can of a
 * file with errors, but a running daemon already has a working configuration to keep, so the
 * whole file is refused rather than a part of it dropped (docs/reload.md).
 */
import type { Diagnostic } from '../config/ast.js';
import { formatDiagnostic } from '../config/diagnostics.js';
import type { LoadedConfig } from '../config/load-config.js';

/** The result of one reload, as the control socket answers `reload` and `lastReload` records it. */
export interface ReloadOutcome {
  /** true when every service applied the new configuration. */
  readonly ok: boolean;
  /** `refused`: the file has errors, nothing changed; `failed`: a service could not apply it, those that had were put back. */
  readonly result: 'applied' | 'refused' | 'failed';
  readonly configFile: string;
  /** Each error, as `file:line:col: error: message` (refused), or the service's failure (failed). */
  readonly errors: readonly string[];
  /** From the signal (or request) being taken up to the last service done, in microseconds. */
  readonly durationUs: number;
  readonly atUnix: number;
}

/** What a reload of the current file would change, without applying it (`keepalived-ts reload --dry-run`). */
export interface ReloadPreview {
  readonly configFile: string;
  /** true when the file has errors: a reload would change nothing. */
  readonly refused: boolean;
  readonly errors: readonly string[];
  /** Each running service's own preview; null when the service offers none (its part is not shown). */
  readonly services: Readonly<Record<string, object | null>>;
}

/** The errors that make a reload refuse a file, each with its location; none when it may be applied. */
export function refusalErrors(loaded: LoadedConfig): Diagnostic[] {
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  // a fatal load always carries its reason; this covers one that does not say it as an error
  if (loaded.fatal && errors.length === 0) return [...loaded.diagnostics];
  return errors;
}

/** An error as the log and the control socket show it: its first line, `file:line:col: error: message [keyword]`. */
export function errorLine(d: Diagnostic): string {
  return formatDiagnostic(d).split('\n')[0] ?? d.message;
}
