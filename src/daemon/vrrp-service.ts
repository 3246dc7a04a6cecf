import type { Logger } from 'pino';
import type { KeepalivedConfig, VrrpScript } from '../config/model.js';
import { KeepalivedError } from '../errors.js';
import type { InterfaceAddress, LinkState, Route, Rule } from '../net/kernel-objects.js';
import type { Arrival } from '../linux/vrrp-transport.js';
import { familyOf, type AddressFamily } from '../net/ip-address.js';
import type { VrrpAction } from '../vrrp/actions.js';
import { advertIntervalMs, makeAdvert, passwordAuthData } from '../vrrp/advert.js';
import { encodeAdvert } from '../vrrp/advert-codec.js';
import type { TimerName, VrrpEvent } from '../vrrp/events.js';
import { explain } from '../vrrp/explain.js';
import { masterDownIntervalOf, ownFaults, priorityOf, type Instance } from '../vrrp/instance.js';
import { handoverBoundMs } from '../vrrp/handover.js';
import { createNode, nodeAdvance, nodeBroadcast, nodeReconfigure, nodeStopped, type VrrpNode } from '../vrrp/node.js';
import { planVrrpReload } from '../vrrp/reload-match.js';
import { compareAddresses } from '../vrrp/address-order.js';
import { ahSequenceAfter, nextAhSequence } from '../vrrp/ipsec-ah.js';
import { decodeIpv4Packet, decodeIpv6Advert, encodeIpv4Packet, type ReceivedAdvert } from '../vrrp/packet.js';
import { checkAdvert } from '../vrrp/receive-checks.js';
import { RejectCounters, type Rejection } from '../vrrp/reject.js';
import type { TrackerStatus } from '../vrrp/tracking.js';
import { isDeepStrictEqual } from 'node:util';
import { routeHoldings, ruleHoldings, vipHoldings, type InstanceHoldings } from './instance-holdings.js';
import { interfaceTracker, planDaemon, scriptTracker, type DaemonPlan, type InstancePlan, type VipPlan } from './plan.js';
import type { AnnouncerPort, FifoPort, LinkWatchPort, TrackScriptsPort, VrrpPorts, VrrpSocketPort } from './ports.js';
import type { RoutePlan } from './route-plan.js';
import { vrrpDumpFile } from './dumps/vrrp-dump.js';
import type { DumpFile, DumpKind, Service, ServiceContext, ServiceReloadPreview } from './service.js';
import type { VrrpInstanceRuntime, VrrpInstanceStatus, VrrpScriptStatus, VrrpStatus } from './status.js';
import { statOfReject, zeroStats, type InstanceStats } from './vrrp-stats.js';

/**
 * How long, past the slowest hand-over the core can ask for, a stop waits for every instance to
 * reach STOP before it closes anyway: a guard against a core bug, never the normal path.
 */
const STOP_SLACK_MS = 1000;

/**
 * VRRP as a service: wiring only. Arrivals go through the codec and the receive checks into the
 * state machine; the actions it returns are carried out with their own contents (priority,
 * interval, address lists) through the ports, in the order the core gave them, on a queue of
 * this service's own (another service's slow work never delays an advert).
 */
export class VrrpService implements Service {
  readonly name = 'vrrp';
  private readonly drops = new RejectCounters();
  private readonly stats = new Map<string, InstanceStats>();
  /** Gratuitous ARPs or unsolicited NAs sent, per instance (not keepalived's stats: signal 63 leaves them). */
  private readonly announcementsSent = new Map<string, number>();
  private node: VrrpNode = { instances: {}, groups: [] };
  private plan: DaemonPlan = { instances: [], unusable: [], syncGroups: [], scripts: [] };
  private byName = new Map<string, InstancePlan>();
  /** The plan's instances by what an arrival names: see receiverKey. */
  private receivers = new Map<string, InstancePlan[]>();
  private readonly links = new Map<string, LinkState>();
  /** The interfaces' addresses as last read (start, reload): where a primary address comes from. */
  private addresses: readonly InterfaceAddress[] = [];
  /** Each armed timer, so that a reload's rename can move it. */
  private readonly armed = new Map<string, { instance: string; timer: TimerName; at: number }>();
  private readonly sockets = new Map<string, VrrpSocketPort>();
  /** `auth_type AH`: each instance's sequence counter (ipsec-ah.ts), and the IP identification keepalived sets itself. */
  private readonly ahCounters = new Map<string, number>();
  /** Each instance's last advert packets without AH, sent again while nothing in them changes. */
  private readonly built = new Map<string, BuiltAdvert>();
  private ipIdentification = 0;
  private readonly transitions = new Map<string, VrrpInstanceStatus['lastTransition']>();
  private readonly noAcceptWarned = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private context: ServiceContext | undefined;
  private announcer: AnnouncerPort | undefined;
  private watch: LinkWatchPort | undefined;
  private trackers: TrackScriptsPort | undefined;
  private fifo: FifoPort | undefined;
  private held: Holdings | undefined;
  private stopping = false;
  private onStopped: (() => void) | undefined;
  private config: KeepalivedConfig | undefined;

