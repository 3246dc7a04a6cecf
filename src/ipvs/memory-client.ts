/**
 * An IpvsClient that keeps the table in memory and answers like the kernel's ip_vs_ctl.c does:
 * EEXIST for a duplicate add, ESRCH for a missing service, ENOENT for a missing destination or an
 * unknown scheduler, ERANGE for a negative weight or inverted thresholds, EINVAL for bad
 * netmasks, thresholds above INT_MAX, non-unicast real servers, tunnel settings or mixed families. The kernel also marks every service HASHED, which
 * this client copies, so code tested here sees what it will see from a real dump.
 */
import type { Family, Destination, DestinationKey, DumpOptions, Info, IpvsClient, Service, ServiceKey, SyncDaemon, Timeouts } from './types.js';
import { IP_VS_SVC_F } from './ip-vs-header.js';
import { ZERO_STATS } from './types.js';
import { addressBytes } from './address.js';
import { kernelError, type IpvsOperation } from './errors.js';
import { canonicalDestinationKey, canonicalServiceKey, describeDestination, describeService, destinationId, serviceId } from './keys.js';
import { familyOf } from '../net/ip-address.js';

/** Schedulers of Debian 12's kernel (6.1); `twos` needs 6.2. */
export const KERNEL_SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'mh', 'fo', 'ovf'];
export const KERNEL_PERSISTENCE_ENGINES = ['sip'];
/** `ipvsadm -L --timeout` on a fresh kernel: 900 120 300. */
export const DEFAULT_TIMEOUTS: Timeouts = { tcp: 900, tcpFin: 120, udp: 300 };

/** Debian 12's kernel answers EINVAL to a threshold above INT_MAX (seen in the vm tier). */
const INT_MAX = 0x7fffffff;

/**
 * The kernel takes only unicast real servers: inet_addr_type() must say RTN_UNICAST (not 0/8,
 * multicast or the limited broadcast) and ipv6_addr_type() must say unicast and not link-local.
 * (Local addresses pass too; this client has no interfaces, so it knows none.)
 */
function isUnicast(family: Family, address: string): boolean {
  const b = addressBytes(address, family);
  if (family === 'inet') return b[0] !== 0 && ((b[0] ?? 0) & 0xf0) !== 0xe0 && address !== '255.255.255.255';
  const [b0 = 0, b1 = 0] = b;
  const zeroUpTo = (n: number): boolean => b.subarray(0, n).every((x) => x === 0);
  if (b0 === 0xff || (b0 === 0xfe && (b1 & 0xc0) === 0x80)) return false;
  if (zeroUpTo(16)) return false;
  return !(zeroUpTo(10) && b[10] === 0xff && b[11] === 0xff);
}

interface Entry {
  service: Service;
  destinations: Map<string, Destination>;
}

export interface MemoryIpvsClientOptions {
  schedulers?: readonly string[];
  persistenceEngines?: readonly string[];
}

export class MemoryIpvsClient implements IpvsClient {
  /** Requests that changed (or tried to change) the table: what a netlink client would send. */
  writes = 0;
  private readonly entries = new Map<string, Entry>();
  private currentTimeouts: Timeouts = DEFAULT_TIMEOUTS;
  private readonly running = new Map<SyncDaemon['state'], SyncDaemon>();
  private readonly schedulers: ReadonlySet<string>;
  private readonly engines: ReadonlySet<string>;

  constructor(options: MemoryIpvsClientOptions = {}) {
    this.schedulers = new Set(options.schedulers ?? KERNEL_SCHEDULERS);
    this.engines = new Set(options.persistenceEngines ?? KERNEL_PERSISTENCE_ENGINES);
  }

  async info(): Promise<Info> {
    return { version: '1.2.1', connTableSize: 4096 };
  }

  /** Counters are kept, whatever `stats` says (the option allows leaving them out). */
  async services(options?: DumpOptions): Promise<Service[]> {
    options?.signal?.throwIfAborted();
    return [...this.entries.values()].map((entry) => entry.service);
  }

