import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { analyze } from '../config/analyze.js';
import { formatDiagnostic, hasErrors, sortDiagnostics } from '../config/diagnostics.js';
import { parseConfigFile } from '../config/parse-config.js';
import { FATAL_SYNTAX_CODES } from '../config/syntax-codes.js';
import { KeepalivedError } from '../errors.js';
import type { LogSettings } from '../log/settings.js';
import { createDaemonLog } from '../linux/logger.js';
import { claimPidFile } from '../linux/pidfile.js';
import { sdNotify } from '../linux/systemd.js';
import { VrrpDaemon } from './vrrp-daemon.js';

export interface DaemonOptions {
  readonly configFile: string;
  readonly pidFile: string;
  readonly configId?: string;
  /** -l, -G, -g, -S, -D. */
  readonly logging: LogSettings;
  /** -P: VRRP only (the checkers are not implemented yet either way). */
  readonly vrrpOnly: boolean;
  /** Where diagnostics and start-up failures go. */
  readonly err: (text: string) => void;
}

/** Exit statuses: keepalived's "cannot run" for a config it refuses or a system it cannot use. */
const EXIT_CONFIG = 3;
const EXIT_RUNTIME = 1;

/**
 * The foreground daemon behind `keepalived-ts -n -l -f FILE -p PIDFILE`: reads and judges the
 * config, claims the pid file, runs VRRP until SIGTERM/SIGINT, then hands over and exits 0.
 * Logs go where keepalived's flags say (src/linux/logger.ts): journald, pino JSON on stdout,
 * console and file lines.
 */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  const parsed = parseConfigFile(options.configFile, options.configId !== undefined ? { configId: options.configId } : {});
  const analyzed = analyze(parsed.statements, { hostname: hostname() });
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...analyzed.diagnostics]);
  for (const d of diagnostics) options.err(`${formatDiagnostic(d)}\n`);
  if (analyzed.fatal || hasErrors(diagnostics) || diagnostics.some((d) => FATAL_SYNTAX_CODES.has(d.code))) {
    options.err(`keepalived-ts: ${options.configFile} has errors: not starting\n`);
    return EXIT_CONFIG;
  }
  const daemonLog = createDaemonLog(options.logging);
  const log = daemonLog.log;
  if (daemonLog.fileError !== undefined) options.err(`keepalived-ts: ${daemonLog.fileError}\n`);
  if (!options.vrrpOnly && analyzed.config.virtual_servers.length > 0) log.warn('health checkers are not implemented yet: running VRRP only');

  let release: () => void;
  try {
    release = claimPidFile(options.pidFile);
  } catch (error) {
    options.err(`keepalived-ts: ${(error as Error).message}\n`);
    return EXIT_RUNTIME;
  }
  let daemon: VrrpDaemon;
  try {
    daemon = await VrrpDaemon.start(analyzed.config, log.child({ service: 'vrrp' }));
  } catch (error) {
    release();
    const message = error instanceof KeepalivedError ? error.message : String(error);
    log.fatal({ err: error }, message);
    options.err(`keepalived-ts: cannot start: ${message}\n`);
    return EXIT_RUNTIME;
  }
  sdNotify('READY=1');
  return waitForStop(daemon, log, release);
}

function waitForStop(daemon: VrrpDaemon, log: Logger, release: () => void): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, `${signal}: stopping`);
      sdNotify('STOPPING=1');
      daemon
        .shutdown()
        .then(() => resolve(0), (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          resolve(EXIT_RUNTIME);
        })
        .finally(release);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.on('SIGHUP', () => log.warn('SIGHUP: reload is not implemented yet; configuration unchanged'));
  });
}