  constructor(private readonly ports: VrrpPorts) {}

  private get log(): Logger {
    if (this.context === undefined) throw new KeepalivedError('ERR_NOT_STARTED', 'the VRRP service has not started');
    return this.context.log;
  }

  async start(config: KeepalivedConfig, context: ServiceContext): Promise<void> {
    this.context = context;
    this.config = config;
    const { rtnl } = this.ports;
    // one dump at a time: netlink 0.3.0 mixes up the parts of concurrent dumps on one socket
    const links = await rtnl.links();
    const addresses = await rtnl.addresses();
    for (const link of links) this.links.set(link.name, link);
    this.addresses = addresses;
    this.usePlan(this.planOf(config));
    this.logUnusable(this.plan);
    this.byName = new Map(this.plan.instances.map((p) => [p.fsm.name, p]));
    for (const p of this.plan.instances) this.stats.set(p.fsm.name, zeroStats());
    this.held = { vips: vipHoldings(rtnl, context.log), routes: routeHoldings(rtnl, context.log), rules: ruleHoldings(rtnl, context.log) };
    this.node = createNode(
      this.plan.instances.map((p) => p.fsm),
      this.plan.syncGroups,
      this.linkTrackers(),
      this.ports.timers.now(),
    );
    this.open();
  }

  /**
   * The plan from a configuration and the system as last read. The addresses our Masters added
   * are left out: a VIP is never an interface's primary address.
   */
  private planOf(config: KeepalivedConfig): DaemonPlan {
    const links = [...this.links.values()];
    const ours = new Set(Object.keys(this.node.instances).flatMap((name) => (this.held?.vips.of(name) ?? []).map((a) => a.address)));
    const addresses = this.addresses.filter((a) => !ours.has(a.address));
    return planDaemon(config, (ifname, family) => primaryAddress(links, addresses, ifname, family));
  }

  private usePlan(plan: DaemonPlan): void {
    this.plan = plan;
    this.receivers = new Map();
    for (const p of plan.instances) {
      const key = receiverKey(p.ifname, p.family, p.advert.vrid);
      const list = this.receivers.get(key);
      if (list === undefined) this.receivers.set(key, [p]);
      else list.push(p);
    }
  }

  private logUnusable(plan: DaemonPlan): void {
    for (const u of plan.unusable) this.log.error({ instance: u.instance, reason: 'unusable' }, `${u.reason}; (${u.instance}) disabled`);
  }

  /** `interface:NAME` trackers' statuses from the links as known now. */
  private linkTrackers(): Record<string, TrackerStatus> {
    const trackers: Record<string, TrackerStatus> = {};
    for (const p of this.plan.instances) for (const name of p.trackedInterfaces) trackers[interfaceTracker(name)] = linkUp(this.links.get(name)) ? 'up' : 'down';
    return trackers;
  }

  /** A socket for each interface, family and protocol the plan uses that has none yet. */
  private openSockets(): void {
    for (const p of this.plan.instances) {
      const key = socketKey(p);
      if (this.sockets.has(key)) continue;
      const link = this.link(p.ifname);
      const group = this.plan.instances.find((o) => o.ifname === p.ifname && o.family === p.family && o.multicastGroup !== undefined)?.multicastGroup;
      const socket = this.ports.openSocket(
        { family: p.family, ifname: p.ifname, ifindex: link.index, ...(usesAh(p) ? { ah: true } : {}), ...(group !== undefined ? { multicastGroup: group } : {}) },
        { arrival: (arrival) => this.arrived(p.ifname, arrival), error: (error) => this.log.error({ err: error, interface: p.ifname }, 'VRRP socket error') },
      );
      this.sockets.set(key, socket);
    }
  }

  private open(): void {
    this.openSockets();
    this.announcer = this.ports.openAnnouncer();
    if (this.plan.notifyFifo !== undefined) this.fifo = this.ports.openFifo(this.plan.notifyFifo);
    this.watch = this.ports.watchLinks();
    this.watch.onLink((change, link) => this.linkChanged(change, link));
    this.watch.onResync((reason) => this.repair('resync after lost netlink notifications', () => this.resync(reason)));
    this.trackScripts();
    for (const p of this.plan.instances) {
      if (!linkUp(this.links.get(p.ifname))) this.feed(p.fsm.name, { type: 'interface', up: false });
    }
    this.apply(nodeBroadcast(this.node, { type: 'startup' }, this.ports.timers.now()));
    this.log.info({ instances: this.plan.instances.map((p) => p.fsm.name) }, 'VRRP started');
  }

  private trackScripts(): void {
    this.trackers = this.ports.trackScripts(this.plan.scripts, (name, up) => this.trackerChanged(scriptTracker(name), up));
  }

