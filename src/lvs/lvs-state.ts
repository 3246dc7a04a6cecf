/**
 * The LVS controller's core: what it knows (each checker's result, each virtual server's quorum,
 * which VRRP instances are Master with which addresses) and how an event changes it, with the
 * log lines keepalived prints for the same change. Pure: events in, the next state and log
 * lines out; desired-table.ts turns a state into the IPVS table.
 *
 * Transitions follow keepalived's check/ipwrapper.c: init_service_vs() at start,
 * update_svr_checker_state() → perform_svr_state() for a server going up or down,
 * update_svr_wgt() for a misc_dynamic weight, update_quorum_state() after each of them; a
 * VRRP state suspends or activates the checkers of ha_suspend virtual servers (ha-suspend.ts).
 * A change of quorum also asks for the virtual server's quorum_up / quorum_down script
 * (quorum-scripts.ts); the service runs them.
 */
import type { KeepalivedConfig, RealServer, VirtualServer } from '../config/model.js';
import { realServerKey, virtualServerKey, type HealthEvent, type VirtualServerKey } from '../check/health.js';
import type { VrrpState } from '../vrrp/events.js';
import { effectiveWeight, initialHealth, isAlive, realWeight, withChecker, type ServerHealth } from './server-health.js';
import { nextQuorumUp, quorumLimits, threshold, type QuorumLimits } from './quorum.js';
import { formatRealServer, formatRs, formatVs, configuredPort } from './names.js';
import { serviceParts, type ServicePart } from './services.js';
import { activityLogs, suspendedVirtualServers } from './ha-suspend.js';
import { quorumChange, quorumScript, type QuorumScript } from './quorum-scripts.js';

/** A virtual server as the core works with it: its config, its IPVS services, its real servers by key. */
export interface IndexedVs {
  readonly key: VirtualServerKey;
  readonly vs: VirtualServer;
  readonly parts: readonly ServicePart[];
  readonly limits: QuorumLimits;
  readonly servers: ReadonlyMap<string, number>;
}

export interface VsState {
  readonly quorumUp: boolean;
  /** Parallel to the virtual server's real_servers. */
  readonly health: readonly ServerHealth[];
}

export interface LvsState {
  /** Virtual servers in configuration order; a key written twice is kept once, the first. */
  readonly index: ReadonlyMap<VirtualServerKey, IndexedVs>;
  readonly vs: ReadonlyMap<VirtualServerKey, VsState>;
  /** The addresses each VRRP instance holds while it is Master, for ha_suspend. */
  readonly vrrp: ReadonlyMap<string, { readonly state: VrrpState; readonly addresses: readonly string[] }>;
  /** ha_suspend virtual servers whose checkers are suspended, with the results that came meanwhile, in order. */
  readonly suspended: ReadonlyMap<VirtualServerKey, readonly HealthEvent[]>;
}

export interface LvsLog {
  readonly level: 'info' | 'warn' | 'debug';
  /** keepalived's text where it has one. */
  readonly msg: string;
  readonly vs: string;
  readonly rs?: string;
}

export interface Step {
  readonly state: LvsState;
  readonly logs: readonly LvsLog[];
  /** quorum_up / quorum_down scripts to run, in the order the quorum changed. */
  readonly scripts: readonly QuorumScript[];
}

function indexConfig(config: KeepalivedConfig): Map<VirtualServerKey, IndexedVs> {
  const index = new Map<VirtualServerKey, IndexedVs>();
  for (const vs of config.virtual_servers) {
    const key = virtualServerKey(vs);
    if (index.has(key)) continue;
    const servers = new Map<string, number>();
    vs.real_servers.forEach((rs, i) => {
      if (!servers.has(realServerKey(rs))) servers.set(realServerKey(rs), i);
    });
    index.set(key, { key, vs, parts: serviceParts(vs, config.virtual_server_groups), limits: quorumLimits(vs), servers });
  }
  return index;
}

/** The alive servers' weight (weigh_live_realservers). */
export function liveWeight(vs: VirtualServer, health: readonly ServerHealth[]): number {
  let sum = 0;
  vs.real_servers.forEach((rs, i) => {
    const h = health[i] ?? [];
    if (isAlive(h)) sum += realWeight(effectiveWeight(rs, h));
  });
  return sum;
}

function sorryName(vs: VirtualServer): string {
  const sorry = vs.sorry_server;
  return sorry === null ? '' : formatRs(sorry.ip, configuredPort(sorry.port, vs.sorry_server_lvs_method, vs), vs);
}

