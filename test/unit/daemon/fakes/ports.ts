import type { AnnouncerPort, FifoPort, LinkWatchPort, ScriptPort, TrackScriptsPort, VrrpPorts, VrrpSocketHandlers, VrrpSocketPort } from '../../../../src/daemon/ports.js';
import type { ScriptPlan } from '../../../../src/daemon/plan.js';
import type { LinkState } from '../../../../src/linux/rtnl.js';
import type { Arrival, TransportOptions } from '../../../../src/linux/vrrp-transport.js';
import { FakeRtnl } from './rtnl.js';
import { FakeTimers } from './timers.js';

export interface Sent {
  readonly ifname: string;
  readonly data: Buffer;
  readonly destination: string;
}

/** A VRRP socket that records what is sent and lets the test deliver arrivals. */
class FakeSocket implements VrrpSocketPort {
  closed = false;
  constructor(
    readonly options: TransportOptions,
    readonly handlers: VrrpSocketHandlers,
    private readonly sent: Sent[],
  ) {}
  async send(data: Buffer, destination: string): Promise<void> {
    this.sent.push({ ifname: this.options.ifname, data, destination });
  }
  close(): void {
    this.closed = true;
  }
}

/** Every port of the VRRP service, in memory, with what the service did to each kept for the test to read. */
export class FakeVrrpPorts implements VrrpPorts {
  readonly rtnl: FakeRtnl;
  readonly timers = new FakeTimers();
  readonly sent: Sent[] = [];
  readonly sockets: FakeSocket[] = [];
  readonly garps: { kind: 'arp' | 'na'; ifindex: number; vip: string; mac: string }[] = [];
  readonly runs: { script: string; args: readonly string[]; timeoutMs?: number }[] = [];
  readonly fifoLines: string[] = [];
  readonly closed = new Set<string>();
  private linkHandler: ((change: 'new' | 'del', link: LinkState) => void) | undefined;
  private resyncHandler: ((reason: Error) => void) | undefined;
  private scriptChanged: ((name: string, up: boolean) => void) | undefined;
  trackedPlans: readonly ScriptPlan[] = [];

  constructor(links: LinkState[], own: { address: string; prefix: number; ifindex: number }[] = []) {
    this.rtnl = new FakeRtnl(links, own);
  }

  readonly scripts: ScriptPort = {
    run: async (script, args, timeoutMs) => {
      this.runs.push({ script, args, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
    },
  };

  watchLinks(): LinkWatchPort {
    return {
      onLink: (handler) => (this.linkHandler = handler),
      onResync: (handler) => (this.resyncHandler = handler),
      close: () => this.closed.add('linkWatch'),
    };
  }

  openSocket(options: TransportOptions, handlers: VrrpSocketHandlers): VrrpSocketPort {
    const socket = new FakeSocket(options, handlers, this.sent);
    this.sockets.push(socket);
    return socket;
  }

  openAnnouncer(): AnnouncerPort {
    return {
      gratuitousArp: (ifindex, vip, mac) => this.garps.push({ kind: 'arp', ifindex, vip, mac }),
      neighborAdvertisement: (ifindex, vip, mac) => this.garps.push({ kind: 'na', ifindex, vip, mac }),
      close: () => this.closed.add('announcer'),
    };
  }

  openFifo(path: string): FifoPort {
    return { path, write: (line) => (this.fifoLines.push(line), true), close: () => this.closed.add('fifo') };
  }

  trackScripts(plans: readonly ScriptPlan[], changed: (name: string, up: boolean) => void): TrackScriptsPort {
    this.trackedPlans = plans;
    this.scriptChanged = changed;
    return { close: () => this.closed.add('trackScripts') };
  }

  /** Delivers an arrival on the socket of `ifname`. */
  arrive(ifname: string, arrival: Arrival): void {
    const socket = this.sockets.find((s) => s.options.ifname === ifname && s.options.family === arrival.family);
    if (socket === undefined) throw new Error(`no socket on ${ifname}`);
    socket.handlers.arrival(arrival);
  }

  link(change: 'new' | 'del', link: LinkState): void {
    this.linkHandler?.(change, link);
  }

  resync(reason: Error): void {
    this.resyncHandler?.(reason);
  }

  scriptResult(name: string, up: boolean): void {
    this.scriptChanged?.(name, up);
  }
}
