/**
 * The Linux adapters the VRRP service needs, as interfaces. src/linux implements them
 * (linux-ports.ts wires the real ones); test/unit/daemon/fakes implements them in memory, so the
 * service's wiring is unit-tested without root, sockets or real time, the way src/ipvs tests
 * IpvsTableKeeper against MemoryIpvsClient.
 */
import type { InterfaceAddress, LinkState, Route, Rule } from '../net/kernel-objects.js';
import type { Lateness } from '../linux/timers.js';
import type { Arrival, TransportOptions } from '../linux/vrrp-transport.js';
import type { ScriptPlan } from './plan.js';

/** rtnetlink requests: what the VRRP service reads and changes in the kernel. */
export interface RtnlPort {
  links(): Promise<LinkState[]>;
  addresses(): Promise<InterfaceAddress[]>;
  addAddress(a: InterfaceAddress): Promise<void>;
  deleteAddress(a: InterfaceAddress): Promise<void>;
  addRoute(r: Route): Promise<void>;
  deleteRoute(r: Route): Promise<void>;
  addRule(r: Rule): Promise<void>;
  deleteRule(r: Rule): Promise<void>;
  close(): void;
}

/** Link notifications; `resync` when some were lost and everything must be read again. */
export interface LinkWatchPort {
  onLink(handler: (change: 'new' | 'del', link: LinkState) => void): void;
  onResync(handler: (reason: Error) => void): void;
  close(): void;
}

/** One VRRP socket on one interface and family. */
export interface VrrpSocketPort {
  /**
   * IPv4: `data` is the whole IP packet. IPv6: the VRRP message (the kernel sets its checksum).
   * Undefined when sent at once; a promise when the send had to wait, or failed.
   */
  send(data: Buffer, destination: string): Promise<void> | undefined;
  close(): void;
}

export interface VrrpSocketHandlers {
  arrival(arrival: Arrival): void;
  error(error: Error): void;
}

/** Gratuitous ARP (IPv4) and unsolicited Neighbor Advertisements (IPv6). */
export interface AnnouncerPort {
  gratuitousArp(ifindex: number, vip: string, mac: string): void;
  neighborAdvertisement(ifindex: number, vip: string, mac: string): void;
  close(): void;
}

/** Named one-shot timers at absolute times on `now()`'s clock (src/linux/timers.ts TimerHost). */
export interface TimerPort {
  now(): number;
  arm(name: string, at: number, fire: (now: number) => void): void;
  cancel(name: string): void;
  cancelAll(): void;
  readonly lateness: Lateness;
}

/** Notify scripts: resolves when the script ended (or was refused or killed). */
export interface ScriptPort {
  run(script: string, args: readonly string[], timeoutMs?: number): Promise<void>;
}

/** vrrp_script trackers: each reports its rise/fall verdicts through `changed` until closed. */
export interface TrackScriptsPort {
  close(): void;
}

/** notify_fifo / vrrp_notify_fifo. */
export interface FifoPort {
  readonly path: string;
  /** False when the reader is behind and the line was dropped. */
  write(line: string): boolean;
  close(): void;
}

/** Everything the VRRP service touches outside the process, built when it starts. */
export interface VrrpPorts {
  readonly rtnl: RtnlPort;
  readonly timers: TimerPort;
  readonly scripts: ScriptPort;
  watchLinks(): LinkWatchPort;
  openSocket(options: TransportOptions, handlers: VrrpSocketHandlers): VrrpSocketPort;
  openAnnouncer(): AnnouncerPort;
  openFifo(path: string): FifoPort;
  trackScripts(plans: readonly ScriptPlan[], changed: (name: string, up: boolean) => void): TrackScriptsPort;
}
