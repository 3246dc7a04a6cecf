import { hostname as osHostname } from 'node:os';
import { analyze, configTestExitCode } from './analyze.js';
import type { Diagnostic, SourcePos, Statement } from './ast.js';
import { sortDiagnostics } from './diagnostics.js';
import type { KeepalivedConfig } from './model.js';
import { FATAL_SYNTAX_CODES, parseConfigFile, type ParseOptions } from './parse-config.js';

export interface LoadOptions extends ParseOptions {
  /** Where keepalived defaults to the host name; defaults to this host's. */
  readonly hostname?: string;
}

/** An instance keepalived would not run, and the errors that disabled it. */
export interface DisabledInstance {
  readonly instance: string;
  readonly errors: readonly Diagnostic[];
}

export interface LoadedConfig {
  /** What may run: the configuration without its disabled instances. */
  readonly config: KeepalivedConfig;
  /** The whole configuration as read, disabled instances included (what `-t -d` prints). */
  readonly read: KeepalivedConfig;
  /** Every diagnostic of both halves of the front end, in file and line order. */
  readonly diagnostics: readonly Diagnostic[];
  readonly disabled: readonly DisabledInstance[];
  /** keepalived would refuse to run at all (an unreadable file, a fatal mistake). */
  readonly fatal: boolean;
  /** keepalived's `-t` status for these diagnostics: 0, 3, 4 or 5. */
  readonly exitCode: 0 | 3 | 4 | 5;
}

/**
 * The one way a configuration is read, for `-t`, start-up and reload alike, with keepalived's
 * rule for what may start: it runs with "errors but would run" (the -t status 4), an error
 * inside a `vrrp_instance` block disables that instance and leaves the others running, and only
 * fatal problems (file unreadable, config too large, fatal semantic errors) stop it.
 */
export function loadConfig(file: string, options: LoadOptions = {}): LoadedConfig {
  const parsed = parseConfigFile(file, options);
  const host = options.hostname ?? osHostname();
  const analyzed = analyze(parsed.statements, { hostname: host });
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...analyzed.diagnostics]);
  const fatalSyntax = parsed.diagnostics.some((d) => FATAL_SYNTAX_CODES.has(d.code));
  const disabled = disabledInstances(parsed.statements, diagnostics);
  const gone = new Set(disabled.map((d) => d.instance));
  const config: KeepalivedConfig = {
    ...analyzed.config,
    vrrp_instances: analyzed.config.vrrp_instances.filter((i) => !gone.has(i.name)),
    vrrp_sync_groups: analyzed.config.vrrp_sync_groups.map((g) => ({ ...g, group: g.group.filter((m) => !gone.has(m)) })),
  };
  return {
    config,
    read: analyzed.config,
    // with a fatal syntax problem nothing (or not all) was read: judging the rest would only add noise
    diagnostics: fatalSyntax ? parsed.diagnostics : diagnostics,
    disabled,
    fatal: fatalSyntax || analyzed.fatal,
    exitCode: fatalSyntax ? 3 : configTestExitCode(diagnostics, FATAL_SYNTAX_CODES),
  };
}

/** Each `vrrp_instance` whose block holds an error, keyed by the instance's name. */
function disabledInstances(statements: readonly Statement[], diagnostics: readonly Diagnostic[]): DisabledInstance[] {
  const errors = diagnostics.filter((d) => d.severity === 'error' && d.pos !== undefined);
  return statements.flatMap((s) => {
    const name = s.args[0]?.value;
    if (s.keyword !== 'vrrp_instance' || name === undefined) return [];
    const span = spanOf(s);
    const inside = errors.filter((d) => within(d.pos as SourcePos, span));
    return inside.length > 0 ? [{ instance: name, errors: inside }] : [];
  });
}

type Span = ReadonlyMap<string, { readonly first: number; readonly last: number }>;

/** The lines a block covers, file by file (an include inside it brings in lines of another file). */
function spanOf(s: Statement): Span {
  const lines = new Map<string, { first: number; last: number }>();
  const visit = (t: Statement): void => {
    const seen = lines.get(t.pos.file);
    lines.set(t.pos.file, seen ? { first: Math.min(seen.first, t.pos.line), last: Math.max(seen.last, t.pos.line) } : { first: t.pos.line, last: t.pos.line });
    for (const child of t.block ?? []) visit(child);
  };
  visit(s);
  return lines;
}

function within(pos: SourcePos, span: Span): boolean {
  const range = span.get(pos.file);
  return range !== undefined && pos.line >= range.first && pos.line <= range.last;
}
