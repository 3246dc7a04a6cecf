/**
 * The LVS controller as a Service: checker results and VRRP states go into the pure core
 * (src/lvs), the table it asks for goes to the kernel through an IpvsTableKeeper.
 *
 * - Start adopts: the first pass reads the kernel and plans against it, so entries that already
 *   match (a restart) are left as they are and no connection is dropped. lvs_flush flushes first.
 * - Each change is written incrementally (planned against the table last applied, no dump, and
 *   only over the services the change can touch); results that arrive together share one pass.
 * - Every `repairIntervalMs` (default 10 s) the kernel's services are read back, with the
 *   destinations of a third of them in turn, and whatever differs is repaired: a service within
 *   one interval, a destination within three (IpvsTableKeeper.check). keepalived never reads
 *   back (its issue 1877). Only our services are touched.
 * - Stop dumps the service list: when it holds only our services, one flush empties it; else the
 *   services it programmed are deleted (their destinations go with them) in one pipelined batch
 *   (src/ipvs/release.ts). `lvs_flush_on_stop` (no argument) flushes whatever is there; -I
 *   (dont_release_ipvs) leaves everything.
 * - quorum_up / quorum_down run through the `scripts` port when the core asks (a change of
 *   quorum; omega virtual servers' quorum_down at stop, unless -I keeps the table).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { realServerKey } from '../check/health.js';
import type { GlobalDefs, KeepalivedConfig } from '../config/model.js';
import { applySteps, type ApplyFailure } from '../ipvs/apply.js';
import { IpvsTableKeeper, type KeeperPass } from '../ipvs/table-keeper.js';
import { IpvsError } from '../ipvs/errors.js';
import { planReconcile } from '../ipvs/reconcile.js';
import { planRelease } from '../ipvs/release.js';
import type { IpvsClient, SyncDaemon } from '../ipvs/types.js';
import { changedServices } from '../lvs/changed-services.js';
import { desiredTable, serverWeight, sorryActive } from '../lvs/desired-table.js';
import { lvsTimeouts, syncDaemonConfig, syncDaemonState, type SyncDaemonConfig } from '../lvs/global-settings.js';
import { onHealthBatch, onVrrpState, reconfigureLvs, startLvs, type LvsState, type Step } from '../lvs/lvs-state.js';
import { stopScripts, type QuorumScript } from '../lvs/quorum-scripts.js';
import { formatRealServer, formatVs } from '../lvs/names.js';
import { isAlive } from '../lvs/server-health.js';
import { batchedLog } from '../log/batch.js';
import type { HealthEvent } from '../check/health.js';
import type { Service, ServiceContext, ServiceEvent } from './service.js';
import { describeStep, type LvsPreview } from './lvs-preview.js';
import type { LvsStatus } from './status.js';

/** How often the kernel table is read back and repaired by default: a hand-deleted service is back within this. */
export const DEFAULT_REPAIR_INTERVAL_MS = 10_000;
/**
 * Each read-back dumps the destinations of one part in this many of the services: at 1,000 × 10
 * in the vm a whole read-back cost most of the interval in CPU. A destination changed by hand is
 * back within this many intervals (30 s by default, the bound docs/lvs.md states).
 */
export const REPAIR_PARTS = 3;

/** do_vs_notifies() gives a script run at shutdown TIMER_HZ (1 s) before child_killed_thread kills it. */
export const STOP_SCRIPT_TIMEOUT_MS = 1_000;

/** Runs a configured script line with no arguments (script security applies); never rejects. */
export type ScriptRunner = (script: string, timeoutMs?: number) => Promise<void>;

export interface LvsPorts {
  /** Opens the IPVS client at start (generic netlink in the daemon, MemoryIpvsClient in tests); closed at stop. */
  readonly openIpvs: () => Promise<IpvsClient>;
  /** Calls `tick` every `ms` until the returned function is called (setInterval in the daemon, fake timers in tests). */
  readonly every: (ms: number, tick: () => void) => () => void;
  /** quorum_up / quorum_down, made at each start and reload for its global_defs; without it they are not run. */
  readonly scripts?: (global: GlobalDefs, log: Logger) => ScriptRunner;
}