/** update_quorum_state()'s log lines for a change of quorum (none when it holds). */
function quorumLogs(entry: IndexedVs, was: boolean, now: boolean, sum: number, init: boolean): LvsLog[] {
  const { vs, limits } = entry;
  const name = formatVs(vs);
  const limit = threshold(limits, was);
  const logs: LvsLog[] = [];
  const sorry = vs.sorry_server !== null;
  const change = quorumChange(vs, was, now, init);
  if (change === 'gained') {
    logs.push({ level: 'info', msg: `Gained quorum ${limits.quorum}+${limits.hysteresis}=${limit} <= ${sum} for VS ${name}`, vs: name });
    if (sorry && !init) {
      const verb = vs.sorry_server_inhibit ? 'Disabling' : 'Removing';
      logs.push({ level: 'info', msg: `${verb} sorry server ${sorryName(vs)} from VS ${name}`, vs: name });
      logs.push({ level: 'info', msg: `Adding alive servers to the pool for VS ${name}`, vs: name });
    }
  } else if (change === 'lost') {
    const what = init ? 'Starting with quorum down' : 'Lost quorum';
    logs.push({ level: 'warn', msg: `${what} ${limits.quorum}-${limits.hysteresis}=${limit} > ${sum} for VS ${name}`, vs: name });
    if (sorry) {
      const verb = vs.sorry_server_inhibit ? 'Enabling' : 'Adding';
      logs.push({ level: 'info', msg: `${verb} sorry server ${sorryName(vs)} to VS ${name}`, vs: name });
      logs.push({ level: 'info', msg: `Removing alive servers from the pool for VS ${name}`, vs: name });
    }
  }
  return logs;
}

/** init_services(): every checker at its starting result, the quorum judged once. */
export function startLvs(config: KeepalivedConfig): Step {
  const index = indexConfig(config);
  const states = new Map<VirtualServerKey, VsState>();
  const logs: LvsLog[] = [];
  const scripts: QuorumScript[] = [];
  for (const entry of index.values()) {
    const health = entry.vs.real_servers.map(initialHealth);
    const sum = liveWeight(entry.vs, health);
    const up = nextQuorumUp(entry.limits, false, sum);
    logs.push(...quorumLogs(entry, false, up, sum, true));
    scripts.push(...quorumScript(entry.vs, quorumChange(entry.vs, false, up, true)));
    states.set(entry.key, { quorumUp: up, health });
  }
  const vrrp = new Map<string, { readonly state: VrrpState; readonly addresses: readonly string[] }>();
  const suspended = new Map([...suspendedVirtualServers(index, vrrp)].map((key) => [key, []]));
  return { state: { index, vs: states, vrrp, suspended }, logs, scripts };
}

function serverLogs(rs: RealServer, entry: IndexedVs, before: ServerHealth, after: ServerHealth, event: HealthEvent): LvsLog[] {
  const vsName = formatVs(entry.vs);
  const rsName = formatRealServer(rs, entry.vs);
  const logs: LvsLog[] = [];
  const wasAlive = isAlive(before);
  const alive = isAlive(after);
  const oldWeight = realWeight(effectiveWeight(rs, before));
  const newWeight = realWeight(effectiveWeight(rs, after));
  // update_svr_wgt() runs on a successful misc_dynamic result, before the server's state changes.
  if (event.up && oldWeight !== newWeight) {
    logs.push({
      level: 'info',
      msg: `Changing weight from ${oldWeight} to ${newWeight} for ${wasAlive ? '' : 'in'}active service ${rsName} of VS ${vsName}`,
      vs: vsName,
      rs: rsName,
    });
  }
  if (wasAlive !== alive) {
    const verb = alive ? (rs.inhibit_on_failure ? 'Enabling' : 'Adding') : rs.inhibit_on_failure ? 'Disabling' : 'Removing';
    const preposition = rs.inhibit_on_failure ? 'of' : alive ? 'to' : 'from';
    logs.push({ level: alive ? 'info' : 'warn', msg: `${verb} service ${rsName} ${preposition} VS ${vsName}`, vs: vsName, rs: rsName });
  }
  return logs;
}

/** One checker's result: the server's health, then the quorum (perform_svr_state, update_svr_wgt). */
export function onHealth(state: LvsState, event: HealthEvent): Step {
  return onHealthBatch(state, [event]);
}

/**
 * Results in the order they came, as onHealth one after the other, but the map of virtual
 * servers is copied once for the batch, not once per result (10,000 results at start-up).
 */
