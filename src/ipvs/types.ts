/**
 * The IPVS table as keepalived-ts sees it: plain values, shared by the generic-netlink codec,
 * the reconciler and ipvsadm-ts. Field meanings follow linux/ip_vs.h.
 */

export type Family = 'inet' | 'inet6';
export type Protocol = 'tcp' | 'udp' | 'sctp';
/** IP_VS_CONN_F_FWD_MASK values: masq (NAT), local, tunnel (TUN), route (DR/gatewaying), bypass. */
export type ForwardMethod = 'masq' | 'local' | 'tunnel' | 'route' | 'bypass';
export type TunnelType = 'ipip' | 'gue' | 'gre';

/** A virtual service is named by protocol+address+port, or by firewall mark. */
export type ServiceKey = { readonly family: Family; readonly protocol: Protocol; readonly address: string; readonly port: number } | { readonly family: Family; readonly fwmark: number };

export interface Stats {
  readonly conns: bigint;
  readonly inPackets: bigint;
  readonly outPackets: bigint;
  readonly inBytes: bigint;
  readonly outBytes: bigint;
  readonly cps: bigint;
  readonly inPps: bigint;
  readonly outPps: bigint;
  readonly inBps: bigint;
  readonly outBps: bigint;
}

/** Counters of an entry the kernel has not counted anything for yet. */
export const ZERO_STATS: Stats = {
  conns: 0n,
  inPackets: 0n,
  outPackets: 0n,
  inBytes: 0n,
  outBytes: 0n,
  cps: 0n,
  inPps: 0n,
  outPps: 0n,
  inBps: 0n,
  outBps: 0n,
};

export interface Service {
  readonly key: ServiceKey;
  readonly scheduler: string;
  /** IP_VS_SVC_F_* bits (persistent, hashed, onepacket, sched flags). */
  readonly flags: number;
  /** Persistence timeout in seconds (meaningful with the persistent flag). */
  readonly timeout: number;
  /** Persistence granularity: an IPv4 mask as a dotted quad, or an IPv6 prefix length. */
  readonly netmask: string | number;
  /** Persistence engine name, e.g. `sip`. */
  readonly pe?: string;
  readonly stats?: Stats;
}

export interface Destination {
  readonly family: Family;
  readonly address: string;
  readonly port: number;
  readonly forward: ForwardMethod;
  readonly weight: number;
  readonly upperThreshold: number;
  readonly lowerThreshold: number;
  readonly tunnelType?: TunnelType;
  readonly tunnelPort?: number;
  /** IP_VS_TUNNEL_ENCAP_FLAG_* bits (nocsum, csum, remcsum). */
  readonly tunnelFlags?: number;
  readonly activeConns?: number;
  readonly inactiveConns?: number;
  readonly persistConns?: number;
  readonly stats?: Stats;
}

export interface Timeouts {
  readonly tcp: number;
  readonly tcpFin: number;
  readonly udp: number;
}

export interface SyncDaemon {
  readonly state: 'master' | 'backup';
  readonly mcastInterface: string;
  readonly syncId: number;
  readonly maxLen?: number;
  readonly group?: string;
  readonly port?: number;
  readonly ttl?: number;
}

/** What the kernel holds, or what it should hold: services with their destinations. */
export interface Table {
  readonly services: ReadonlyArray<{ readonly service: Service; readonly destinations: readonly Destination[] }>;
}

export interface Info {
  /** The kernel's IPVS version, e.g. `1.2.1`. */
  readonly version: string;
  readonly connTableSize: number;
}

/** A destination is named, inside its service, by address and port. */
export interface DestinationKey {
  readonly family: Family;
  readonly address: string;
  readonly port: number;
}

/** What a dump may leave out, and when to stop waiting for it. */
export interface DumpOptions {
  /** Decode the traffic counters (default true). A read-back compares none of them; leaving them out is most of a destination's decoding. */
  readonly stats?: boolean;
  /** When it aborts, a dump not yet sent is dropped and rejects with the signal's reason; one the kernel is running finishes. */
  readonly signal?: AbortSignal;
}

/**
 * Everything ipvsadm can ask of the kernel. The generic-netlink adapter in src/linux implements
 * it; tests and the reconciler may use an in-memory one.
 */
export interface IpvsClient {
  info(): Promise<Info>;
  services(options?: DumpOptions): Promise<Service[]>;
  service(key: ServiceKey): Promise<Service>;
  addService(service: Service): Promise<void>;
  editService(service: Service): Promise<void>;
  deleteService(key: ServiceKey): Promise<void>;
  destinations(key: ServiceKey, options?: DumpOptions): Promise<Destination[]>;
  addDestination(key: ServiceKey, destination: Destination): Promise<void>;
  editDestination(key: ServiceKey, destination: Destination): Promise<void>;
  deleteDestination(key: ServiceKey, destination: DestinationKey): Promise<void>;
  flush(): Promise<void>;
  /** Zero the counters of one service, or of all when no key is given. */
  zero(key?: ServiceKey): Promise<void>;
  timeouts(): Promise<Timeouts>;
  setTimeouts(timeouts: Timeouts): Promise<void>;
  daemons(): Promise<SyncDaemon[]>;
  startDaemon(daemon: SyncDaemon): Promise<void>;
  stopDaemon(state: SyncDaemon['state']): Promise<void>;
  close(): void;
}