  async service(key: ServiceKey): Promise<Service> {
    return this.find(key, 'get-service').service;
  }

  async addService(service: Service): Promise<void> {
    this.writes++;
    const key = canonicalServiceKey(service.key);
    if (this.entries.has(serviceId(key))) throw kernelError('EEXIST', 'add-service', describeService(key));
    this.entries.set(serviceId(key), { service: this.checkService({ ...service, key }, 'add-service'), destinations: new Map() });
  }

  async editService(service: Service): Promise<void> {
    this.writes++;
    const entry = this.find(service.key, 'edit-service');
    entry.service = { ...this.checkService({ ...service, key: entry.service.key }, 'edit-service'), stats: entry.service.stats ?? ZERO_STATS };
  }

  async deleteService(key: ServiceKey): Promise<void> {
    this.writes++;
    this.find(key, 'delete-service');
    this.entries.delete(serviceId(key));
  }

  /** Like the kernel's GET_DEST dump, a missing service has no destinations rather than ESRCH. */
  async destinations(key: ServiceKey, options?: DumpOptions): Promise<Destination[]> {
    options?.signal?.throwIfAborted();
    return [...(this.entries.get(serviceId(key))?.destinations.values() ?? [])];
  }

  async addDestination(key: ServiceKey, destination: Destination): Promise<void> {
    this.writes++;
    const entry = this.find(key, 'add-destination');
    const checked = this.checkDestination(entry.service, destination, 'add-destination');
    const id = destinationId(checked);
    if (entry.destinations.has(id)) throw kernelError('EEXIST', 'add-destination', describeDestination(entry.service.key, checked));
    entry.destinations.set(id, checked);
  }

  async editDestination(key: ServiceKey, destination: Destination): Promise<void> {
    this.writes++;
    const entry = this.find(key, 'edit-destination');
    const checked = this.checkDestination(entry.service, destination, 'edit-destination');
    const id = destinationId(checked);
    const old = entry.destinations.get(id);
    if (old === undefined) throw kernelError('ENOENT', 'edit-destination', describeDestination(entry.service.key, checked));
    entry.destinations.set(id, {
      ...checked,
      activeConns: old.activeConns ?? 0,
      inactiveConns: old.inactiveConns ?? 0,
      persistConns: old.persistConns ?? 0,
      stats: old.stats ?? ZERO_STATS,
    });
  }

  async deleteDestination(key: ServiceKey, destination: DestinationKey): Promise<void> {
    this.writes++;
    const entry = this.find(key, 'delete-destination');
    const id = destinationId(destination);
    if (!entry.destinations.delete(id)) {
      throw kernelError('ENOENT', 'delete-destination', describeDestination(entry.service.key, canonicalDestinationKey(destination)));
    }
  }

  async flush(): Promise<void> {
    this.writes++;
    this.entries.clear();
  }

  async zero(key?: ServiceKey): Promise<void> {
    this.writes++;
    const targets = key === undefined ? [...this.entries.values()] : [this.find(key, 'zero')];
    for (const entry of targets) {
      entry.service = { ...entry.service, stats: ZERO_STATS };
      for (const [id, destination] of entry.destinations) entry.destinations.set(id, { ...destination, stats: ZERO_STATS });
    }
  }

  async timeouts(): Promise<Timeouts> {
    return this.currentTimeouts;
  }

  /** A zero leaves that timeout unchanged, as in ip_vs_set_timeout(). */
  async setTimeouts(timeouts: Timeouts): Promise<void> {
    this.writes++;
    const pick = (next: number, old: number): number => (next === 0 ? old : next);
    this.currentTimeouts = {
      tcp: pick(timeouts.tcp, this.currentTimeouts.tcp),
      tcpFin: pick(timeouts.tcpFin, this.currentTimeouts.tcpFin),
      udp: pick(timeouts.udp, this.currentTimeouts.udp),
    };
  }

