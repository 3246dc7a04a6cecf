import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/load-config.js';
import type { KeepalivedConfig } from '../config/model.js';
import { errorLine, refusalErrors, type ReloadOutcome, type ReloadPreview } from './reload.js';
import type { DumpKind, Service, ServiceContext, ServiceEvent } from './service.js';
import type { DaemonSignal, SignalPort } from './signals.js';
import type { DaemonStatus } from './status.js';
import { statusLine, StatusLineThrottle, type Schedule } from './status-line.js';

/** Writes one dump file whole (readers never see half of it). */
export type DumpWriter = (path: string, text: string) => Promise<void>;

export interface SupervisorPorts {
  readonly log: Logger;
  readonly signals: SignalPort;
  readonly writeDump: DumpWriter;
  /** Where a dump file of keepalived's name goes for this configuration (dump-paths.ts). */
  readonly dumpPath: (config: KeepalivedConfig, name: string) => string;
  /** sd_notify: READY=1, RELOADING=1, STOPPING=1, STATUS=. */
  readonly notify: (state: string) => void;
  readonly now: () => number;
  /** CLOCK_MONOTONIC in nanoseconds (process.hrtime.bigint): systemd's MONOTONIC_USEC and the reload's duration. */
  readonly monotonicNs: () => bigint;
  /** Reads the configuration file again, with the loader and options of `-t` and start-up (the daemon does it on a worker thread). */
  readonly loadConfig: () => LoadedConfig | Promise<LoadedConfig>;
  /** A one-shot timer, for the STATUS= line's rate limit. */
  readonly schedule: Schedule;
  /** Told once each reload is over (READY=1 sent): the daemon starts the next reload's reader thread then, not while a reload runs. */
  readonly reloadOver?: () => void;
}

export interface SupervisorInfo {
  readonly pid: number;
  readonly version: string;
  readonly configFile: string;
}

/** What each signal asks for, in keepalived's words (vrrp_daemon.c sigusr1_vrrp, sigusr2_vrrp, sigjson_vrrp). */
const DUMPS: Readonly<Partial<Record<DaemonSignal, { kind: DumpKind; clear: boolean; text: (pid: number) => string }>>> = {
  SIGUSR1: { kind: 'data', clear: false, text: (pid) => `Printing VRRP data for process(${pid}) on signal` },
  SIGUSR2: { kind: 'stats', clear: false, text: (pid) => `Printing VRRP stats for process(${pid}) on signal` },
  SIGSTATS_CLEAR: { kind: 'stats', clear: true, text: (pid) => `Printing and clearing VRRP stats for process(${pid}) on signal` },
  SIGJSON: { kind: 'json', clear: false, text: (pid) => `Printing VRRP as json for process(${pid}) on signal` },
};

/**
 * The daemon's one owner of start-up, signals and shutdown. Services start in order and stop
 * in reverse; lifecycle work (start, reload requests, dumps, stop) runs one task at a time on
 * one queue, so a HUP during start-up waits for it. A service's own work is never on that
 * queue: VRRP's actions run on VRRP's queue, and another service's slow apply cannot delay
 * them. Events a service publishes reach every other service at once, in order.
 */
export class Supervisor {
  private lifecycle: Promise<void> = Promise.resolve();
  private readonly queuedDumps = new Set<DaemonSignal>();
  private readonly started: Service[] = [];
  private config: KeepalivedConfig | undefined;
  private loadedAtUnix = 0;
  private lastReload: ReloadOutcome | undefined;
  private readonly reloads = { ok: 0, failed: 0 };
  /** A reload waiting on the queue: it reads the file when it begins, so it answers every request made before then. */
  private waitingReload: Promise<ReloadOutcome> | undefined;
  private stopping = false;
  private readonly statusLine: StatusLineThrottle;
  private exit: ((code: number) => void) | undefined;
  /** Resolves with the exit status once a TERM/INT stop has finished. */
  readonly finished: Promise<number>;

  constructor(
    private readonly services: readonly Service[],
    private readonly ports: SupervisorPorts,
    private readonly info: SupervisorInfo,
  ) {
    this.finished = new Promise((resolve) => (this.exit = resolve));
    this.statusLine = new StatusLineThrottle(
      () => statusLine(this.snapshot()),
      (line) => ports.notify(`STATUS=${line}`),
      ports.schedule,
    );
    ports.signals.on((signal) => this.signalled(signal));
  }

  /** Starts every service in order; if one fails, those started stop again and the failure is thrown. */
  start(config: KeepalivedConfig): Promise<void> {
    return this.enqueue(async () => {
      this.config = config;
      this.loadedAtUnix = this.ports.now();
      for (const service of this.services) {
        try {
          await service.start(config, this.contextFor(service));
        } catch (error) {
          await this.stopServices();
          throw error;
        }
        this.started.push(service);
      }
      this.ports.notify('READY=1');
      this.statusLine.changed();
    });
  }