export interface LvsOptions {
  readonly repairIntervalMs?: number;
  /** -I/--dont-release-ipvs: leave the table as it is at stop. */
  readonly dontReleaseIpvs?: boolean;
}

export const intervalTimer: LvsPorts['every'] = (ms, tick) => {
  const handle = setInterval(tick, ms);
  return () => clearInterval(handle);
};

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
/** The stable code of a KeepalivedError (IPVS_UNAVAILABLE, ...), for the log's `code` field. */
const errorCode = (error: unknown): string | undefined => (error as { code?: string } | null | undefined)?.code;

export class LvsService implements Service {
  readonly name = 'lvs' as const;
  private log: Logger | undefined;
  private config: KeepalivedConfig | undefined;
  private state: LvsState | undefined;
  private ipvs: IpvsClient | undefined;
  private keeper: IpvsTableKeeper | undefined;
  /** The state of the pass handed to the keeper last: the next pass's scope is what changed since. */
  private lastPassed: LvsState | undefined;
  private cancelRepair: (() => void) | undefined;
  /** The last read-back started, and how to cancel it: stop aborts it and waits for it to let go. */
  private reading: { readonly pass: Promise<unknown>; readonly abort: AbortController } | undefined;
  private dirty = false;
  private pendingHealth: HealthEvent[] = [];
  /** VRRP states published before start finished (the VRRP service starts first): stepped in at start. */
  private earlyVrrp: Extract<ServiceEvent, { type: 'vrrp-state' }>[] = [];
  /** Sync daemon changes, one at a time in the order the VRRP states came. */
  private syncQueue: Promise<void> = Promise.resolve();
  private running: Promise<void> | undefined;
  private stopped = false;
  private syncDaemon: { readonly config: SyncDaemonConfig; state: SyncDaemon['state'] | undefined } | undefined;
  private counts = { applies: 0, repairs: 0, errors: 0 };
  private runScript: ScriptRunner | undefined;
  /** Scripts still running: stop waits for them. */
  private readonly scriptsRunning = new Set<Promise<void>>();

  constructor(
    private readonly ports: LvsPorts,
    private readonly options: LvsOptions = {},
  ) {}

  async start(config: KeepalivedConfig, context: ServiceContext): Promise<void> {
    this.log = context.log;
    // IPVS_UNAVAILABLE here stops the start: keepalived's checker process cannot run without IPVS either
    const ipvs = await this.ports.openIpvs();
    this.ipvs = ipvs;
    this.keeper = new IpvsTableKeeper(ipvs);
    this.config = config;
    this.runScript = this.ports.scripts?.(config.global_defs, this.log);
    const step = startLvs(config);
    this.state = step.state;
    this.emit(step);
    for (const early of this.earlyVrrp) this.vrrpState(early);
    this.earlyVrrp = [];
    if (config.global_defs.lvs_flush) await this.attempt('flush', () => this.client().flush());
    const timeouts = lvsTimeouts(config);
    if (timeouts !== undefined) await this.attempt('set timeouts', () => this.client().setTimeouts(timeouts));
    await this.followSyncDaemon(config);
    this.requestApply();
    await this.settled();
    const interval = this.options.repairIntervalMs ?? DEFAULT_REPAIR_INTERVAL_MS;
    this.cancelRepair = this.ports.every(interval, () => void this.readBack());
  }

  /**
   * A reload: the core keeps the results of servers that stay (reconfigureLvs), and the new
   * table goes to the kernel in one full pass, planned against a fresh dump, so the reload also
   * repairs what was changed by hand (keepalived never reads back: its issues 1877, 1018). The
   * plan adds and edits before it deletes, so a service that keeps any server never runs empty.
   * A file that changes nothing costs one dump and no write.
   */
  async reconfigure(config: KeepalivedConfig): Promise<void> {
    this.takeHealth();
    const previous = this.config;
    if (this.state === undefined || previous === undefined || this.stopped) return;
    // passes for results received before the reload land first; the full pass then sees them
    await this.settled();
    this.config = config;
    if (this.log !== undefined) this.runScript = this.ports.scripts?.(config.global_defs, this.log);
    const step = reconfigureLvs(this.state, config);
    this.state = step.state;
    this.emit(step);
    const timeouts = lvsTimeouts(config);
    if (timeouts !== undefined && !isDeepStrictEqual(timeouts, lvsTimeouts(previous))) await this.attempt('set timeouts', () => this.client().setTimeouts(timeouts));
    if (!isDeepStrictEqual(syncDaemonConfig(config), this.syncDaemon?.config)) await this.followSyncDaemon(config);
    this.dirty = false;
    const pass = await this.pass('apply', this.state, 'full');
    if (pass !== undefined) this.log?.info({ steps: pass.steps.length, writes: pass.writes, failures: pass.failures.length }, `IPVS table reloaded: ${pass.steps.length} change(s)`);
  }