  async daemons(): Promise<SyncDaemon[]> {
    return [...this.running.values()];
  }

  async startDaemon(daemon: SyncDaemon): Promise<void> {
    this.writes++;
    const object = `${daemon.state} sync daemon on ${daemon.mcastInterface}`;
    if (this.hasMixedFamilies()) throw kernelError('EINVAL', 'start-daemon', object);
    if (this.running.has(daemon.state)) throw kernelError('EEXIST', 'start-daemon', object);
    const ipv6 = daemon.group !== undefined && familyOf(daemon.group) === 'inet6';
    this.running.set(daemon.state, {
      state: daemon.state,
      mcastInterface: daemon.mcastInterface,
      syncId: daemon.syncId,
      maxLen: daemon.maxLen || (ipv6 ? 1452 : 1472),
      group: daemon.group ?? '224.0.0.81',
      port: daemon.port || 8848,
      ttl: daemon.ttl || 1,
    });
  }

  async stopDaemon(state: SyncDaemon['state']): Promise<void> {
    this.writes++;
    if (!this.running.delete(state)) throw kernelError('ESRCH', 'stop-daemon', `${state} sync daemon`);
  }

  close(): void {}

  /** The sync protocol cannot carry a destination whose family differs from its service's. */
  private hasMixedFamilies(): boolean {
    return [...this.entries.values()].some((entry) => [...entry.destinations.values()].some((d) => d.family !== entry.service.key.family));
  }

  private find(key: ServiceKey, operation: IpvsOperation): Entry {
    const entry = this.entries.get(serviceId(key));
    if (entry === undefined) throw kernelError('ESRCH', operation, describeService(canonicalServiceKey(key)));
    return entry;
  }

  private checkService(service: Service, operation: IpvsOperation): Service {
    const object = describeService(service.key);
    if (!this.schedulers.has(service.scheduler)) throw kernelError('ENOENT', operation, object);
    if (service.pe !== undefined && service.pe !== '' && !this.engines.has(service.pe)) throw kernelError('ENOENT', operation, object);
    if (service.key.family === 'inet6') {
      const prefix = service.netmask;
      if (typeof prefix !== 'number' || prefix < 1 || prefix > 128) throw kernelError('EINVAL', operation, object);
    }
    const { pe, ...rest } = service;
    return {
      ...rest,
      flags: service.flags | IP_VS_SVC_F.HASHED,
      ...(pe === undefined || pe === '' ? {} : { pe }),
      stats: ZERO_STATS,
    };
  }

  private checkDestination(service: Service, destination: Destination, operation: IpvsOperation): Destination {
    const key = canonicalDestinationKey(destination);
    const object = describeDestination(service.key, key);
    if (destination.weight < 0 || destination.lowerThreshold > destination.upperThreshold) throw kernelError('ERANGE', operation, object);
    if (destination.upperThreshold > INT_MAX || destination.lowerThreshold > INT_MAX) throw kernelError('EINVAL', operation, object);
    if (destination.tunnelType === 'gue' && !destination.tunnelPort) throw kernelError('EINVAL', operation, object);
    if (!isUnicast(key.family, key.address)) throw kernelError('EINVAL', operation, object);
    if (key.family !== service.key.family && (destination.forward !== 'tunnel' || this.running.size > 0)) {
      throw kernelError('EINVAL', operation, object);
    }
    return {
      family: key.family,
      address: key.address,
      port: key.port,
      forward: destination.forward,
      weight: destination.weight,
      upperThreshold: destination.upperThreshold,
      lowerThreshold: destination.lowerThreshold,
      ...(destination.forward === 'tunnel' ? { tunnelType: destination.tunnelType ?? 'ipip', tunnelPort: destination.tunnelPort ?? 0, tunnelFlags: destination.tunnelFlags ?? 0 } : {}),
      activeConns: 0,
      inactiveConns: 0,
      persistConns: 0,
      stats: ZERO_STATS,
    };
  }
}
