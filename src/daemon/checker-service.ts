/**
 * The health checkers as a Service (src/daemon/service.ts). It runs one checker machine
 * (src/check/checker-fsm.ts) per probe group of the plan, feeds each verdict to every real
 * server the group serves (src/check/real-server.ts), and carries out what they ask: probes
 * through the Prober ports, timers, notify_up/notify_down scripts, FIFO lines, keepalived's log
 * lines, and a HealthEvent for each checker that changes. Every Linux adapter is a port, so the
 * wiring is unit-tested with fakes (test/unit/check/service.test.ts).
 */
import type { Logger } from 'pino';
import { initialState, step, type CheckerState } from '../check/checker-fsm.js';
import { VS_PLACEHOLDER } from '../check/log-texts.js';
import type { CheckerAction, CheckerEvent } from '../check/checker-events.js';
import { planCheckers, type CheckerPlan, type PlannedRealServer, type ProbeGroup } from '../check/plan.js';
import type { ProbeResult, ProbeTarget } from '../check/probe.js';
import { initialRealServer, onStop, onVerdict, type RealServerAction, type RealServerState } from '../check/real-server.js';
import type { CheckerType, GlobalDefs, KeepalivedConfig } from '../config/model.js';
import type { ProberRegistry } from '../linux/probes/index.js';
import type { TimerPort } from './ports.js';
import type { Service, ServiceContext } from './service.js';

/** The timer host the service needs: the supervisor's timer port without its clock (`now` is its own port). */
export type CheckerTimers = Omit<TimerPort, 'now'>;

export interface FifoWriter {
  write(line: string): boolean;
  close(): void;
}

export interface CheckerPorts {
  readonly probers: ProberRegistry;
  /**
   * Probers that need the configuration (MISC_CHECK: script security and script_user;
   * FILE_CHECK: the track_file blocks), made again at each start and reload; they join `probers`.
   */
  readonly configProbers?: (config: KeepalivedConfig) => ProberRegistry;
  readonly now: () => number;
  /** In [0, 1): where in warmup each checker's first check falls. */
  readonly random: () => number;
  readonly timers: CheckerTimers;
  /** Runs notify_up/notify_down as configured (script security applies); never rejects. */
  readonly scripts: (global: GlobalDefs, log: Logger) => (script: string) => Promise<void>;
  readonly openFifo: (path: string) => FifoWriter;
}

/** The checker part of `keepalived-ts reload --dry-run`: probe groups by `TYPE [ip]:port`. */
export interface CheckerPreview {
  readonly started: readonly string[];
  readonly stopped: readonly string[];
  readonly kept: number;
}

/** A timer that fires this much later than asked is logged: checks that late are not on schedule. */
export const LATE_WARNING_MS = 100;
const LATE_LOG_EVERY_MS = 10_000;

interface RunningGroup {
  /** Replaced in place on reload, so that armed timers and probes in flight still find it. */
  group: ProbeGroup;
  state: CheckerState;
  /**
   * Aborted when the group stops (removed on reload, or the service stops): one controller for
   * all of the group's probes, not one per probe, which at thousands of probes a second costs.
   */
  readonly abort: AbortController;
  last: ProbeResult | null;
  lastAtUnix: number;
  /** What the probes are given; made again when the group or the url changes. */
  target: ProbeTarget | null;
  /** When the armed timer is due. */
  armedAt: number;
  /**
   * The timer's and the probes' callbacks, made once per group: at 10,000 checks a second a
   * closure and a promise per check were a large part of the service's own CPU and garbage.
   */
  readonly onTimer: (now: number) => void;
  readonly onResult: (result: ProbeResult) => void;
  /** The weight the last successful result asked for (misc_dynamic, FILE_CHECK), and what the LVS service was last told. */
  dynamic: DynamicWeight;
  told: DynamicWeight;
}

/** misc_dynamic's weight replaces the real server's; FILE_CHECK's delta is added to it. */
type DynamicWeight = Pick<ProbeResult, 'weight' | 'weightDelta'>;

const TIMER: CheckerEvent = { type: 'timer' };
const NO_WEIGHT: DynamicWeight = {};

const sameWeight = (a: DynamicWeight, b: DynamicWeight): boolean => a.weight === b.weight && a.weightDelta === b.weightDelta;

