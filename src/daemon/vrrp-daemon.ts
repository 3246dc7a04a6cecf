import type { Logger } from 'pino';
import type { KeepalivedConfig } from '../config/model.js';
import { KeepalivedError } from '../errors.js';
import { Announcer } from '../linux/announcer.js';
import { NotifyFifo } from '../linux/fifo.js';
import { Rtnl } from '../linux/rtnl.js';
import type { InterfaceAddress, LinkState, Route, Rule } from '../net/kernel-objects.js';
import { RtnlWatch } from '../linux/rtnl-watch.js';
import { TimerHost, monotonicMs } from '../linux/timers.js';
import { VrrpTransport, type Arrival } from '../linux/vrrp-transport.js';
import type { AddressFamily } from '../net/ip-address.js';
import type { VrrpAction } from '../vrrp/actions.js';
import { advertIntervalMs, makeAdvert } from '../vrrp/advert.js';
import { encodeAdvert } from '../vrrp/advert-codec.js';
import type { VrrpEvent } from '../vrrp/events.js';
import { masterDownIntervalOf } from '../vrrp/instance.js';
import { createNode, nodeBroadcast, nodeStep, type VrrpNode } from '../vrrp/node.js';
import { decodeIpv4Packet, decodeIpv6Advert, encodeIpv4Packet, type ReceivedAdvert } from '../vrrp/packet.js';
import { checkAdvert } from '../vrrp/receive-checks.js';
import { RejectCounters, type Rejection } from '../vrrp/reject.js';
import type { TrackerStatus } from '../vrrp/tracking.js';
import { NotifyRunner } from './notify-runner.js';
import { ScriptPolicy } from './script-policy.js';
import { interfaceTracker, planDaemon, scriptTracker, type DaemonPlan, type InstancePlan, type VipPlan } from './plan.js';
import { TrackScripts } from './track-scripts.js';
import { routeHoldings, ruleHoldings, vipHoldings, type InstanceHoldings } from './instance-holdings.js';
import type { RoutePlan } from './route-plan.js';

/** How long a stopping Master keeps its VIPs after the new Master's first advert, so its GARPs land first. */
const HANDOVER_GRACE_MS = 100;

/**
 * The VRRP daemon: wiring only. Arrivals go through the codec and the receive checks into the
 * state machine; its actions go to the transport, the announcer, rtnetlink, scripts, the FIFO
 * and the timers, in the order the state machine gave them.
 */
export class VrrpDaemon {
  readonly drops = new RejectCounters();
  private node: VrrpNode;
  private readonly timers = new TimerHost();
  private readonly transports = new Map<string, VrrpTransport>();
  private readonly announcer = new Announcer();
  private readonly links = new Map<string, LinkState>();
  private readonly byName: ReadonlyMap<string, InstancePlan>;
  private readonly successors = new Map<string, () => void>();
  private queue: Promise<void> = Promise.resolve();
  private readonly notify: NotifyRunner;
  private stopping = false;

  private constructor(
    private readonly plan: DaemonPlan,
    private readonly log: Logger,
    private readonly rtnl: Rtnl,
    private readonly watch: RtnlWatch,
    links: readonly LinkState[],
    private readonly held: Holdings,
    private readonly scriptPolicy: ScriptPolicy,
    private readonly fifo: NotifyFifo | undefined,
  ) {
    for (const link of links) this.links.set(link.name, link);
    this.notify = new NotifyRunner(log, scriptPolicy);
    this.byName = new Map(plan.instances.map((p) => [p.fsm.name, p]));
    const trackers: Record<string, TrackerStatus> = {};
    for (const p of plan.instances) for (const name of p.trackedInterfaces) trackers[interfaceTracker(name)] = linkUp(this.links.get(name)) ? 'up' : 'down';
    this.node = createNode(plan.instances.map((p) => p.fsm), plan.syncGroups, trackers, monotonicMs());
  }