  /**
   * What a reload of `config` would write, planned from the table this configuration asks for
   * to the one the new file asks for (hand-made damage a reload would also repair is not shown:
   * that needs a dump, and the preview reads nothing from the kernel).
   */
  previewReconfigure(config: KeepalivedConfig): LvsPreview {
    if (this.state === undefined) return { changes: [] };
    // results not yet stepped count, but on a copy: a preview logs nothing and changes nothing
    const current = this.pendingHealth.length === 0 ? this.state : onHealthBatch(this.state, this.pendingHealth).state;
    const now = desiredTable(current);
    const next = desiredTable(reconfigureLvs(current, config).state);
    return { changes: planReconcile(next, now, { flush: true }).map(describeStep) };
  }

  /**
   * Events that come while start is under way wait for it: checkers report transitions only (as
   * keepalived's do), so a result dropped here would never come again and a failed server would
   * stay in the table.
   */
  receive(event: ServiceEvent): void {
    if (this.stopped) return;
    if (event.type === 'checker') {
      // stepped in a batch when the pass starts: one copy of the state for a burst of results
      this.pendingHealth.push(event);
      if (this.state === undefined) return;
    } else if (this.state === undefined) {
      this.earlyVrrp.push(event);
      return;
    } else {
      this.takeHealth();
      this.vrrpState(event);
      if (this.syncDaemon?.config.instance === event.instance) {
        const role = syncDaemonState(event.state);
        this.syncQueue = this.syncQueue.then(() => this.setSyncDaemon(role));
      }
    }
    this.requestApply();
  }

  /** Resolves once every change received so far is in the kernel (or has failed and been logged). */
  async settled(): Promise<void> {
    while (this.running !== undefined) await this.running;
    await this.syncQueue;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelRepair?.();
    // A read-back under way could write its repairs after the deletes below, and its queued
    // dumps would hold them back: aborted, it drops those dumps and writes nothing.
    this.reading?.abort.abort();
    await this.reading?.pass;
    await this.settled();
    this.takeHealth();
    const state = this.state;
    const config = this.config;
    if (state === undefined || config === undefined) return;
    if (this.options.dontReleaseIpvs === true) {
      this.log?.info('dont_release_ipvs: leaving the IPVS table as it is');
    } else {
      if (config.global_defs.lvs_flush_on_stop === 'full') await this.attempt('flush', () => this.client().flush());
      else await this.release(state);
      // clear_services() → update_vs_notifies(vs, true)
      for (const run of stopScripts([...state.index.values()].map((e) => e.vs))) this.run(run, STOP_SCRIPT_TIMEOUT_MS);
    }
    await Promise.allSettled([...this.scriptsRunning]);
    if (this.syncDaemon?.state !== undefined) await this.attempt('stop sync daemon', () => this.client().stopDaemon(this.syncDaemon?.state ?? 'backup'));
    this.ipvs?.close();
  }

  status(): LvsStatus {
    this.takeHealth();
    const state = this.state;
    const virtualServers =
      state === undefined
        ? []
        : [...state.index.values()].map((entry) => {
            const vsState = state.vs.get(entry.key);
            const active = vsState !== undefined && sorryActive(entry.vs, vsState);
            return {
              key: entry.key,
              quorumUp: vsState?.quorumUp ?? false,
              sorryServerActive: active,
              realServers: entry.vs.real_servers.map((rs, i) => {
                const health = vsState?.health[i] ?? [];
                return {
                  key: realServerKey(rs),
                  alive: isAlive(health),
                  weight: serverWeight(rs, health, active) ?? 0,
                  checkers: rs.checkers.map((checker, c) => ({ type: checker.type, up: health[c]?.up ?? false, lastResult: null })),
                };
              }),
            };
          });
    return { virtualServers, ...this.counts };
  }

