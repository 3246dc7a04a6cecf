import { statSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { formatDiagnostic } from '../config/diagnostics.js';
import type { ListenAddress } from '../control/listen-address.js';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import { KeepalivedError } from '../errors.js';
import { reportDiagnostics } from '../log/config-diagnostics.js';
import type { LogSettings } from '../log/settings.js';
import { createDaemonLog } from '../linux/logger.js';
import { ConfigReader, loadConfigOffThread } from '../linux/config-worker.js';
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
  /** -l, -G, -g, -S, -D. */
  readonly logging: LogSettings;
  /** -P: VRRP only. */
  readonly vrrpOnly: boolean;
  /** --control-socket and --metrics-listen. */
  readonly controlSocket?: string;
  readonly metricsListen?: ListenAddress;
  /** -C: the checker and LVS side only. */
  readonly checkOnly?: boolean;
  /** -I: leave the IPVS table at stop. */
  readonly dontReleaseIpvs?: boolean;
  /** Where start-up failures go. */
  readonly err: (text: string) => void;
}

/** Exit statuses: keepalived's "cannot run" for a config it refuses or a system it cannot use. */
const EXIT_CONFIG = 3;
const EXIT_RUNTIME = 1;

/**
 * The foreground daemon behind `keepalived-ts -n -l -f FILE -p PIDFILE`: loads the config by
 * keepalived's rule (runs what can run), claims the pid file, and hands the services to the
 * supervisor until TERM/INT. Logs go where keepalived's flags say (src/linux/logger.ts):
 * journald, pino JSON on stdout, console and file lines.
 */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  const signals = processSignals();
  // start-up and every reload read the file the same way, as -t does; a reload of all but a small file off the main thread, so VRRP's timers keep running
  const loadOptions = options.configId !== undefined ? { configId: options.configId } : {};
  const loaded = await loadAtStart(options.configFile, loadOptions);
  if (loaded.fatal) {
    for (const d of loaded.diagnostics) options.err(`${formatDiagnostic(d)}\n`);
    options.err(`keepalived-ts: ${options.configFile} cannot be run: not starting\n`);
    signals.close();
    return EXIT_CONFIG;
  }
  const daemonLog = createDaemonLog(options.logging);
  const log = daemonLog.log;
  if (daemonLog.fileError !== undefined) options.err(`keepalived-ts: ${daemonLog.fileError}\n`);
  reportDiagnostics({ log, err: options.err, journal: daemonLog.syslog === 'journal' }, loaded.diagnostics, loaded.disabled);

  let release: () => void;
  try {
    release = claimPidFile(options.pidFile);
  } catch (error) {
    signals.close();
    options.err(`keepalived-ts: ${(error as Error).message}\n`);
    return EXIT_RUNTIME;
  }
  const reader = new ConfigReader({ file: options.configFile, options: loadOptions });
  // a big file's next reload finds its reader thread started, its bootstrap paid while nothing waited for it
  const warm = (): void => {
    if (fileSize(options.configFile) > OFF_THREAD_BYTES) reader.prepare();
  };
  const { controlSocket, metricsListen } = options;
  const services = buildServices({
    config: loaded.config,
    log,
    vrrpOnly: options.vrrpOnly,
    controlSocket,
    metricsListen,
    ...(options.checkOnly !== undefined ? { checkOnly: options.checkOnly } : {}),
    ...(options.dontReleaseIpvs !== undefined ? { dontReleaseIpvs: options.dontReleaseIpvs } : {}),
  });
  const supervisor = new Supervisor(
    services,
    {
      log,
      signals,
      writeDump,
      dumpPath: (config, name) => dumpPath(config, name),
      notify: (state) => void sdNotify(state),
      now: Date.now,
      monotonicNs: () => process.hrtime.bigint(),
      loadConfig: () => (fileSize(options.configFile) <= IN_PLACE_RELOAD_BYTES ? loadConfig(options.configFile, loadOptions) : reader.read()),
      schedule: unrefTimer,
      reloadOver: warm,
    },
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
  warm();
  const code = await supervisor.finished;
  reader.close();
  release();
  return code;
}

/**
 * A main file this big is read on a worker thread, as a reload is. Parsing 1,000 virtual servers
 * x 10 real servers (2 MiB) peaks at ~140 MiB of heap for a 16 MiB model; on the main thread V8
 * keeps those pages for the daemon's lifetime (208 MiB idle), in a worker they go when it ends
 * (152 MiB). Starting the worker costs ~0.3 s at this machine's load, so a small file, whose
 * parse leaves little behind, is read in place: start to first advert stays short. For a file
 * this big, the thread of the next reload is also started ahead of it (ConfigReader.prepare);
 * a small file's reload starts its own, which costs an idle daemon nothing until then.
 */
const OFF_THREAD_BYTES = 256 * 1024;

function loadAtStart(file: string, options: { configId?: string }): LoadedConfig | Promise<LoadedConfig> {
  if (fileSize(file) <= OFF_THREAD_BYTES) return loadConfig(file, options);
  // a thread that cannot start (a resource limit) leaves the old way, not a daemon that will not run
  return loadConfigOffThread(file, options).catch(() => loadConfig(file, options));
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    // unreadable: loadConfig reports it the way -t does
    return 0;
  }
}

/**
 * A reload of a file this small reads it on the main thread: its parse, with the loader's code
 * already compiled by start-up, is ~10 ms of CPU (16 KiB: 10–30 ms at a host load of 15), where
 * starting a thread is ~300 ms of CPU competing with the adverts (test/netns/daemon-reload's 100
 * HUPs of a VRRP file). Bigger files are read on a thread (ConfigReader).
 */
const IN_PLACE_RELOAD_BYTES = 16 * 1024;

/** A timer that does not keep the process alive: the STATUS= line's rate limit never delays an exit. */
function unrefTimer(delayMs: number, run: () => void): () => void {
  const timer = setTimeout(run, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
}

/** The whole file or nothing: written beside its place, then renamed over it, mode 0600 as keepalived's umask leaves it. */
async function writeDump(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, path);
}