  /**
   * A reload (issue 11): the core matches the running instances to the new file's and says what
   * changes (vrrp/node.ts nodeReconfigure); this carries it out. Sockets for new interfaces open
   * before the actions run and unused ones close after them (a removed Master's priority-0
   * advert needs its socket); each Master's virtual routes and rules are brought to the new
   * file's and what went missing by hand is put back, as keepalived re-adds them on reload; the
   * script trackers restart only when the scripts changed. Resolves when all of it is done.
   */
  async reconfigure(config: KeepalivedConfig): Promise<void> {
    const log = this.log;
    const { rtnl } = this.ports;
    const system = await this.onQueue(async () => ({ links: await rtnl.links(), addresses: await rtnl.addresses() }));
    for (const link of system.links) this.links.set(link.name, link);
    this.addresses = system.addresses;
    const before = this.plan;
    const plan = this.planOf(config);
    this.logUnusable(plan);
    const preview = this.previewOf(before, plan);
    this.usePlan(plan);
    this.config = config;
    this.openSockets();
    const now = this.ports.timers.now();
    const linkDown = plan.instances.filter((p) => !linkUp(this.links.get(p.ifname))).map((p) => p.fsm.name);
    const result = nodeReconfigure(this.node, { type: 'reconfigure', instances: plan.instances.map((p) => p.fsm), groups: plan.syncGroups, trackers: this.linkTrackers(), linkDown }, now);
    this.node = result.node;
    // removed instances release first, with their own plans (a new one may reuse a name)
    const released = result.actions.findLastIndex((a) => a.type === 'forgetInstance') + 1;
    void this.enqueue(result.actions.slice(0, released));
    void this.onQueue(async () => {
      this.byName = new Map(plan.instances.map((p) => [p.fsm.name, p]));
    });
    await this.enqueue(result.actions.slice(released));
    // after the release of a removed instance that a started one may share a name with
    for (const name of preview.started) this.stats.set(name, zeroStats());
    await this.onQueue(() => this.reconcile(true)).catch((error: unknown) => log.error({ err: error }, `VIP, route and rule reconcile after the reload failed: ${(error as Error).message}`));
    this.closeUnusedSockets();
    if (plan.notifyFifo !== before.notifyFifo) {
      this.fifo?.close();
      this.fifo = plan.notifyFifo !== undefined ? this.ports.openFifo(plan.notifyFifo) : undefined;
    }
    if (!isDeepStrictEqual(plan.scripts, before.scripts)) {
      this.trackers?.close();
      this.trackScripts();
    }
    log.info(
      { started: preview.started, stopped: preview.stopped, changed: preview.changed.map((c) => c.name), unchanged: preview.unchanged.length },
      `VRRP reconfigured: ${preview.started.length} started, ${preview.stopped.length} stopped, ${preview.changed.length} changed, ${preview.unchanged.length} unchanged`,
    );
  }

  /** What `reconfigure(config)` would do, from the system as last read; changes nothing. */
  previewReconfigure(config: KeepalivedConfig): ServiceReloadPreview {
    return this.previewOf(this.plan, this.planOf(config));
  }

  private previewOf(before: DaemonPlan, after: DaemonPlan): ServiceReloadPreview {
    const plans = (d: DaemonPlan): Map<string, InstancePlan> => new Map(d.instances.map((p) => [p.fsm.name, p]));
    const was = plans(before);
    const will = plans(after);
    // what the core does not see: peers, TTL, VIP details (prefix, label, device), routes, rules, authentication
    const shellFields = (c: { name: string }, n: { name: string }): string[] => {
      const [a, b] = [was.get(c.name), will.get(n.name)];
      const fields = (['destinations', 'ttl', 'vips', 'routes', 'rules'] as const).filter((k) => !isDeepStrictEqual(a?.[k], b?.[k]));
      const auth = (p: InstancePlan | undefined): unknown => [p?.advert.authType, p?.advert.authPassword];
      return isDeepStrictEqual(auth(a), auth(b)) ? fields : [...fields, 'authentication'];
    };
    const current = Object.values(this.node.instances).map((i) => i.config);
    return {
      service: 'vrrp',
      ...planVrrpReload(
        current,
        after.instances.map((p) => p.fsm),
        shellFields,
      ),
    };
  }

  private closeUnusedSockets(): void {
    const used = new Set(this.plan.instances.map(socketKey));
    for (const [key, socket] of this.sockets) {
      if (used.has(key)) continue;
      socket.close();
      this.sockets.delete(key);
    }
  }