  static async start(config: KeepalivedConfig, log: Logger): Promise<VrrpDaemon> {
    const rtnl = Rtnl.open();
    const watch = new RtnlWatch();
    // one dump at a time: netlink 0.3.0 mixes up the parts of concurrent dumps on one socket
    const links = await rtnl.links();
    const addresses = await rtnl.addresses();
    const plan = planDaemon(config, (ifname, family) => primaryAddress(links, addresses, ifname, family));
    const policy = new ScriptPolicy(config.global_defs);
    const fifo = plan.notifyFifo === undefined ? undefined : new NotifyFifo(plan.notifyFifo);
    const daemon = new VrrpDaemon(plan, log, rtnl, watch, links, { vips: vipHoldings(rtnl, log), routes: routeHoldings(rtnl, log), rules: ruleHoldings(rtnl, log) }, policy, fifo);
    daemon.open();
    return daemon;
  }

  private open(): void {
    for (const p of this.plan.instances) {
      const key = transportKey(p.ifname, p.family);
      if (this.transports.has(key)) continue;
      const link = this.link(p.ifname);
      const group = this.plan.instances.find((o) => o.ifname === p.ifname && o.family === p.family && o.multicastGroup !== undefined)?.multicastGroup;
      const transport = VrrpTransport.open({ family: p.family, ifname: p.ifname, ifindex: link.index, ...(group !== undefined ? { multicastGroup: group } : {}) });
      transport.on('arrival', (arrival) => this.arrived(p.ifname, arrival));
      transport.on('error', (error) => this.log.error({ err: error, interface: p.ifname }, 'VRRP socket error'));
      this.transports.set(key, transport);
    }
    this.watch.on('link', (change, link) => this.linkChanged(change, link));
    this.watch.on('resync', (reason) => this.repair('resync after lost netlink notifications', () => this.resync(reason)));
    this.scripts = new TrackScripts(this.plan.scripts, this.log, this.scriptPolicy, (name, up) => this.trackerChanged(scriptTracker(name), up));
    const now = monotonicMs();
    for (const p of this.plan.instances) {
      if (!linkUp(this.links.get(p.ifname))) this.feed(p.fsm.name, { type: 'interface', up: false });
    }
    this.apply(nodeBroadcast(this.node, { type: 'startup' }, now));
    this.log.info({ instances: this.plan.instances.map((p) => p.fsm.name) }, 'VRRP started');
  }

  private scripts: TrackScripts | undefined;

