import { formatDiagnostic } from '../config/diagnostics.js';
import { dumpConfig } from '../config/dump.js';
import { loadConfig } from '../config/load-config.js';
import { FATAL_SYNTAX_CODES } from '../config/parse-config.js';

export interface ConfigTestRequest {
  readonly file: string;
  readonly configId?: string;
  readonly dump: boolean;
}

export interface ConfigTestOutcome {
  /** keepalived's -t status: 0 fine (warnings allowed), 3 cannot run, 4 errors but would run, 5 scripts without script security. */
  readonly exitCode: 0 | 3 | 4 | 5;
  /** Formatted diagnostics, one entry per diagnostic (hint and include lines included). */
  readonly report: readonly string[];
  /** The JSON text for -d, when asked for. */
  readonly dump?: string;
}

/**
 * `keepalived -t [-d]`: reads the configuration and judges it, by the same loadConfig the daemon
 * starts with, without touching the system; -d prints the analyzed configuration
 * (docs/dump-format.md).
 */
export function runConfigTest(request: ConfigTestRequest): ConfigTestOutcome {
  const loaded = loadConfig(request.file, request.configId !== undefined ? { configId: request.configId } : {});
  return {
    exitCode: loaded.exitCode,
    report: loaded.diagnostics.map(formatDiagnostic),
    ...(request.dump && !loaded.diagnostics.some((d) => FATAL_SYNTAX_CODES.has(d.code)) ? { dump: `${JSON.stringify(dumpConfig(loaded.read), null, 2)}\n` } : {}),
  };
}