  /** Runs `task` on the action queue (netlink dumps must not overlap, nor VIP changes interleave); its result or failure comes back. */
  private onQueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Current state of each instance. */
  states(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.node.instances).map(([name, i]) => [name, i.state]));
  }

  private link(ifname: string): LinkState {
    const link = this.links.get(ifname);
    if (link === undefined) throw new KeepalivedError('ERR_NO_INTERFACE', `interface ${ifname} does not exist`);
    return link;
  }

  private feed(instance: string, event: VrrpEvent): void {
    // the service owns its node and replaces it with every result: no copy per event
    this.apply(nodeAdvance(this.node, instance, event, this.ports.timers.now()));
  }

  private apply(result: { node: VrrpNode; actions: VrrpAction[] }): void {
    this.node = result.node;
    void this.enqueue(result.actions);
    if (this.onStopped !== undefined && nodeStopped(this.node)) this.onStopped();
  }

  /**
   * Actions run strictly in order: an instance's VIPs are in place before its GARPs go out. Only
   * an action that has to wait is awaited: a timer armed or an advert the kernel took at once
   * costs no promise (a thousand Masters run this a thousand times a second).
   */
  private enqueue(actions: readonly VrrpAction[]): Promise<void> {
    const run = this.queue.then(async () => {
      for (const action of actions) {
        try {
          const waiting = this.execute(action);
          if (waiting !== undefined) await waiting;
        } catch (error) {
          this.log.error({ err: error, instance: 'instance' in action ? action.instance : undefined, action: action.type }, `${action.type} failed: ${(error as Error).message}`);
        }
      }
    });
    this.queue = run;
    return run;
  }

  private execute(a: VrrpAction): Promise<void> | void {
    switch (a.type) {
      case 'sendAdvert':
        return this.sendAdvert(a);
      case 'sendGarp':
        return this.announce(this.instancePlan(a.instance), a.addresses, a.repeat);
      case 'addVips':
        if (!a.accept) this.warnNoAccept(a.instance);
        return this.hold(a.instance, a.addresses);
      case 'removeVips':
        return this.release(a.instance);
      case 'armTimer':
        return this.armTimer(a.instance, a.timer, a.at);
      case 'cancelTimer':
        this.armed.delete(`${a.instance}/${a.timer}`);
        return this.ports.timers.cancel(`${a.instance}/${a.timer}`);
      case 'changeVips':
        return this.changeVips(a);
      case 'renameInstance':
        return this.rename(a.from, a.instance);
      case 'forgetInstance':
        return this.forget(a.instance);
      case 'runScript': {
        const run = this.ports.scripts.run(a.script, a.args, a.timeoutMs);
        // the stop script is waited for, as keepalived does; the others run on their own
        return a.timeoutMs !== undefined ? run : undefined;
      }
      case 'fifo':
        if (this.fifo !== undefined && !this.fifo.write(a.line)) this.log.warn({ fifo: this.fifo.path }, 'notify FIFO full: line dropped');
        return;
      case 'transition':
        return this.transition(a);
    }
  }

  /** Routes and rules may depend on the VIPs (as their source): they go first, as in keepalived. */
  private async release(instance: string): Promise<void> {
    const held = this.holdings();
    await held.rules.remove(instance);
    await held.routes.remove(instance);
    await held.vips.remove(instance);
  }

  private armTimer(instance: string, timer: TimerName, at: number): void {
    const key = `${instance}/${timer}`;
    this.armed.set(key, { instance, timer, at });
    this.ports.timers.arm(key, at, () => {
      this.armed.delete(key);
      this.feed(instance, { type: 'timer', timer });
    });
  }

  /** keepalived's clear_diff_vrrp_vip, narrowed: only the VIPs that changed go and come. */
  private async changeVips(a: Extract<VrrpAction, { type: 'changeVips' }>): Promise<void> {
    if (!a.accept) this.warnNoAccept(a.instance);
    const vips = this.holdings().vips;
    await vips.removeWhere(a.instance, (held) => a.remove.includes(held.address));
    await vips.add(
      a.instance,
      this.vipsOf(this.instancePlan(a.instance), a.add).map((v) => this.address(v)),
    );
  }

  /** The same router under a new name: its timers, kernel objects and counters follow. */
  private rename(from: string, to: string): void {
    for (const [key, t] of [...this.armed]) {
      if (t.instance !== from) continue;
      this.ports.timers.cancel(key);
      this.armed.delete(key);
      this.armTimer(to, t.timer, t.at);
    }
    const held = this.holdings();
    for (const h of [held.vips, held.routes, held.rules] as const) h.rename(from, to);
    for (const map of [this.stats, this.transitions, this.ahCounters, this.built] as Map<string, unknown>[]) {
      if (map.has(from)) map.set(to, map.get(from));
      map.delete(from);
    }
    if (this.noAcceptWarned.delete(from)) this.noAcceptWarned.add(to);
    this.log.info({ instance: to, from }, `(${to}) is (${from}) renamed by the reload: it keeps its state`);
  }

  /** A removed instance, after its release: its timers and counters go. */
  private forget(name: string): void {
    for (const [key, t] of [...this.armed]) {
      if (t.instance !== name) continue;
      this.ports.timers.cancel(key);
      this.armed.delete(key);
    }
    for (const map of [this.stats, this.transitions, this.ahCounters, this.built] as Map<string, unknown>[]) map.delete(name);
    this.noAcceptWarned.delete(name);
  }

  private transition(a: Extract<VrrpAction, { type: 'transition' }>): void {
    const inst = a.scope === 'INSTANCE' ? this.node.instances[a.name] : undefined;
    this.log.info(
      {
        [a.scope === 'INSTANCE' ? 'instance' : 'group']: a.name,
        state: a.to,
        from: a.from,
        reason: a.reason,
        ...(inst?.master ? { peer: inst.master.address } : {}),
        priority: inst?.effectivePriority,
      },
      a.reason === 'removed-by-reload' ? `(${a.name}) removed by the reload: released` : `(${a.name}) Entering ${a.to} STATE`,
    );
    if (a.scope !== 'INSTANCE') return;
    this.transitions.set(a.name, { from: a.from, to: a.to, reason: a.reason, atUnix: Date.now() });
    const stats = this.stats.get(a.name);
    if (stats !== undefined && a.to === 'MASTER') stats.become_master++;
    if (stats !== undefined && a.from === 'MASTER') stats.release_master++;
    this.context?.publish({ type: 'vrrp-state', instance: a.name, state: a.to, addresses: this.instancePlan(a.name).vips.map((v) => v.address) });
  }

  /** No-accept mode needs a firewall rule keepalived makes with nftables; we have none yet, and say so. */
  private warnNoAccept(instance: string): void {
    if (this.noAcceptWarned.has(instance)) return;
    this.noAcceptWarned.add(instance);
    this.log.warn({ instance }, `(${instance}) no accept mode is not enforced: traffic to the VIPs is accepted (no nftables support yet)`);
  }

  private instancePlan(name: string): InstancePlan {
    const p = this.byName.get(name);
    if (p === undefined) throw new KeepalivedError('ERR_UNKNOWN_INSTANCE', `no instance ${name}`);
    return p;
  }

  private holdings(): Holdings {
    if (this.held === undefined) throw new KeepalivedError('ERR_NOT_STARTED', 'the VRRP service has not started');
    return this.held;
  }

  /** The plan's details (prefix, device, label, scope) of each address the action names, in its order. */
  private vipsOf(p: InstancePlan, addresses: readonly string[]): VipPlan[] {
    return addresses.map((address) => p.vips.find((v) => v.address === address) ?? { address, prefix: p.family === 'inet' ? 32 : 128, ifname: p.ifname });
  }

  private address(v: VipPlan): InterfaceAddress {
    return {
      address: v.address,
      prefix: v.prefix,
      ifindex: this.link(v.ifname).index,
      ...(v.label !== undefined ? { label: v.label } : {}),
      ...(v.scope !== undefined ? { scope: v.scope } : {}),
      ...(v.broadcast !== undefined ? { broadcast: v.broadcast } : {}),
    };
  }

  /** A Master's VIPs, then the routes and rules that may use them. */
  private async hold(instance: string, addresses: readonly string[]): Promise<void> {
    const p = this.instancePlan(instance);
    const held = this.holdings();
    await held.vips.add(
      instance,
      this.vipsOf(p, addresses).map((v) => this.address(v)),
    );
    await held.routes.add(
      instance,
      p.routes.map((r) => this.route(r)),
    );
    await held.rules.add(instance, p.rules);
  }

  private route(r: RoutePlan): Route {
    const { ifname, ...rest } = r;
    return { ...rest, ...(ifname !== undefined ? { ifindex: this.link(ifname).index } : {}) };
  }

  private sendAdvert(a: Extract<VrrpAction, { type: 'sendAdvert' }>): Promise<void> | undefined {
    const p = this.instancePlan(a.instance);
    const socket = this.sockets.get(socketKey(p));
    if (socket === undefined) return;
    if (!linkUp(this.links.get(p.ifname))) {
      // leaving MASTER for FAULT because the link went: the priority-0 advert has no way out
      this.log.debug({ instance: a.instance, interface: p.ifname, priority: a.priority }, 'advert not sent: link down');
      return;
    }
    // keepalived counts one sequence number per advert, whatever the number of unicast peers
    const packets = usesAh(p) ? this.encodePackets(p, a, this.nextAh(p)) : this.builtPackets(p, a);
    const waiting = sendEach(socket, packets, p.destinations, 0);
    if (waiting === undefined) return this.countSent(a);
    return waiting.then(() => this.countSent(a));
  }

  private countSent(a: Extract<VrrpAction, { type: 'sendAdvert' }>): undefined {
    const stats = this.stats.get(a.instance);
    if (stats === undefined) return;
    stats.advert_sent++;
    if (a.priority === 0) stats.pri_zero_sent++;
  }

  /** The advert `a` asks for, one packet per destination (the multicast group, or each unicast peer). */
  private encodePackets(p: InstancePlan, a: Extract<VrrpAction, { type: 'sendAdvert' }>, ah: Partial<ReturnType<VrrpService['nextAh']>>): Buffer[] {
    const advert = makeAdvert({ ...p.advert, advertIntervalMs: a.advertIntervalMs, virtualAddresses: a.addresses }, a.priority);
    return p.destinations.map((destination) => {
      const data =
        p.family === 'inet'
          ? encodeIpv4Packet(advert, { source: p.source, destination, ttl: p.ttl, ...ah })
          : // the kernel computes the IPv6 checksum with the source it picks (IPV6_CHECKSUM)
            encodeAdvert(advert, { source: '::', destination });
      return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    });
  }

  /**
   * Without AH an instance's packets change only with its plan, priority, interval or addresses:
   * a Master sends the same bytes every advert_int, so they are built once and sent as they are
   * (encoding each advert anew was most of a thousand Masters' allocations: docs/performance.md).
   */
  private builtPackets(p: InstancePlan, a: Extract<VrrpAction, { type: 'sendAdvert' }>): readonly Buffer[] {
    const last = this.built.get(a.instance);
    if (last !== undefined && last.plan === p && last.priority === a.priority && last.advertIntervalMs === a.advertIntervalMs && sameAddresses(last.addresses, a.addresses)) {
      return last.packets;
    }
    const packets = this.encodePackets(p, a, {});
    this.built.set(a.instance, { plan: p, priority: a.priority, advertIntervalMs: a.advertIntervalMs, addresses: a.addresses, packets });
    return packets;
  }

  private nextAh(p: InstancePlan): { identification: number; ah: { key: Uint8Array; sequence: number; unicast: boolean } } {
    const { sequence, counter } = nextAhSequence(this.ahCounters.get(p.fsm.name) ?? 0);
    this.ahCounters.set(p.fsm.name, counter);
    // the ICV covers the identification: 0 would let the kernel change it after signing
    this.ipIdentification = (this.ipIdentification % 0xffff) + 1;
    const unicast = p.multicastGroup === undefined;
    return { identification: this.ipIdentification, ah: { key: passwordAuthData(p.advert.authPassword ?? ''), sequence, unicast } };
  }

  private announce(p: InstancePlan, addresses: readonly string[], repeat: number): void {
    const announcer = this.announcer;
    if (announcer === undefined) return;
    for (const vip of this.vipsOf(p, addresses)) {
      const link = this.link(vip.ifname);
      if (link.mac === undefined) continue;
      for (let i = 0; i < repeat; i++) {
        if (p.family === 'inet') announcer.gratuitousArp(link.index, vip.address, link.mac);
        else announcer.neighborAdvertisement(link.index, vip.address, link.mac);
        this.announcementsSent.set(p.fsm.name, (this.announcementsSent.get(p.fsm.name) ?? 0) + 1);
      }
    }
  }

  private arrived(ifname: string, arrival: Arrival): void {
    const decoded = arrival.family === 'inet' ? decodeIpv4Packet(arrival.packet) : decodeIpv6Advert(arrival.payload, { source: arrival.source, hopLimit: arrival.hopLimit });
    if (!decoded.ok) return this.dropped(decoded.reject, ifname);
    const received = decoded.value;
    const { advert } = received;
    const candidates = this.receivers.get(receiverKey(ifname, advert.family, advert.vrid));
    if (candidates === undefined) {
      return this.dropped({ code: 'vrid-mismatch', message: `VRID ${advert.vrid} from ${received.source}: no instance on ${ifname}` }, ifname);
    }
    for (const p of candidates) this.receivedFor(p, received, ifname);
  }

  private receivedFor(p: InstancePlan, received: ReceivedAdvert, ifname: string): void {
    const name = p.fsm.name;
    const stats = this.stats.get(name);
    const counter = this.ahCounters.get(name) ?? 0;
    const verdict = checkAdvert(received, { ...p.expectations, ahSequence: counter });
    if (!verdict.ok) return this.dropped(verdict.reject, ifname, name);
    for (const warning of verdict.warnings) this.log.warn({ instance: name, reason: warning.code, peer: received.source }, warning.message);
    const { advert } = received;
    if (received.ah) {
      const inst = this.node.instances[name];
      const order = inst ? advert.priority - inst.effectivePriority || compareAddresses(received.source, inst.config.primaryAddress) : 0;
      // a Master still advertising jumps past a lower one's numbers; one handing over is silent
      const advertising = inst?.state === 'MASTER' && inst.handover === null;
      this.ahCounters.set(name, ahSequenceAfter(counter, received.ah.sequence, advertising && order < 0));
    }
    if (stats !== undefined) {
      stats.advert_rcvd++;
      if (advert.priority === 0) stats.pri_zero_rcvd++;
    }
    this.feed(name, { type: 'advert', source: received.source, priority: advert.priority, advertIntervalMs: advertIntervalMs(advert) });
  }

  private dropped(reject: Rejection, ifname: string, instance?: string): void {
    this.drops.add(reject.code);
    const stat = statOfReject(reject.code);
    const stats = instance !== undefined ? this.stats.get(instance) : undefined;
    if (stats !== undefined && stat !== undefined) stats[stat]++;
    this.log.debug({ ...(instance !== undefined ? { instance } : {}), interface: ifname, reason: reject.code, drops: this.drops.get(reject.code) }, `advert dropped: ${reject.message}`);
  }

  private trackerChanged(tracker: string, up: boolean): void {
    for (const p of this.plan.instances) {
      if (p.fsm.trackers.some((t) => t.name === tracker)) this.feed(p.fsm.name, { type: 'tracker', name: tracker, up });
    }
  }

  private linkChanged(change: 'new' | 'del', link: LinkState): void {
    const before = linkUp(this.links.get(link.name));
    if (change === 'del') this.links.delete(link.name);
    else this.links.set(link.name, link);
    const up = change === 'new' && linkUp(link);
    if (up === before || this.stopping) return;
    this.log.info({ interface: link.name, up }, `interface ${link.name} is ${up ? 'up' : 'down'}`);
    for (const p of this.plan.instances) if (p.ifname === link.name) this.feed(p.fsm.name, { type: 'interface', up });
    this.trackerChanged(interfaceTracker(link.name), up);
    // the kernel forgets IPv6 addresses when a link goes down: a Master puts its VIPs back
    if (up) this.repair('VIP reconcile after link up', () => this.reconcile(false));
  }

  /**
   * Repairs driven by link events run on the action queue: netlink 0.3.0 cannot run two dumps
   * on one socket, and a repair must not interleave with a VIP change. A failure is logged; an
   * unhandled rejection would take the whole daemon down.
   */
  private repair(what: string, task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error: unknown) => {
      if (!this.stopping) this.log.error({ err: error }, `${what} failed: ${(error as Error).message}`);
    });
  }

  private async resync(reason: Error): Promise<void> {
    this.log.warn({ err: reason }, 'netlink notifications lost: re-reading links and addresses');
    const links = await this.ports.rtnl.links();
    for (const link of links) this.linkChanged('new', link);
    await this.reconcile(false);
  }

  /**
   * Every Master's VIPs, routes and rules present again (they may have gone with a link flap or
   * by hand). After a reload (`replan`), a Master's routes and rules first become the new
   * plan's: those no longer configured go, new ones come (keepalived clear_diff_vrrp_vroutes,
   * clear_diff_vrrp_vrules), rules before routes on the way out.
   */
  private async reconcile(replan: boolean): Promise<void> {
    const held = this.holdings();
    for (const [name, inst] of Object.entries(this.node.instances)) {
      if (inst.state !== 'MASTER') continue;
      if (replan) {
        const p = this.instancePlan(name);
        await held.rules.replace(name, p.rules);
        await held.routes.replace(
          name,
          p.routes.map((r) => this.route(r)),
        );
      }
      await held.vips.ensure(name, held.vips.of(name));
      await held.routes.ensure(name, held.routes.of(name));
      await held.rules.ensure(name, held.rules.of(name));
    }
  }

  /**
   * TERM/INT: every instance is told to shut down and its actions run; adverts and timers keep
   * reaching the core until every instance is STOP (a Master hands its VIPs over first, in the
   * core), with a safety bound; then the ports close.
   */
  async stop(): Promise<void> {
    if (this.context === undefined) return;
    this.stopping = true;
    this.trackers?.close();
    const stopped = new Promise<void>((resolve) => (this.onStopped = resolve));
    this.apply(nodeBroadcast(this.node, { type: 'shutdown' }, this.ports.timers.now()));
    const boundMs = this.stopBoundMs();
    const timers = this.ports.timers;
    const bound = new Promise<'bound'>((resolve) => timers.arm('vrrp/stop-bound', timers.now() + boundMs, () => resolve('bound')));
    if ((await Promise.race([stopped.then(() => 'stopped' as const), bound])) === 'bound') {
      this.log.error({ states: this.states(), boundMs }, `instances not STOP ${boundMs} ms after shutdown: closing anyway`);
    }
    this.onStopped = undefined;
    await this.queue;
    timers.cancelAll();
    for (const socket of this.sockets.values()) socket.close();
    this.announcer?.close();
    this.watch?.close();
    this.ports.rtnl.close();
    this.fifo?.close();
    const { timerLateness } = this.status();
    // how late timers fired is the measure of whether short advert intervals can be trusted here
    this.log.info({ drops: this.drops.snapshot(), timers: timerLateness }, 'VRRP stopped');
  }

  /** Longer than any hand-over the core can ask for (its handoverBound), plus slack. */
  private stopBoundMs(): number {
    return Math.max(0, ...this.plan.instances.map((p) => handoverBoundMs(p.fsm))) + STOP_SLACK_MS;
  }

  status(): VrrpStatus {
    const { count, maxMs, totalMs } = this.ports.timers.lateness;
    return {
      instances: this.plan.instances.map((p) => this.instanceStatus(p)),
      syncGroups: this.node.groups.map((g) => ({ name: g.config.name, state: g.state, members: g.config.members })),
      drops: this.drops.snapshot(),
      timerLateness: { fired: count, maxLateMs: round1(maxMs), meanLateMs: count ? round1(totalMs / count) : 0 },
      scripts: (this.config?.vrrp_scripts ?? []).map((script) => this.scriptStatus(script)),
    };
  }

  private instanceStatus(p: InstancePlan): VrrpInstanceStatus {
    const name = p.fsm.name;
    const inst = this.node.instances[name];
    const priority = inst !== undefined ? priorityOf(inst) : undefined;
    const master = inst?.state === 'MASTER' ? { address: p.source, priority: inst.effectivePriority } : inst?.master ? { address: inst.master.address, priority: inst.master.priority } : null;
    return {
      name,
      state: inst?.state ?? 'INITIALIZE',
      interface: p.ifname,
      vrid: p.advert.vrid,
      family: p.family,
      basePriority: p.fsm.priority,
      effectivePriority: inst?.effectivePriority ?? p.fsm.priority,
      trackers: (priority?.terms ?? []).map((t) => ({ name: t.tracker, up: t.status === 'up', weight: t.weight })),
      master,
      lastTransition: this.transitions.get(name) ?? null,
      explanation: inst !== undefined ? explain(inst).notes : [],
      counters: { ...(this.stats.get(name) ?? zeroStats()) },
      announcementsSent: this.announcementsSent.get(name) ?? 0,
      addresses: p.vips.map((v) => v.address),
      ...(inst !== undefined && priority !== undefined ? { runtime: this.runtimeOf(p, inst, priority) } : {}),
    };
  }

  /** keepalived's stats clear (signal 63): every instance's counters back to zero. */
  clearStats(): void {
    for (const name of this.stats.keys()) this.stats.set(name, zeroStats());
  }

  /** keepalived's dump files, built from status(): the snapshot the control socket and metrics read. */
  dump(kind: DumpKind): DumpFile | undefined {
    return this.config === undefined ? undefined : vrrpDumpFile(kind, this.config, this.status());
  }

  /** What the dump files print about an instance beyond its status. */
  private runtimeOf(p: InstancePlan, inst: Instance, priority: ReturnType<typeof priorityOf>): VrrpInstanceRuntime {
    const toUnix = this.unixClock();
    const next = inst.adverAt ?? inst.masterDownAt;
    return {
      wantState: inst.wantMaster ? 'MASTER' : inst.state,
      sourceAddress: p.source,
      totalPriority: priority.total,
      faults: ownFaults(inst).length,
      pendingTrackers: priority.pending.length,
      advertIntervalMs: p.fsm.advertIntervalMs,
      masterDownIntervalMs: masterDownIntervalOf(inst),
      stateSinceUnix: toUnix(inst.since),
      nextTimerUnix: next === null ? null : toUnix(next),
      vipsSet: (this.held?.vips.of(p.fsm.name).length ?? 0) > 0,
      heardMaster: inst.master && { address: inst.master.address, priority: inst.master.priority, advertIntervalMs: inst.master.advertIntervalMs },
    };
  }

  private scriptStatus(s: VrrpScript): VrrpScriptStatus {
    const tracker = scriptTracker(s.name);
    const trackedBy = this.plan.instances.flatMap((p) => p.fsm.trackers.filter((t) => t.name === tracker).map((t) => ({ instance: p.fsm.name, weight: t.weight })));
    const seen = Object.values(this.node.instances)
      .map((i) => i.trackers[tracker])
      .find((status) => status !== undefined);
    return { name: s.name, status: seen === 'up' ? 'GOOD' : seen === 'down' ? 'BAD' : 'INIT', trackedBy };
  }

  /** From the core's monotonic times to Unix milliseconds, for the files' wall-clock stamps. */
  private unixClock(): (monotonicMs: number) => number {
    const offset = Date.now() - this.ports.timers.now();
    return (t) => t + offset;
  }
}