export function onHealthBatch(state: LvsState, events: readonly HealthEvent[]): Step {
  const vs = new Map(state.vs);
  const logs: LvsLog[] = [];
  const scripts: QuorumScript[] = [];
  let suspended = state.suspended;
  for (const event of events) {
    const held = suspended.get(event.ref.vs);
    if (held !== undefined) {
      suspended = new Map(suspended).set(event.ref.vs, [...held, event]);
      continue;
    }
    const entry = state.index.get(event.ref.vs);
    const current = vs.get(event.ref.vs);
    const serverIndex = entry?.servers.get(event.ref.rs);
    const rs = serverIndex === undefined ? undefined : entry?.vs.real_servers[serverIndex];
    const before = serverIndex === undefined ? undefined : current?.health[serverIndex];
    if (entry === undefined || current === undefined || serverIndex === undefined || rs === undefined || before === undefined || event.ref.checker >= before.length) {
      const msg = `Ignoring a result for an unknown checker ${event.ref.checker} of ${event.ref.rs} in ${event.ref.vs}`;
      logs.push({ level: 'debug', msg, vs: event.ref.vs, rs: event.ref.rs });
      continue;
    }
    const after = withChecker(before, event.ref.checker, event.up, event.weight);
    const health = current.health.slice();
    health[serverIndex] = after;
    const sum = liveWeight(entry.vs, health);
    const quorumUp = nextQuorumUp(entry.limits, current.quorumUp, sum);
    logs.push(...serverLogs(rs, entry, before, after, event), ...quorumLogs(entry, current.quorumUp, quorumUp, sum, false));
    scripts.push(...quorumScript(entry.vs, quorumChange(entry.vs, current.quorumUp, quorumUp, false)));
    vs.set(entry.key, { quorumUp, health });
  }
  return { state: { ...state, vs, suspended }, logs, scripts };
}

/**
 * A VRRP instance's new state (lvs_sync_daemon follows it too): ha_suspend virtual servers whose
 * address went away suspend their checkers; those whose address came back activate them and act
 * on the results held meanwhile.
 */
export function onVrrpState(state: LvsState, instance: string, vrrpState: VrrpState, addresses: readonly string[]): Step {
  const vrrp = new Map(state.vrrp);
  vrrp.set(instance, { state: vrrpState, addresses });
  const now = suspendedVirtualServers(state.index, vrrp);
  const suspended = new Map<VirtualServerKey, readonly HealthEvent[]>();
  const logs: LvsLog[] = [];
  const released: HealthEvent[] = [];
  for (const entry of state.index.values()) {
    const held = state.suspended.get(entry.key);
    if (now.has(entry.key)) {
      suspended.set(entry.key, held ?? []);
      if (held === undefined) logs.push(...activityLogs(entry, true));
    } else if (held !== undefined) {
      logs.push(...activityLogs(entry, false));
      released.push(...held);
    }
  }
  const step = onHealthBatch({ ...state, vrrp, suspended }, released);
  return { state: step.state, logs: [...logs, ...step.logs], scripts: step.scripts };
}

/**
 * A new configuration: virtual servers and real servers that stay (same keepalived identity)
 * keep their checkers' results and their quorum, as keepalived's reload keeps alive servers
 * (clear_diff_services, migrate_checkers); a real server whose checkers changed in number
 * starts over. New ones start as at start-up. A removed virtual server that had quorum runs its
 * quorum_down.
 */
export function reconfigureLvs(state: LvsState, config: KeepalivedConfig): Step {
  const fresh = startLvs(config);
  const states = new Map(fresh.state.vs);
  const logs: LvsLog[] = [];
  // clear_diff_services() → clear_service_vs(vs, false): a removed virtual server that had quorum loses it, silently
  const scripts = [...state.index.values()].flatMap((entry) => (fresh.state.index.has(entry.key) || state.vs.get(entry.key)?.quorumUp !== true ? [] : quorumScript(entry.vs, 'lost')));
  for (const entry of fresh.state.index.values()) {
    const previous = state.index.get(entry.key);
    const was = state.vs.get(entry.key);
    const initial = states.get(entry.key);
    if (previous === undefined || was === undefined || initial === undefined) {
      logs.push(...fresh.logs.filter((l) => l.vs === formatVs(entry.vs)));
      scripts.push(...fresh.scripts.filter((s) => s.vs === formatVs(entry.vs)));
      continue;
    }
    const health = entry.vs.real_servers.map((rs, i) => {
      const at = previous.servers.get(realServerKey(rs));
      const kept = at === undefined ? undefined : was.health[at];
      return kept !== undefined && kept.length === rs.checkers.length ? kept : (initial.health[i] ?? initialHealth(rs));
    });
    const sum = liveWeight(entry.vs, health);
    const quorumUp = nextQuorumUp(entry.limits, was.quorumUp, sum);
    logs.push(...quorumLogs(entry, was.quorumUp, quorumUp, sum, false));
    scripts.push(...quorumScript(entry.vs, quorumChange(entry.vs, was.quorumUp, quorumUp, false)));
    states.set(entry.key, { quorumUp, health });
  }
  // Results held for a virtual server the new configuration no longer suspends are acted on now.
  const now = suspendedVirtualServers(fresh.state.index, state.vrrp);
  const suspended = new Map([...now].map((key) => [key, state.suspended.get(key) ?? []]));
  const released = [...state.suspended].flatMap(([key, held]) => (now.has(key) ? [] : held));
  const step = onHealthBatch({ index: fresh.state.index, vs: states, vrrp: state.vrrp, suspended }, released);
  return { state: step.state, logs: [...logs, ...step.logs], scripts: [...scripts, ...step.scripts] };
}