  /** Current state of each instance, for logs and tests. */
  states(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.node.instances).map(([name, i]) => [name, i.state]));
  }

  private link(ifname: string): LinkState {
    const link = this.links.get(ifname);
    if (link === undefined) throw new KeepalivedError('ERR_NO_INTERFACE', `interface ${ifname} does not exist`);
    return link;
  }

  private feed(instance: string, event: VrrpEvent): void {
    this.apply(nodeStep(this.node, instance, event, monotonicMs()));
  }

  private apply(result: { node: VrrpNode; actions: VrrpAction[] }): void {
    this.node = result.node;
    void this.enqueue(result.actions);
  }

  /** Actions run strictly in order: an instance's VIPs are in place before its GARPs go out. */
  private enqueue(actions: readonly VrrpAction[]): Promise<void> {
    const run = this.queue.then(async () => {
      for (const action of actions) {
        try {
          await this.execute(action);
        } catch (error) {
          this.log.error({ err: error, instance: 'instance' in action ? action.instance : undefined, action: action.type }, `${action.type} failed: ${(error as Error).message}`);
        }
      }
    });
    this.queue = run;
    return run;
  }

  private async execute(a: VrrpAction): Promise<void> {
    switch (a.type) {
      case 'sendAdvert':
        return this.sendAdvert(this.instancePlan(a.instance), a.priority, a.addresses);
      case 'sendGarp':
        return this.announce(this.instancePlan(a.instance), a.repeat);
      case 'addVips':
        return this.hold(a.instance, 'add');
      case 'removeVips':
        // routes and rules may depend on the VIPs (as their source): they go first, as in keepalived
        await this.held.rules.remove(a.instance);
        await this.held.routes.remove(a.instance);
        return this.held.vips.remove(a.instance);
      case 'armTimer':
        return this.timers.arm(`${a.instance}/${a.timer}`, a.at, () => this.feed(a.instance, { type: 'timer', timer: a.timer }));
      case 'cancelTimer':
        return this.timers.cancel(`${a.instance}/${a.timer}`);
      case 'runScript': {
        const run = this.notify.run(a.script, a.args, a.timeoutMs);
        // the stop script is waited for, as keepalived does; the others run on their own
        if (a.timeoutMs !== undefined) await run;
        return;
      }
      case 'fifo':
        if (this.fifo !== undefined && !this.fifo.write(a.line)) this.log.warn({ fifo: this.fifo.path }, 'notify FIFO full: line dropped');
        return;
      case 'transition': {
        const inst = a.scope === 'INSTANCE' ? this.node.instances[a.name] : undefined;
        this.log.info(
          { [a.scope === 'INSTANCE' ? 'instance' : 'group']: a.name, state: a.to, from: a.from, reason: a.reason, ...(inst?.master ? { peer: inst.master.address } : {}), priority: inst?.effectivePriority },
          `(${a.name}) Entering ${a.to} STATE`,
        );
        return;
      }
    }
  }

  private instancePlan(name: string): InstancePlan {
    const p = this.byName.get(name);
    if (p === undefined) throw new KeepalivedError('ERR_UNKNOWN_INSTANCE', `no instance ${name}`);
    return p;
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
  private async hold(instance: string, how: 'add' | 'ensure'): Promise<void> {
    const p = this.instancePlan(instance);
    await this.held.vips[how](instance, p.vips.map((v) => this.address(v)));
    await this.held.routes[how](instance, p.routes.map((r) => this.route(r)));
    await this.held.rules[how](instance, p.rules);
  }

  private route(r: RoutePlan): Route {
    const { ifname, ...rest } = r;
    return { ...rest, ...(ifname !== undefined ? { ifindex: this.link(ifname).index } : {}) };
  }

  private async sendAdvert(p: InstancePlan, priority: number, addresses: readonly string[]): Promise<void> {
    const advert = makeAdvert({ ...p.advert, virtualAddresses: addresses }, priority);
    const transport = this.transports.get(transportKey(p.ifname, p.family));
    if (transport === undefined) return;
    if (!linkUp(this.links.get(p.ifname))) {
      // leaving MASTER for FAULT because the link went: the priority-0 advert has no way out
      this.log.debug({ instance: p.fsm.name, interface: p.ifname, priority }, 'advert not sent: link down');
      return;
    }
    for (const destination of p.destinations) {
      const data =
        p.family === 'inet'
          ? encodeIpv4Packet(advert, { source: p.source, destination, ttl: p.ttl })
          : // the kernel computes the IPv6 checksum with the source it picks (IPV6_CHECKSUM)
            encodeAdvert(advert, { source: '::', destination });
      await transport.send(Buffer.from(data), destination);
    }
  }

  private announce(p: InstancePlan, repeat: number): void {
    for (const vip of p.vips) {
      const link = this.link(vip.ifname);
      if (link.mac === undefined) continue;
      for (let i = 0; i < repeat; i++) {
        if (p.family === 'inet') this.announcer.gratuitousArp(link.index, vip.address, link.mac);
        else this.announcer.neighborAdvertisement(link.index, vip.address, link.mac);
      }
    }
  }

  private arrived(ifname: string, arrival: Arrival): void {
    const decoded =
      arrival.family === 'inet'
        ? decodeIpv4Packet(arrival.packet)
        : decodeIpv6Advert(arrival.payload, { source: arrival.source, hopLimit: arrival.hopLimit });
    if (!decoded.ok) return this.dropped(decoded.reject, ifname);
    const received = decoded.value;
    const { advert } = received;
    const candidates = this.plan.instances.filter((p) => p.ifname === ifname && p.family === advert.family && p.advert.vrid === advert.vrid);
    if (candidates.length === 0) {
      return this.dropped({ code: 'vrid-mismatch', message: `VRID ${advert.vrid} from ${received.source}: no instance on ${ifname}` }, ifname);
    }
    for (const p of candidates) this.receivedFor(p, received, ifname);
  }

  private receivedFor(p: InstancePlan, received: ReceivedAdvert, ifname: string): void {
    const name = p.fsm.name;
    const verdict = checkAdvert(received, p.expectations);
    if (!verdict.ok) return this.dropped(verdict.reject, ifname, name);
    for (const warning of verdict.warnings) this.log.warn({ instance: name, reason: warning.code, peer: received.source }, warning.message);
    const { advert } = received;
    if (advert.priority > 0) this.successors.get(name)?.();
    this.feed(name, { type: 'advert', source: received.source, priority: advert.priority, advertIntervalMs: advertIntervalMs(advert) });
  }

  private dropped(reject: Rejection, ifname: string, instance?: string): void {
    this.drops.add(reject.code);
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
    if (up) this.repair('VIP reconcile after link up', () => this.reconcile());
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
    const links = await this.rtnl.links();
    for (const link of links) this.linkChanged('new', link);
    await this.reconcile();
  }

  /** Every Master's VIPs, routes and rules present again (they may have gone with a link flap or by hand). */
  private async reconcile(): Promise<void> {
    for (const [name, inst] of Object.entries(this.node.instances)) {
      if (inst.state === 'MASTER') await this.hold(name, 'ensure');
    }
  }

  /**
   * SIGTERM: every instance says priority 0 at once, so the best Backup takes over after
   * Skew_Time; a Master keeps its VIPs until it hears the new Master (at most
   * Master_Down_Interval), so that no client packet meets an address nobody holds. Then the
   * VIPs it added go, notify_stop runs, and everything closes.
   */
  async shutdown(): Promise<void> {
    this.stopping = true;
    this.scripts?.close();
    const masters = Object.values(this.node.instances).filter((i) => i.state === 'MASTER');
    const result = nodeBroadcast(this.node, { type: 'shutdown' }, monotonicMs());
    this.node = result.node;
    const later = (a: VrrpAction) => a.type === 'removeVips' || a.type === 'runScript' || a.type === 'fifo';
    await this.enqueue(result.actions.filter((a) => !later(a)));
    await Promise.all(masters.map((m) => this.successor(m.config.name, masterDownIntervalOf(m))));
    await this.enqueue(result.actions.filter(later));
    this.timers.cancelAll();
    for (const transport of this.transports.values()) transport.close();
    this.announcer.close();
    this.watch.close();
    this.rtnl.close();
    this.fifo?.close();
    const { count, maxMs, totalMs } = this.timers.lateness;
    // how late timers fired is the measure of whether short advert intervals can be trusted here
    this.log.info(
      { drops: this.drops.snapshot(), timers: { fired: count, maxLateMs: Math.round(maxMs * 10) / 10, meanLateMs: count ? Math.round((totalMs / count) * 10) / 10 : 0 } },
      'VRRP stopped',
    );
  }

  private successor(instance: string, boundMs: number): Promise<void> {
    return new Promise((resolve) => {
      const bound = setTimeout(() => {
        this.successors.delete(instance);
        this.log.info({ instance }, 'no new master heard within Master_Down_Interval: releasing the VIPs');
        resolve();
      }, boundMs);
      this.successors.set(instance, () => {
        this.successors.delete(instance);
        clearTimeout(bound);
        this.log.info({ instance }, 'new master heard: releasing the VIPs');
        setTimeout(resolve, HANDOVER_GRACE_MS);
      });
    });
  }
}

interface Holdings {
  readonly vips: InstanceHoldings<InterfaceAddress>;
  readonly routes: InstanceHoldings<Route>;
  readonly rules: InstanceHoldings<Rule>;
}

function transportKey(ifname: string, family: AddressFamily): string {
  return `${ifname}/${family}`;
}

function linkUp(link: LinkState | undefined): boolean {
  return link !== undefined && link.up && link.running;
}

/** keepalived's default source: the interface's first IPv4 address, or its IPv6 link-local one. */
function primaryAddress(links: readonly LinkState[], addresses: readonly InterfaceAddress[], ifname: string, family: AddressFamily): string | undefined {
  const index = links.find((l) => l.name === ifname)?.index;
  const own = addresses.filter((a) => a.ifindex === index);
  return family === 'inet'
    ? own.find((a) => !a.address.includes(':'))?.address
    : own.find((a) => a.address.toLowerCase().startsWith('fe80:'))?.address;
}