/** Each packet to its destination in turn; a promise only once one of them has to wait. */
function sendEach(socket: VrrpSocketPort, packets: readonly Buffer[], destinations: readonly string[], from: number): Promise<void> | undefined {
  for (let i = from; i < packets.length; i++) {
    const waiting = socket.send(packets[i]!, destinations[i]!);
    if (waiting !== undefined) return waiting.then(() => sendEach(socket, packets, destinations, i + 1));
  }
  return undefined;
}

interface BuiltAdvert {
  readonly plan: InstancePlan;
  readonly priority: number;
  readonly advertIntervalMs: number;
  readonly addresses: readonly string[];
  readonly packets: readonly Buffer[];
}

/** The core hands the instance's own address list each time: the same array, short of a reload. */
function sameAddresses(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}

interface Holdings {
  readonly vips: InstanceHoldings<InterfaceAddress>;
  readonly routes: InstanceHoldings<Route>;
  readonly rules: InstanceHoldings<Rule>;
}

/**
 * Which instances an advert is for: those on the interface it came in on, of its family, with its
 * VRID (keepalived vrrp_dispatcher_read: the socket's tree of instances by VRID, rb_find), found
 * in one lookup whatever the number of instances.
 */
function receiverKey(ifname: string, family: AddressFamily, vrid: number): string {
  return `${ifname}/${family}/${vrid}`;
}

/** One socket per interface, family and protocol (VRRP, or AH for `auth_type AH`). */
function socketKey(p: InstancePlan): string {
  return `${p.ifname}/${p.family}${usesAh(p) ? '/ah' : ''}`;
}

function usesAh(p: InstancePlan): boolean {
  return p.advert.authType === 'ah';
}

function linkUp(link: LinkState | undefined): boolean {
  return link !== undefined && link.up && link.running;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** keepalived's default source: the interface's first IPv4 address, or its IPv6 link-local one. */
function primaryAddress(links: readonly LinkState[], addresses: readonly InterfaceAddress[], ifname: string, family: AddressFamily): string | undefined {
  const index = links.find((l) => l.name === ifname)?.index;
  const own = addresses.filter((a) => a.ifindex === index);
  return family === 'inet' ? own.find((a) => familyOf(a.address) === 'inet')?.address : own.find((a) => a.address.toLowerCase().startsWith('fe80:'))?.address;
}