  /**
   * Empties the kernel of our services: a flush when a dump just before shows nothing else, else
   * one DEL_SERVICE per service of ours (the kernel drops its destinations with it, so 1,000 × 10
   * is 1,000 messages, not the 11,000 of clear_services()), sent in batches (planRelease says
   * why, and what race remains). Then keepalived's "Shutting down service … from VS …" for every
   * server, as clear_service_rs() logs them. The lines come after the table is empty: at 1,000 ×
   * 10 writing them takes seconds under emulation, and the table should not wait for the log.
   */
  private async release(state: LvsState): Promise<void> {
    const ours = desiredTable(state).services.map(({ service }) => service.key);
    const oneByOne = (why: string, error: unknown): undefined => {
      this.log?.warn({ err: error, code: errorCode(error) }, `IPVS: ${why}, deleting ours one by one: ${errorText(error)}`);
      return undefined;
    };
    const kernel = await this.client()
      .services({ stats: false })
      .then(
        (services) => services.map((service) => service.key),
        (error: unknown) => oneByOne('cannot list services before stop', error),
      );
    let plan = planRelease(ours, kernel);
    if (plan.kind === 'flush') {
      try {
        await this.client().flush();
      } catch (error) {
        oneByOne('flush at stop failed', error);
        plan = planRelease(ours, undefined);
      }
    }
    const result = plan.kind === 'delete' ? await applySteps(this.client(), plan.steps) : { failures: [] };
    // one write per output for the lot: a system call per line was seconds of the stop under emulation
    batchedLog(this.log, () => {
      for (const entry of state.index.values()) {
        const vs = formatVs(entry.vs);
        for (const rs of entry.vs.real_servers) {
          const name = formatRealServer(rs, entry.vs);
          this.log?.info({ vs, rs: name }, `Shutting down service ${name} from VS ${vs}`);
        }
      }
    });
    // A service someone else already deleted is gone, which is what stop wants.
    this.report(result.failures.filter((f) => !(f.error instanceof IpvsError && f.error.errno === 'ESRCH')));
  }

  private requestApply(): void {
    this.dirty = true;
    if (this.running !== undefined || this.stopped) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /** Applies until no change is waiting; results that arrived in the same tick share one pass. */
  private async drain(): Promise<void> {
    while (this.dirty && !this.stopped) {
      await Promise.resolve();
      this.dirty = false;
      this.takeHealth();
      if (this.state === undefined) return;
      await this.pass('apply', this.state);
    }
  }

  /** Reads the kernel back and repairs what differs (the periodic timer calls it). */
  async readBack(): Promise<void> {
    this.takeHealth();
    if (this.state === undefined || this.stopped) return;
    const abort = new AbortController();
    const reading = this.pass('repair', this.state, 'check', abort.signal);
    this.reading = { pass: reading, abort };
    const pass = await reading;
    if (pass !== undefined && pass.steps.length > 0) {
      this.counts.repairs++;
      this.log?.warn({ steps: pass.steps.length, kinds: [...new Set(pass.steps.map((s) => s.kind))] }, `IPVS table differed from the configuration: ${pass.steps.length} change(s) written back`);
    }
  }

  /**
   * `read`: plan against memory (incremental), a partial read-back (check) or a whole one
   * (full). A pass aborted through `signal` (by stop) is no error.
   */
  private async pass(what: 'apply' | 'repair', state: LvsState, read: 'memory' | 'check' | 'full' = 'memory', signal?: AbortSignal): Promise<KeeperPass | undefined> {
    try {
      const keeper = this.keeper;
      if (keeper === undefined) return undefined;
      // Passes run in call order, so the keeper's memory (when it has one) is the previous call's table.
      const previous = this.lastPassed;
      this.lastPassed = state;
      const table = desiredTable(state);
      const pass =
        read === 'full'
          ? await keeper.fullCheck(table)
          : read === 'check'
            ? await keeper.check(table, REPAIR_PARTS, signal)
            : await keeper.apply(table, previous === undefined ? undefined : changedServices(previous, state));
      if (what === 'apply') this.counts.applies++;
      this.report(pass.failures);
      return pass;
    } catch (error) {
      this.keeper?.forget();
      if (signal?.aborted === true) return undefined;
      this.counts.errors++;
      this.log?.error({ err: error, code: errorCode(error) }, `IPVS ${what} failed: ${errorText(error)}`);
      return undefined;
    }
  }

  private report(failures: readonly ApplyFailure[]): void {
    for (const { step, error } of failures) {
      this.counts.errors++;
      this.log?.error({ step: step.kind, code: errorCode(error) }, `IPVS: ${errorText(error)}`);
    }
  }

  private async attempt(what: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.counts.errors++;
      this.log?.error({ err: error, code: errorCode(error) }, `IPVS: cannot ${what}: ${errorText(error)}`);
    }
  }

