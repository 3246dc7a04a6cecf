import { EventEmitter } from 'node:events';
import { ipToBytes, type AddressFamily } from '../net/ip-address.js';
import {
  AF_INET,
  AF_INET6,
  IPPROTO_IP,
  IPPROTO_IPV6,
  IPV6_CHECKSUM,
  IPV6_JOIN_GROUP,
  IPV6_MULTICAST_HOPS,
  IPV6_MULTICAST_IF,
  IPV6_MULTICAST_LOOP,
  IPV6_RECVHOPLIMIT,
  IPV6_RECVPKTINFO,
  SO_BINDTODEVICE,
  SOCK_RAW,
  SOL_SOCKET,
  native,
} from './native.js';

const IPPROTO_VRRP = 112;
const IPPROTO_AH = 51;
const IP_HDRINCL = 3;
const IP_MULTICAST_IF = 32;
const IP_MULTICAST_LOOP = 34;
const IP_ADD_MEMBERSHIP = 35;
const IP_MULTICAST_ALL = 49;
const IPV6_UNICAST_HOPS = 16;
/** Where the Checksum field sits in a VRRP message. */
const VRRP_CHECKSUM_OFFSET = 6;

/**
 * What arrived: for IPv4 the whole IP packet (raw sockets hand us the header, so the codec can
 * check TTL and addresses); for IPv6 only the VRRP message, with the hop limit and source the
 * kernel reported beside it.
 */
export type Arrival = { readonly family: 'inet'; readonly packet: Buffer } | { readonly family: 'inet6'; readonly payload: Buffer; readonly source: string; readonly hopLimit: number };

export interface TransportOptions {
  readonly family: AddressFamily;
  readonly ifname: string;
  readonly ifindex: number;
  /** Join this group (224.0.0.18 or ff02::12) to hear multicast adverts; omit for unicast only. */
  readonly multicastGroup?: string;
  /**
   * IPv4 `auth_type AH`: the socket is of protocol 51 instead of 112, as keepalived opens it, so
   * it sends and hears the AH packets that carry the adverts.
   */
  readonly ah?: boolean;
}

interface Events {
  arrival: [Arrival];
  error: [Error];
}

/**
 * One protocol-112 socket on one interface, bound to it so that every packet's interface is
 * known, through the project's addon (one sendto per advert; raw-socket, used before, turned
 * write polling on and off around every packet, a quarter of the daemon's CPU with 1,000
 * instances: docs/performance.md). IPv4 sends whole packets (IP_HDRINCL), because keepalived's
 * `unicast_src_ip` needs a chosen source; IPv6 lets the kernel build the header and reports the
 * hop limit RFC 5798 §7.1 tells us to check beside each message.
 */
export class VrrpTransport extends EventEmitter<Events> {
  private constructor(
    /**
     * IPv4: `data` is a whole IP packet (header included). IPv6: `data` is the VRRP message; the
     * kernel sets its checksum. Undefined when the kernel took it at once; a promise when it had
     * to wait for room in the socket buffer, or failed.
     */
    readonly send: (data: Buffer, destination: string) => Promise<void> | undefined,
    readonly close: () => void,
  ) {
    super();
  }

  static open(options: TransportOptions): VrrpTransport {
    return options.family === 'inet' ? VrrpTransport.openV4(options) : VrrpTransport.openV6(options);
  }

  private static openV4(options: TransportOptions): VrrpTransport {
    const n = native();
    const fd = n.socket(AF_INET, SOCK_RAW, options.ah ? IPPROTO_AH : IPPROTO_VRRP);
    try {
      n.setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, deviceName(options.ifname));
      n.setsockopt(fd, IPPROTO_IP, IP_HDRINCL, 1);
      n.setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0);
      // otherwise a socket hears every group any socket on the host joined
      n.setsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0);
      n.setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, mreqn('0.0.0.0', options.ifindex));
      if (options.multicastGroup !== undefined) n.setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, mreqn(options.multicastGroup, options.ifindex));
    } catch (error) {
      n.close(fd);
      throw error;
    }
    const transport = new VrrpTransport(
      (data, destination) => sendRetrying(() => n.sendTo(fd, destination, options.ifindex, data)),
      () => n.close(fd),
    );
    // raw IPv4 sockets hand over the IP header too, which the codec checks (TTL, addresses)
    n.startReceiving(fd, (packet) => transport.emit('arrival', { family: 'inet', packet }));
    return transport;
  }

  private static openV6(options: TransportOptions): VrrpTransport {
    const n = native();
    const fd = n.socket(AF_INET6, SOCK_RAW, IPPROTO_VRRP);
    try {
      n.setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, deviceName(options.ifname));
      n.setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1);
      n.setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1);
      n.setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, options.ifindex);
      n.setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 255);
      n.setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255);
      n.setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0);
      // the kernel fills in the pseudo-header checksum with the source it picks, and drops
      // arrivals whose checksum is wrong: recvmsg does not tell us the destination to verify it
      n.setsockopt(fd, IPPROTO_IPV6, IPV6_CHECKSUM, VRRP_CHECKSUM_OFFSET);
      if (options.multicastGroup !== undefined) {
        const join = Buffer.alloc(20);
        ipToBytes(options.multicastGroup).bytes.copy(join, 0);
        join.writeInt32LE(options.ifindex, 16);
        n.setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, join);
      }
    } catch (error) {
      n.close(fd);
      throw error;
    }
    const transport = new VrrpTransport(
      (data, destination) => sendRetrying(() => n.sendTo(fd, destination, options.ifindex, data)),
      () => n.close(fd),
    );
    n.startReceiving(fd, (payload, source, _ifindex, hopLimit) => transport.emit('arrival', { family: 'inet6', payload, source, hopLimit }));
    return transport;
  }
}

const EAGAIN = 11;
const SEND_RETRIES = 20;

/**
 * A full socket buffer (a burst of adverts faster than the device sends them) answers EAGAIN on
 * a non-blocking socket; the buffer drains as the device sends, so wait a millisecond and try
 * again, a bounded number of times, rather than lose the advert. Other errors go to the caller,
 * as a rejected promise. A packet the kernel took at once, the usual case, returns undefined:
 * no promise for the thousand adverts a second of a large node (docs/performance.md).
 */
function sendRetrying(send: () => void): Promise<void> | undefined {
  try {
    send();
    return undefined;
  } catch (error) {
    return retryLater(send, error, 0);
  }
}

async function retryLater(send: () => void, error: unknown, attempt: number): Promise<void> {
  for (; ; attempt++) {
    if ((error as { errno?: number }).errno !== EAGAIN || attempt >= SEND_RETRIES) throw error;
    await new Promise((resolve) => setTimeout(resolve, 1));
    try {
      send();
      return;
    } catch (next) {
      error = next;
    }
  }
}

function deviceName(ifname: string): Buffer {
  return Buffer.from(`${ifname}\0`);
}

/** struct ip_mreqn: group, local address, interface index. */
function mreqn(group: string, ifindex: number): Buffer {
  const b = Buffer.alloc(12);
  ipToBytes(group).bytes.copy(b, 0);
  b.writeInt32LE(ifindex, 8);
  return b;
}
