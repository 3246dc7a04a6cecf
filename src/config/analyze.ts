/**
 * The semantic half of the config front end: from the syntax tree to a validated, typed
 * configuration with every default filled in, plus the diagnostics keepalived would print (and
 * some it would not). Pure: no file system, no clock, no host lookups (the host name, which
 * some defaults use, comes in through the options).
 */
import type { Diagnostic, Statement } from './ast.js';
import { buildGlobalDefs } from './build-global.js';
import { buildInstances } from './build-instances.js';
import { buildSyncGroups, isLegacyMemberLine } from './build-sync-groups.js';
import { buildTrackFiles, buildVrrpScripts } from './build-tracking.js';
import { buildVirtualServerGroups, buildVirtualServers } from './build-virtual-servers.js';
import { checkConfig } from './checks.js';
import { checkInterfaces } from './check-interfaces.js';
import { isFatal } from './diagnostic-codes.js';
import { sortDiagnostics } from './diagnostics.js';
import { DiagnosticSink } from './diagnostic-sink.js';
import { reportNotActedOn } from './not-acted-on.js';
import type { KeepalivedConfig, PlainValue, SslSettings } from './model.js';
import { uniqueNamed } from './named-blocks.js';
import { allEntries, readBlock, type BlockReading } from './read-block.js';
import { configuredScripts, type ScriptSite } from './scripts.js';
import { Settings } from './settings.js';

export interface AnalyzeOptions {
  /** Used where keepalived defaults to the host name (router_id, notification_email_from). */
  readonly hostname?: string;
  /**
   * The host's network interfaces (all of them, e.g. the names in /sys/class/net, not only those
   * with addresses). When given, interfaces the configuration names are checked against it, as
   * keepalived does at start-up; without it, no such check is made.
   */
  readonly interfaces?: readonly string[];
}

export interface AnalyzeResult {
  readonly config: KeepalivedConfig;
  readonly diagnostics: readonly Diagnostic[];
  /** Every place the configuration makes the daemon run a program. */
  readonly scripts: readonly ScriptSite[];
  readonly scriptsConfigured: boolean;
  readonly scriptSecurity: boolean;
  /** An error that leaves the daemon unable to run at all (keepalived -t exits 3). */
  readonly fatal: boolean;
}

export function analyze(statements: readonly Statement[], options: AnalyzeOptions = {}): AnalyzeResult {
  const sink = new DiagnosticSink();
  const instanceNames = new Set(statements.flatMap((s) => (s.keyword === 'vrrp_instance' && s.args[0] ? [s.args[0].value] : [])));
  const root = readBlock('root', statements, sink, {
    unknown: (block, stmt) => block === 'vrrp_sync_group' && isLegacyMemberLine(stmt, instanceNames),
  });
  reportNotActedOn(root, sink);

  const globalReading: BlockReading = {
    block: 'global_defs',
    entries: allEntries(root, 'global_defs').flatMap((e) => e.child?.entries ?? []),
  };
  const global = buildGlobalDefs(globalReading, sink, options);
  const serverGroups = buildVirtualServerGroups(uniqueNamed(allEntries(root, 'virtual_server_group'), sink), sink);
  const syncGroups = buildSyncGroups(uniqueNamed(allEntries(root, 'vrrp_sync_group'), sink), instanceNames, sink);
  const built: KeepalivedConfig = {
    global_defs: global,
    vrrp_scripts: buildVrrpScripts(uniqueNamed(allEntries(root, 'vrrp_script'), sink), sink),
    track_files: buildTrackFiles(uniqueNamed(allEntries(root, 'track_file'), sink), sink),
    vrrp_sync_groups: syncGroups,
    vrrp_instances: buildInstances(uniqueNamed(allEntries(root, 'vrrp_instance'), sink), global, syncGroups, sink),
    virtual_server_groups: serverGroups,
    virtual_servers: buildVirtualServers(allEntries(root, 'virtual_server'), global, serverGroups, sink),
    ...buildSsl(root),
    other: rootOthers(root),
  };
  const config = checkConfig(built, sink);
  checkInterfaces(config, options.interfaces, sink);

  const globals = new Settings('global_defs', globalReading);
  const scripts = configuredScripts(config, (keyword) => globals.pos(keyword));
  const scriptSecurity = global.enable_script_security;
  const first = scripts[0];
  if (first && !scriptSecurity) {
    sink.report(
      'script-security-disabled',
      'SECURITY VIOLATION - scripts are being executed but script_security not enabled.',
      { pos: first.pos, keyword: first.keyword },
      'add enable_script_security to global_defs (scripts then run as script_user, not root)',
    );
  }
  return {
    config,
    diagnostics: sortDiagnostics(sink.diagnostics),
    scripts,
    scriptsConfigured: scripts.length > 0,
    scriptSecurity,
    fatal: sink.diagnostics.some((d) => isFatal(d.code)),
  };
}

/** Top-level keywords and blocks keepalived-ts does not act on yet: their values, or the names of the blocks. */
/** The SSL block (the last one written wins, as keepalived's handlers overwrite). */
function buildSsl(root: BlockReading): { ssl?: SslSettings } {
  const entries = allEntries(root, 'SSL');
  if (entries.length === 0) return {};
  const s = new Settings('SSL', { block: 'SSL', entries: entries.flatMap((e) => e.child?.entries ?? []) });
  return { ssl: { password: s.string('password'), ca: s.string('ca'), certificate: s.string('certificate'), key: s.string('key') } };
}

function rootOthers(root: BlockReading): Record<string, PlainValue> {
  const out: Record<string, string[] | PlainValue> = {};
  for (const entry of root.entries) {
    if (entry.spec.status !== 'parsed') continue;
    if (entry.child || entry.lines) {
      const list = out[entry.name];
      const label = typeof entry.value === 'string' ? entry.value : entry.name;
      out[entry.name] = Array.isArray(list) ? [...list, label] : [label];
    } else {
      out[entry.name] = entry.value ?? true;
    }
  }
  return out;
}

/**
 * keepalived's `-t` exit status from the diagnostics of both halves of the front end: 3 when the
 * daemon could not run, 5 when scripts are configured without script security, 4 for other
 * errors, 0 otherwise (warnings allowed). keepalived itself lets 5 and 4 mask 3; we report the
 * worst problem first. `fatalCodes` adds the parser's fatal codes (missing file, ...).
 */
export function configTestExitCode(diagnostics: readonly Diagnostic[], fatalCodes: ReadonlySet<string> = new Set()): 0 | 3 | 4 | 5 {
  if (diagnostics.some((d) => isFatal(d.code) || fatalCodes.has(d.code))) return 3;
  if (diagnostics.some((d) => d.code === 'script-security-disabled')) return 5;
  if (diagnostics.some((d) => d.severity === 'error')) return 4;
  return 0;
}