  /** lvs_sync_daemon: started as backup until its instance is reported Master. */
  private async followSyncDaemon(config: KeepalivedConfig): Promise<void> {
    const wanted = syncDaemonConfig(config);
    if (wanted === undefined) {
      if (this.syncDaemon?.state !== undefined) await this.attempt('stop sync daemon', () => this.client().stopDaemon(this.syncDaemon?.state ?? 'backup'));
      this.syncDaemon = undefined;
      return;
    }
    const state = this.syncDaemon?.state;
    this.syncDaemon = { config: wanted, state: undefined };
    if (state !== undefined) await this.attempt('stop sync daemon', () => this.client().stopDaemon(state));
    else {
      // As check_daemon.c does at start: a daemon left by a process that died is stopped first.
      await Promise.all(
        (['master', 'backup'] as const).map((role) =>
          this.client()
            .stopDaemon(role)
            .catch(() => undefined),
        ),
      );
    }
    await this.setSyncDaemon(syncDaemonState(this.state?.vrrp.get(wanted.instance)?.state));
  }

  /** ipvs_syncd_master() / ipvs_syncd_backup(): stop the other role, start this one. */
  private async setSyncDaemon(role: SyncDaemon['state']): Promise<void> {
    const sync = this.syncDaemon;
    if (sync === undefined || sync.state === role) return;
    const previous = sync.state;
    sync.state = role;
    if (previous !== undefined) await this.attempt('stop sync daemon', () => this.client().stopDaemon(previous));
    this.log?.info({ instance: sync.config.instance, state: role }, `Starting IPVS sync daemon as ${role} on ${sync.config.daemon.mcastInterface}`);
    await this.attempt('start sync daemon', () => this.client().startDaemon({ ...sync.config.daemon, state: role }));
  }

  private client(): IpvsClient {
    if (this.ipvs === undefined) throw new Error('the LVS service has not started');
    return this.ipvs;
  }

  private vrrpState(event: Extract<ServiceEvent, { type: 'vrrp-state' }>): void {
    if (this.state === undefined) return;
    const step = onVrrpState(this.state, event.instance, event.state, event.addresses);
    this.state = step.state;
    this.emit(step);
  }

  /** Steps the core through the checker results received since the last time, in order. */
  private takeHealth(): void {
    if (this.state === undefined || this.pendingHealth.length === 0) return;
    const step = onHealthBatch(this.state, this.pendingHealth);
    this.pendingHealth = [];
    this.state = step.state;
    this.emit(step);
  }

  /** A step's log lines, then its scripts (notify_exec: started, not waited for). */
  private emit(step: Pick<Step, 'logs' | 'scripts'>): void {
    for (const line of step.logs) this.log?.[line.level]({ vs: line.vs, ...(line.rs === undefined ? {} : { rs: line.rs }) }, line.msg);
    for (const run of step.scripts) this.run(run);
  }

  private run(run: QuorumScript, timeoutMs?: number): void {
    const runner = this.runScript;
    if (runner === undefined) return;
    this.log?.debug({ vs: run.vs, script: run.script }, `Running ${run.up ? 'quorum_up' : 'quorum_down'} script for VS ${run.vs}`);
    const running = runner(run.script, timeoutMs).finally(() => this.scriptsRunning.delete(running));
    this.scriptsRunning.add(running);
  }
}
