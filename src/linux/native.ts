import { createRequire } from 'node:module';

/**
 * The project's own N-API addon (native/kts_native.c): VRRP's raw sockets, AF_PACKET sends for
 * gratuitous ARP, recvmsg() with ancillary data, Unix datagrams for systemd (sd_notify, the
 * journal), real-time signals, and bind() before Node adopts a descriptor (for checker sockets
 * with SO_MARK or SO_BINDTODEVICE), all things Node cannot do, and TCP_CHECK's connect-only
 * probe. File descriptors are plain numbers owned by the caller; close them with `close`.
 */
export interface NativeSockets {
  socket(family: number, type: number, protocol: number): number;
  setsockopt(fd: number, level: number, name: number, value: number | Buffer): void;
  sendFrame(fd: number, ifindex: number, ethertype: number, destinationMac: Buffer, payload: Buffer): void;
  /** bind() to an IPv4 or IPv6 address (port 0: any). */
  bind(fd: number, address: string, port: number): void;
  sendTo(fd: number, address: string, ifindex: number, payload: Buffer): void;
  /** `ifindex` and `hops` (TTL or hop limit) are -1 unless enabled with IP_PKTINFO/IP_RECVTTL or their IPv6 twins. */
  startReceiving(fd: number, onDatagram: (data: Buffer, source: string, ifindex: number, hops: number) => void): void;
  close(fd: number): void;
  /** Sends one AF_UNIX datagram to `path` (`@name` for an abstract socket). */
  notifyDatagram(path: string, text: string): void;
  /** Sends one binary AF_UNIX datagram without blocking; returns 0 or the errno (EAGAIN, ENOENT, EMSGSIZE, ...). */
  sendDatagram(path: string, payload: Buffer): number;
  ifindex(name: string): number;
  /** Catches signal `signum` (any, real-time ones included) on the main loop; it no longer has its default action. */
  watchSignal(signum: number, onSignal: (signum: number) => void): void;
  /** The default action again. */
  unwatchSignal(signum: number): void;
  /**
   * Where connectProbe's outcomes go, collected once per loop iteration: (id, code) pairs, code 0
   * connected, CONNECT_TIMEOUT, or the errno. An id is not reused before its pair was delivered.
   */
  onConnectProbe(callback: (pairs: Int32Array) => void): void;
  /**
   * Connects the non-blocking descriptor `fd` (now owned by the addon, which closes it) and reports
   * writability or the deadline; returns the probe's id, or -errno when connect() failed at once.
   */
  connectProbe(fd: number, address: string, port: number, timeoutMs: number): number;
  /** Ends a probe in flight without reporting it; an id already reported is ignored. */
  cancelConnectProbe(id: number): void;
}

/** connectProbe's code when the deadline passed before the connection opened. */
export const CONNECT_TIMEOUT = -1;

export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_PACKET = 17;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const SOL_SOCKET = 1;
export const SO_BINDTODEVICE = 25;
export const SO_MARK = 36;
export const IPPROTO_ICMP = 1;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_IP = 0;
export const IP_PKTINFO = 8;
export const IP_RECVTTL = 12;
export const IPPROTO_IPV6 = 41;
export const IPV6_CHECKSUM = 7;
export const IPV6_MULTICAST_IF = 17;
export const IPV6_MULTICAST_HOPS = 18;
export const IPV6_MULTICAST_LOOP = 19;
export const IPV6_JOIN_GROUP = 20;
export const IPV6_RECVPKTINFO = 49;
export const IPV6_RECVHOPLIMIT = 51;
export const ETH_P_ARP = 0x0806;

const require = createRequire(import.meta.url);

/** Loaded on first use so that pure code importing constants from here never needs the build. */
let loaded: NativeSockets | undefined;
export function native(): NativeSockets {
  loaded ??= require('../../build/Release/kts_native.node') as NativeSockets;
  return loaded;
}
