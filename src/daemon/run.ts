import { rename, writeFile } from 'node:fs/promises';
import { pino, type Logger } from 'pino';
import { formatDiagnostic } from '../config/diagnostics.js';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import { KeepalivedError } from '../errors.js';
import { claimPidFile } from '../linux/pidfile.js';
import { processSignals } from '../linux/signals.js';
import { sdNotify } from '../linux/systemd.js';
import { VERSION } from '../version.js';
import { dumpPath } from './dump-paths.js';
import { buildServices } from './services.js';
import { Supervisor } from './supervisor.js';

export interface DaemonOptions {
  readonly configFile: string;
  readonly pidFile: string;
  readonly configId?: string;
  /** -D: debug level, drops included. */
  readonly detail: boolean;
  /** -P: VRRP only. */
  readonly vrrpOnly: boolean;
  /** Where start-up failures go. */
  readonly err: (text: string) => void;
}

/** Exit statuses: keepalived's "cannot run" for a config it refuses or a system it cannot use. */
const EXIT_CONFIG = 3;
const EXIT_RUNTIME = 1;

/**
 * The foreground daemon behind `keepalived-ts -n -l -f FILE -p PIDFILE`: loads the config by
 * keepalived's rule (runs what can run), claims the pid file, and hands the services to the
 * supervisor until TERM/INT. Logs are pino JSON lines on stdout.
 */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  const signals = processSignals();
  const loaded = loadConfig(options.configFile, options.configId !== undefined ? { configId: options.configId } : {});
  if (loaded.fatal) {
    for (const d of loaded.diagnostics) options.err(`${formatDiagnostic(d)}\n`);
    options.err(`keepalived-ts: ${options.configFile} cannot be run: not starting\n`);
    signals.close();
    return EXIT_CONFIG;
  }
  const log = pino({ level: options.detail ? 'debug' : 'info', base: { pid: process.pid } }, pino.destination({ dest: 1, sync: true }));
  logDiagnostics(log, loaded);

  let release: () => void;
  try {
    release = claimPidFile(options.pidFile);
  } catch (error) {
    signals.close();
    options.err(`keepalived-ts: ${(error as Error).message}\n`);
    return EXIT_RUNTIME;
  }
  const services = buildServices({ config: loaded.config, log, vrrpOnly: options.vrrpOnly });
  const supervisor = new Supervisor(
    services,
    { log, signals, writeDump, dumpPath: (config, name) => dumpPath(config, name), notify: (state) => void sdNotify(state), now: Date.now },
    { pid: process.pid, version: VERSION, configFile: options.configFile },
  );
  try {
    await supervisor.start(loaded.config);
  } catch (error) {
    signals.close();
    release();
    const message = error instanceof KeepalivedError ? error.message : String(error);
    log.fatal({ err: error }, message);
    options.err(`keepalived-ts: cannot start: ${message}\n`);
    return EXIT_RUNTIME;
  }
  const code = await supervisor.finished;
  release();
  return code;
}

/**
 * Every diagnostic at its level, as `file:line:col: message`; an error inside a vrrp_instance
 * names the instance it disables, as keepalived logs it and runs the rest.
 */
function logDiagnostics(log: Logger, loaded: LoadedConfig): void {
  const disabledBy = new Map(loaded.disabled.flatMap((d) => d.errors.map((e) => [e, d.instance] as const)));
  for (const d of loaded.diagnostics) {
    const instance = disabledBy.get(d);
    const at = d.pos !== undefined ? `${d.pos.file}:${d.pos.line}:${d.pos.col}` : undefined;
    const fields = { code: d.code, ...(at !== undefined ? { at } : {}), ...(instance !== undefined ? { instance } : {}) };
    const text = formatDiagnostic(d).split('\n')[0] ?? d.message;
    if (d.severity === 'warning') log.warn(fields, text);
    else log.error(fields, instance !== undefined ? `${text}; (${instance}) disabled` : text);
  }
}

/** The whole file or nothing: written beside its place, then renamed over it, mode 0600 as keepalived's umask leaves it. */
async function writeDump(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, path);
}
