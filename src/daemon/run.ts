import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import { analyze } from '../config/analyze.js';
import { formatDiagnostic, hasErrors, sortDiagnostics } from '../config/diagnostics.js';
import { parseConfigFile } from '../config/parse-config.js';
import { FATAL_SYNTAX_CODES } from '../config/syntax-codes.js';
import { KeepalivedError } from '../errors.js';
import { claimPidFile } from '../linux/pidfile.js';
import { sdNotify } from '../linux/systemd.js';
import { VrrpDaemon } from './vrrp-daemon.js';
import { LvsService, intervalTimer } from './lvs-service.js';
import { openNetlinkIpvs } from '../linux/ipvs-netlink.js';
import type { KeepalivedConfig } from '../config/model.js';

export interface DaemonOptions {
  readonly configFile: string;
  readonly pidFile: string;
  readonly configId?: string;
  /** -D: debug level, drops included. */
  readonly detail: boolean;
  /** -P: VRRP only. */
  readonly vrrpOnly: boolean;
  /** -C: the LVS side only. */
  readonly checkOnly?: boolean;
  /** -I: leave the IPVS table at stop. */
  readonly dontReleaseIpvs?: boolean;
  /** Where diagnostics and start-up failures go. */
  readonly err: (text: string) => void;
}

/** Exit statuses: keepalived's "cannot run" for a config it refuses or a system it cannot use. */
const EXIT_CONFIG = 3;
const EXIT_RUNTIME = 1;

/**
 * The foreground daemon behind `keepalived-ts -n -l -f FILE -p PIDFILE`: reads and judges the
 * config, claims the pid file, runs VRRP until SIGTERM/SIGINT, then hands over and exits 0.
 * Logs are pino JSON lines on stdout.
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
  const log = pino({ level: options.detail ? 'debug' : 'info', base: { pid: process.pid } }, pino.destination({ dest: 1, sync: true }));
  const runLvs = options.vrrpOnly !== true && analyzed.config.virtual_servers.length > 0;
  if (runLvs) log.warn('health checkers are not implemented yet: real servers count as up (down under alpha) until a checker reports');

  let release: () => void;
  try {
    release = claimPidFile(options.pidFile);
  } catch (error) {
    options.err(`keepalived-ts: ${(error as Error).message}\n`);
    return EXIT_RUNTIME;
  }
  const parts: { shutdown(): Promise<void> }[] = [];
  try {
    if (options.checkOnly !== true) parts.push(await VrrpDaemon.start(analyzed.config, log));
    if (runLvs) parts.push(await startLvs(analyzed.config, log, options.dontReleaseIpvs === true));
  } catch (error) {
    for (const part of parts.reverse()) await part.shutdown().catch(() => undefined);
    release();
    const message = error instanceof KeepalivedError ? error.message : String(error);
    log.fatal({ err: error }, message);
    options.err(`keepalived-ts: cannot start: ${message}\n`);
    return EXIT_RUNTIME;
  }
  sdNotify('READY=1');
  return waitForStop(parts, log, release);
}

function waitForStop(parts: readonly { shutdown(): Promise<void> }[], log: Logger, release: () => void): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, `${signal}: stopping`);
      sdNotify('STOPPING=1');
      // Stopped side by side: VRRP's hand-over wait need not delay the IPVS release.
      Promise.all(parts.map((part) => part.shutdown()))
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

/** The LVS controller until the supervisor wires services: the real IPVS client, a repair timer. */
async function startLvs(config: KeepalivedConfig, log: Logger, dontReleaseIpvs: boolean): Promise<{ shutdown(): Promise<void> }> {
  const ipvs = await openNetlinkIpvs();
  const lvs = new LvsService({ ipvs, every: intervalTimer }, { dontReleaseIpvs });
  await lvs.start(config, { log, publish: () => undefined, snapshot: () => ({ pid: process.pid, version: '', configFile: '', loadedAtUnix: 0, lastReload: null, services: { lvs: lvs.status() } }) });
  return { shutdown: () => lvs.stop().finally(() => ipvs.close()) };
}