  /** The whole daemon's status: each service's picture under its name. */
  snapshot(): DaemonStatus {
    return {
      pid: this.info.pid,
      version: this.info.version,
      configFile: this.info.configFile,
      loadedAtUnix: this.loadedAtUnix,
      lastReload: this.lastReloadStatus(),
      reloads: { ...this.reloads },
      services: Object.fromEntries(this.started.map((s) => [s.name, s.status()])),
    };
  }

  /** The last reload's outcome as the status shows it (the file's name is already at the top). */
  private lastReloadStatus(): DaemonStatus['lastReload'] {
    if (this.lastReload === undefined) return null;
    const { atUnix, ok, errors, result, durationUs } = this.lastReload;
    return { atUnix, ok, errors, result, durationUs };
  }

  private contextFor(service: Service): ServiceContext {
    return {
      log: this.ports.log.child({ service: service.name }),
      publish: (event) => this.relay(service, event),
      snapshot: () => this.snapshot(),
      reload: () => this.reload('request'),
      previewReload: () => this.previewReload(),
    };
  }

  private relay(from: Service, event: ServiceEvent): void {
    for (const to of this.services) {
      if (to === from || to.receive === undefined) continue;
      try {
        to.receive(event);
      } catch (error) {
        this.ports.log.error({ err: error, service: to.name, event: event.type }, `${to.name} failed to take a ${event.type} event: ${(error as Error).message}`);
      }
    }
    if (this.started.length === this.services.length && !this.stopping) this.statusLine.changed();
  }

  private signalled(signal: DaemonSignal): void {
    if (this.stopping) return;
    if (signal === 'SIGTERM' || signal === 'SIGINT') return this.stop(signal);
    if (signal === 'SIGHUP') {
      void this.reload(signal);
      return;
    }
    // a dump already waiting covers the same signal again: a storm of them costs one file each
    if (this.queuedDumps.has(signal)) return;
    this.queuedDumps.add(signal);
    void this.enqueue(() => this.dump(signal));
  }

  /**
   * Queues a reload, or joins the one already waiting: it has not read the file yet, so it
   * applies whatever the file says when its turn comes (keepalived's queue_reload() keeps one
   * pending reload the same way). Never rejects: the outcome says what happened.
   */
  reload(trigger: 'SIGHUP' | 'request'): Promise<ReloadOutcome> {
    if (this.waitingReload !== undefined) {
      // keepalived logs this only with -D (config_notify.c queue_reload)
      this.ports.log.debug({ trigger }, 'Reload already in progress, request queued');
      return this.waitingReload;
    }
    const waiting = this.enqueue(() => {
      this.waitingReload = undefined;
      return this.applyReload(trigger).catch((error: unknown) => {
        // a fault of ours (a notify that threw): logged and answered, never an unhandled rejection from a HUP
        this.ports.log.error({ err: error }, `Reload failed: ${(error as Error).message}`);
        return this.outcome('failed', [(error as Error).message], this.ports.monotonicNs());
      });
    });
    this.waitingReload = waiting;
    return waiting;
  }

  /**
   * keepalived's reload_config() and reload_vrrp_thread() in one process: RELOADING=1, the file
   * read by `-t`'s loader, refused whole on any error, else each service reconfigured in start
   * order; READY=1 when it is over either way, so `systemctl reload` returns.
   */
  private async applyReload(trigger: 'SIGHUP' | 'request'): Promise<ReloadOutcome> {
    const began = this.ports.monotonicNs();
    // a reload queued before a TERM: systemd has been told STOPPING=1, and the services are about to go
    if (this.stopping) return this.outcome('failed', ['the daemon is stopping'], began);
    this.ports.notify(`RELOADING=1\nMONOTONIC_USEC=${began / 1000n}`);
    this.ports.log.info({ trigger }, 'Reloading ...');
    const outcome = await this.reloadServices(began);
    this.lastReload = outcome;
    if (outcome.ok) this.reloads.ok++;
    else this.reloads.failed++;
    if (outcome.ok) {
      this.ports.log.info({ durationUs: outcome.durationUs }, `Reload finished in ${outcome.durationUs} usec`);
      this.ports.log.info({ durationUs: outcome.durationUs }, 'Reload complete');
    }
    this.ports.notify('READY=1');
    this.statusLine.changedNow();
    this.ports.reloadOver?.();
    return outcome;
  }

