import { hostname } from 'node:os';
import { analyze, configTestExitCode } from '../config/analyze.js';
import { formatDiagnostic, sortDiagnostics } from '../config/diagnostics.js';
import { dumpConfig } from '../config/dump.js';
import { FATAL_SYNTAX_CODES, parseConfigFile } from '../config/parse-config.js';

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
 * `keepalived -t [-d]`: reads the configuration and judges it, without touching the system: the
 * syntax (parse) and then the meaning (analyze), their diagnostics in file and line order; -d
 * prints the analyzed configuration (docs/dump-format.md).
 */
export function runConfigTest(request: ConfigTestRequest): ConfigTestOutcome {
  const parsed = parseConfigFile(request.file, request.configId !== undefined ? { configId: request.configId } : {});
  if (parsed.diagnostics.some((d) => FATAL_SYNTAX_CODES.has(d.code))) {
    // Nothing was read, or not all of it: judging the rest would only add noise.
    return { exitCode: 3, report: parsed.diagnostics.map(formatDiagnostic) };
  }
  const analyzed = analyze(parsed.statements, { hostname: hostname() });
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...analyzed.diagnostics]);
  return {
    exitCode: configTestExitCode(diagnostics, FATAL_SYNTAX_CODES),
    report: diagnostics.map(formatDiagnostic),
    ...(request.dump ? { dump: `${JSON.stringify(dumpConfig(analyzed.config), null, 2)}\n` } : {}),
  };
}
