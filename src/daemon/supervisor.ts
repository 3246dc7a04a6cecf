import type { Logger } from 'pino';
import type { KeepalivedConfig } from '../config/model.js';
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
  /** sd_notify: READY=1, STOPPING=1, STATUS=. */
  readonly notify: (state: string) => void;
  readonly now: () => number;
  /** A one-shot timer, for the STATUS= line's rate limit. */
  readonly schedule: Schedule;
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
      lastReload: null,
      services: Object.fromEntries(this.started.map((s) => [s.name, s.status()])),
    };
  }

  private contextFor(service: Service): ServiceContext {
    return {
      log: this.ports.log.child({ service: service.name }),
      publish: (event) => this.relay(service, event),
      snapshot: () => this.snapshot(),
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
      void this.enqueue(async () => {
        this.ports.log.warn({ signal }, 'SIGHUP: reload is not implemented yet; configuration unchanged');
      });
      return;
    }
    // a dump already waiting covers the same signal again: a storm of them costs one file each
    if (this.queuedDumps.has(signal)) return;
    this.queuedDumps.add(signal);
    void this.enqueue(() => this.dump(signal));
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
  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.lifecycle.then(task);
    this.lifecycle = run.catch(() => undefined);
    return run;
  }
}