/**
 * The weight a health event carries for one real server: misc_dynamic's as it is, FILE_CHECK's
 * delta on top of the configured weight (the event's `weight` replaces the configured one).
 */
function eventWeight(d: DynamicWeight, rs: PlannedRealServer): number | undefined {
  if (d.weight !== undefined) return d.weight;
  return d.weightDelta === undefined ? undefined : rs.weight + d.weightDelta;
}

export class CheckerService implements Service {
  readonly name = 'checkers' as const;
  private context!: ServiceContext;
  private log!: Logger;
  private plan: CheckerPlan = { groups: new Map(), realServers: new Map(), unsupported: {} };
  private probers: ProberRegistry = {};
  private readonly running = new Map<string, RunningGroup>();
  private readonly realServers = new Map<string, RealServerState>();
  private runScript: (script: string) => Promise<void> = async () => undefined;
  private fifos: FifoWriter[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private lateSince = { count: 0, maxMs: 0, loggedAt: -Infinity };
  probes = 0;

  constructor(private readonly ports: CheckerPorts) {}

  async start(config: KeepalivedConfig, context: ServiceContext): Promise<void> {
    this.context = context;
    this.log = context.log;
    this.apply(config);
  }

  async reconfigure(config: KeepalivedConfig): Promise<void> {
    this.apply(config);
  }

  /** The checks a reload of `config` would start and stop; the others keep their state and schedule. */
  previewReconfigure(config: KeepalivedConfig): CheckerPreview {
    const plan = planCheckers(config, (type) => this.ports.probers[type] !== undefined);
    const named = (group: ProbeGroup): string => `${group.checker.type} ${group.params.label}`;
    return {
      started: [...plan.groups.values()].filter((g) => !this.running.has(g.key)).map(named),
      stopped: [...this.running.values()].filter((r) => !plan.groups.has(r.group.key)).map((r) => named(r.group)),
      kept: [...plan.groups.keys()].filter((key) => this.running.has(key)).length,
    };
  }

  async stop(): Promise<void> {
    this.ports.timers.cancelAll();
    for (const r of this.running.values()) r.abort.abort();
    // clear_service_rs(): with omega the live servers' down notifies run on the way out
    for (const rs of this.plan.realServers.values()) {
      const state = this.realServers.get(rs.id);
      if (state) this.perform(rs.id, onStop(rs.names, state, rs.omega));
    }
    await Promise.allSettled([...this.pending]);
    for (const f of this.fifos) f.close();
    this.fifos = [];
    this.running.clear();
  }

  status(): object {
    const { count, maxMs, totalMs } = this.ports.timers.lateness;
    return {
      probeGroups: this.running.size,
      probes: this.probes,
      unsupported: this.plan.unsupported,
      timerLateness: { fired: count, maxLateMs: Math.round(maxMs * 10) / 10, meanLateMs: count ? Math.round((totalMs / count) * 10) / 10 : 0 },
      realServers: [...this.plan.realServers.values()].map((rs) => {
        const state = this.realServers.get(rs.id);
        return {
          vs: rs.vs,
          key: rs.rs,
          alive: state?.alive ?? false,
          checkers: rs.checkers.map((c, i) => {
            const last = this.running.get(c.group)?.last ?? null;
            return {
              type: c.type,
              up: state?.checkersUp[i] ?? false,
              lastResult: last && { ok: last.ok, reason: last.detail ?? last.reason, latencyMs: Math.round(last.latencyMs * 10) / 10, atUnix: this.running.get(c.group)!.lastAtUnix },
            };
          }),
        };
      }),
    };
  }

  private apply(config: KeepalivedConfig): void {
    this.probers = { ...this.ports.probers, ...this.ports.configProbers?.(config) };
    const supported = (type: CheckerType): boolean => this.probers[type] !== undefined;
    const plan = planCheckers(config, supported);
    for (const [type, count] of Object.entries(plan.unsupported)) {
      this.log.warn({ checkerType: type, count }, `${type} is not implemented: ${count} checker(s) of that type are not run`);
    }
    this.runScript = this.ports.scripts(config.global_defs, this.log);
    this.openFifos(config.global_defs);

    // keepalived's migrate_checkers(): an unchanged check keeps its state and schedule
    for (const [key, r] of this.running) {
      if (plan.groups.has(key)) continue;
      this.ports.timers.cancel(key);
      r.abort.abort();
      this.running.delete(key);
    }
    const started: RunningGroup[] = [];
    for (const [key, group] of plan.groups) {
      const old = this.running.get(key);
      if (old) {
        old.group = group;
        old.target = null;
      } else {
        const r = this.newRunning(group);
        this.running.set(key, r);
        started.push(r);
      }
    }
    const realServers = new Map<string, RealServerState>();
    for (const rs of plan.realServers.values()) {
      const old = this.realServers.get(rs.id);
      const previous = this.plan.realServers.get(rs.id);
      const same = old && previous && previous.checkers.map((c) => c.group).join('\n') === rs.checkers.map((c) => c.group).join('\n');
      realServers.set(rs.id, same ? old : initialRealServer(rs.checkers.map((c) => c.alpha)));
    }
    this.realServers.clear();
    for (const [k, v] of realServers) this.realServers.set(k, v);
    this.plan = plan;

    for (const r of started) {
      // check_api.c register_checkers_thread()
      for (const ref of r.group.members) {
        const names = plan.realServers.get(`${ref.vs} ${ref.rs}`)!.names;
        this.log.info({ checker: names.rs, vs: names.vs }, `Activating healthchecker for service ${names.rs} for VS ${names.vs}`);
      }
      this.feed(r, { type: 'start', random: this.ports.random() });
    }
  }

  private newRunning(group: ProbeGroup): RunningGroup {
    const r: RunningGroup = {
      group,
      state: initialState(group.params),
      abort: new AbortController(),
      last: null,
      lastAtUnix: 0,
      target: null,
      armedAt: 0,
      dynamic: {},
      told: {},
      onTimer: (now) => {
        this.noteLateness(now - r.armedAt);
        if (this.running.get(r.group.key) === r) this.feed(r, TIMER);
      },
      onResult: (result) => this.settle(r, result),
    };
    return r;
  }

  private openFifos(global: GlobalDefs): void {
    for (const f of this.fifos) f.close();
    this.fifos = [];
    const paths = new Set([global.notify_fifo?.path, global.lvs_notify_fifo?.path].filter((p): p is string => p !== undefined));
    for (const path of paths) {
      try {
        this.fifos.push(this.ports.openFifo(path));
      } catch (error) {
        this.log.error({ fifo: path, err: error }, `cannot open notify FIFO ${path}: ${(error as Error).message}`);
      }
    }
  }

  private feed(r: RunningGroup, event: CheckerEvent): void {
    const result = step(r.group.params, r.state, event, this.ports.now());
    r.state = result.state;
    for (const action of result.actions) this.act(r, action);
  }

  private act(r: RunningGroup, action: CheckerAction): void {
    const key = r.group.key;
    switch (action.type) {
      case 'arm':
        r.armedAt = action.at;
        this.ports.timers.arm(key, action.at, r.onTimer);
        break;
      case 'probe':
        this.probe(r, action.url);
        break;
      case 'log':
        this.logLine(r, action.message);
        break;
      case 'verdict':
        this.verdict(r, action.up, action.firstRun, action.reason);
        break;
    }
  }

  /** update_svr_checker_state() for each real server the check serves; an up verdict carries the weight asked for. */
  private verdict(r: RunningGroup, up: boolean, firstRun: boolean, reason: string): void {
    // whether every real server heard of this verdict (with its weight); one already up hears nothing
    let toldAll = true;
    for (const ref of r.group.members) {
      const id = `${ref.vs} ${ref.rs}`;
      const planned = this.plan.realServers.get(id);
      const state = this.realServers.get(id);
      if (!planned || !state) continue;
      const position = planned.checkers.findIndex((c) => c.index === ref.checker);
      const alpha = planned.checkers[position]?.alpha ?? false;
      const next = onVerdict(planned.names, state, position, { up, firstRun, alpha, reason });
      this.realServers.set(id, next.state);
      if (!next.actions.some((x) => x.type === 'checker')) toldAll = false;
      const weight = up ? eventWeight(r.dynamic, planned) : undefined;
      this.perform(
        id,
        next.actions.map((a) => (a.type === 'checker' ? { ...a, checker: ref.checker, weight } : a)),
      );
    }
    if (up && toldAll) r.told = r.dynamic;
  }

  private probe(r: RunningGroup, url: number): void {
    const prober = this.probers[r.group.checker.type];
    if (!prober) return;
    this.probes++;
    if (r.target === null || r.target.url !== url) r.target = { checker: r.group.checker, ip: r.group.ip, port: r.group.port, url };
    const signal = r.abort.signal;
    if (prober.start) {
      prober.start(r.target, r.group.deadlineMs, signal, r.onResult);
      return;
    }
    // probers resolve, never reject; a rejection anyway is a failed attempt
    const done = prober.probe(r.target, r.group.deadlineMs, signal).then(r.onResult, (error: unknown) => r.onResult({ ok: false, reason: 'failed', detail: String(error), latencyMs: 0 }));
    this.track(done);
  }

  private settle(r: RunningGroup, result: ProbeResult): void {
    if (r.abort.signal.aborted || this.running.get(r.group.key) !== r) return;
    r.last = result;
    r.lastAtUnix = Date.now();
    if (result.ok) r.dynamic = result.weight === undefined && result.weightDelta === undefined ? NO_WEIGHT : { weight: result.weight, weightDelta: result.weightDelta };
    this.feed(r, { type: 'result', ok: result.ok, reason: result.reason });
    this.followWeight(r);
  }

  /**
   * check_misc.c / track_file.c update_svr_wgt(): a checker that stays up but asks for another
   * weight tells the LVS service without a change of state; down, its weight no longer counts.
   */
  private followWeight(r: RunningGroup): void {
    if (!r.state.up) {
      r.dynamic = {};
      r.told = {};
      return;
    }
    if (sameWeight(r.dynamic, r.told)) return;
    r.told = r.dynamic;
    for (const ref of r.group.members) {
      const planned = this.plan.realServers.get(`${ref.vs} ${ref.rs}`);
      if (!planned) continue;
      const weight = eventWeight(r.dynamic, planned) ?? planned.weight;
      this.context.publish({ type: 'checker', ref, up: true, weight, reason: r.last?.reason ?? 'weight' });
    }
  }

  /** keepalived's line; one naming the virtual server is written for each virtual server the check serves. */
  private logLine(r: RunningGroup, message: string): void {
    const fields = { checker: r.group.params.label, state: r.state.up ? 'UP' : 'DOWN' };
    if (!message.includes(VS_PLACEHOLDER)) {
      this.log.info(fields, message);
      return;
    }
    const names = new Set(r.group.members.map((ref) => this.plan.realServers.get(`${ref.vs} ${ref.rs}`)?.names.vs ?? ref.vs));
    for (const vs of names) this.log.info({ ...fields, vs }, message.replaceAll(VS_PLACEHOLDER, vs));
  }

  private perform(id: string, actions: readonly RealServerAction[]): void {
    const planned = this.plan.realServers.get(id);
    for (const a of actions) {
      switch (a.type) {
        case 'checker': {
          const weight = a.weight === undefined ? {} : { weight: a.weight };
          this.context.publish({ type: 'checker', ref: { vs: planned!.vs, rs: planned!.rs, checker: a.checker }, up: a.up, ...weight, reason: a.reason });
          break;
        }
        case 'script':
          this.track(this.runScript(a.script));
          break;
        case 'fifo':
          for (const f of this.fifos) f.write(a.line);
          break;
      }
    }
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Timer drift, logged like the VRRP timers' lateness, at most every 10 s. */
  private noteLateness(lateMs: number): void {
    if (lateMs < LATE_WARNING_MS) return;
    this.lateSince.count++;
    this.lateSince.maxMs = Math.max(this.lateSince.maxMs, lateMs);
    const now = this.ports.now();
    if (now - this.lateSince.loggedAt < LATE_LOG_EVERY_MS) return;
    const { count, maxMs } = this.lateSince;
    this.log.warn({ late: count, maxLateMs: Math.round(maxMs) }, `${count} checker timer(s) fired over ${LATE_WARNING_MS} ms late, the latest by ${Math.round(maxMs)} ms`);
    this.lateSince = { count: 0, maxMs: 0, loggedAt: now };
  }
}