  private async reloadServices(began: bigint): Promise<ReloadOutcome> {
    const end = (result: ReloadOutcome['result'], texts: readonly string[]): ReloadOutcome => this.outcome(result, texts, began);
    const running = this.config;
    // a reload queued behind a start that failed has nothing to apply to
    if (running === undefined) return end('failed', ['the daemon is not running']);
    let loaded: LoadedConfig;
    try {
      loaded = await this.ports.loadConfig();
    } catch (error) {
      // the loader reports bad input as diagnostics; this is a fault of ours, and the daemon carries on
      this.ports.log.error({ err: error }, `Reload failed: cannot read ${this.info.configFile}: ${(error as Error).message}`);
      return end('failed', [(error as Error).message]);
    }
    this.ports.log.info({ durationUs: this.sinceUs(began) }, `Reload: ${this.info.configFile} read`);
    const errors = refusalErrors(loaded);
    if (errors.length > 0) {
      const lines = errors.map(errorLine);
      for (const d of errors) {
        const at = d.pos !== undefined ? { at: `${d.pos.file}:${d.pos.line}:${d.pos.col}` } : {};
        this.ports.log.error({ code: d.code, ...at }, errorLine(d));
      }
      this.ports.log.error({ errors: lines.length }, `Reload refused: ${lines.length} error(s) in ${this.info.configFile}; the running configuration is kept`);
      return end('refused', lines);
    }
    const applied: Service[] = [];
    for (const service of this.started) {
      const from = this.ports.monotonicNs();
      try {
        await service.reconfigure(loaded.config);
        // where a slow reload spent its time
        this.ports.log.info({ service: service.name, durationUs: this.sinceUs(from) }, `Reload: ${service.name} applied the new configuration`);
      } catch (error) {
        const text = `${service.name} could not apply the new configuration: ${(error as Error).message}`;
        this.ports.log.error({ err: error, service: service.name }, `Reload failed: ${text}; the running configuration is kept`);
        await this.putBack(applied, running);
        return end('failed', [text]);
      }
      applied.push(service);
    }
    this.config = loaded.config;
    return end('applied', []);
  }

  private outcome(result: ReloadOutcome['result'], errors: readonly string[], began: bigint): ReloadOutcome {
    return {
      ok: result === 'applied',
      result,
      configFile: this.info.configFile,
      errors,
      durationUs: this.sinceUs(began),
      atUnix: this.ports.now(),
    };
  }

  private sinceUs(from: bigint): number {
    return Number((this.ports.monotonicNs() - from) / 1000n);
  }

  /** After a service refused, those that had applied the new configuration go back to the running one, last first. */
  private async putBack(applied: readonly Service[], running: KeepalivedConfig): Promise<void> {
    for (const service of [...applied].reverse()) {
      try {
        await service.reconfigure(running);
      } catch (error) {
        this.ports.log.error({ err: error, service: service.name }, `${service.name} could not return to the running configuration: ${(error as Error).message}`);
      }
    }
  }

  /** Each service's picture of what a reload would change; queued like a reload so it sees the state a reload would start from. */
  previewReload(): Promise<ReloadPreview> {
    return this.enqueue(async () => {
      const loaded = await this.ports.loadConfig();
      const errors = refusalErrors(loaded);
      const services: Record<string, object | null> = {};
      for (const service of this.started) services[service.name] = errors.length > 0 ? null : await this.previewOf(service, loaded.config);
      return { configFile: this.info.configFile, refused: errors.length > 0, errors: errors.map(errorLine), services };
    });
  }

  /** A service whose preview fails says why in its place; one that offers none shows null. */
  private async previewOf(service: Service, config: KeepalivedConfig): Promise<object | null> {
    try {
      return (await service.previewReconfigure?.(config)) ?? null;
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  private async dump(signal: DaemonSignal): Promise<void> {
    this.queuedDumps.delete(signal);
    const what = DUMPS[signal];
    const config = this.config;
    // a dump asked for before a TERM is still written: the services stop after it
    if (what === undefined || config === undefined) return;
    this.ports.log.info({ signal }, what.text(this.info.pid));
    for (const service of this.started) {
      const file = service.dump?.(what.kind);
      if (file === undefined) continue;
      const path = this.ports.dumpPath(config, file.name);
      try {
        await this.ports.writeDump(path, file.text);
      } catch (error) {
        // keepalived's words when fopen fails (vrrp_print.c)
        this.ports.log.info({ err: error, path }, `Can't open ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}: ${(error as Error).message})`);
      }
      if (what.clear) service.clearStats?.();
    }
  }

  private stop(signal: DaemonSignal): void {
    this.stopping = true;
    this.statusLine.stop();
    this.ports.log.info({ signal }, `${signal}: stopping`);
    this.ports.notify('STOPPING=1');
    void this.enqueue(async () => {
      const failed = await this.stopServices();
      this.ports.signals.close();
      this.exit?.(failed ? 1 : 0);
    });
  }

  /** Stops the started services in reverse order; true when one of them failed. */
  private async stopServices(): Promise<boolean> {
    let failed = false;
    for (const service of [...this.started].reverse()) {
      try {
        await service.stop();
      } catch (error) {
        failed = true;
        this.ports.log.error({ err: error, service: service.name }, `${service.name} failed to stop: ${(error as Error).message}`);
      }
    }
    this.started.length = 0;
    return failed;
  }

  /** One lifecycle task at a time; a failed task does not stop the queue. */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lifecycle.then(task);
    this.lifecycle = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
