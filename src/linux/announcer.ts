import { BROADCAST_MAC, ETH_P_ARP, gratuitousArp } from '../net/arp.js';
import { ALL_NODES, unsolicitedNa } from '../net/ndisc.js';
import { AF_INET6, AF_PACKET, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, IPV6_MULTICAST_IF, SOCK_DGRAM, SOCK_RAW, native } from './native.js';

const IPPROTO_ICMPV6 = 58;
const ICMP6_FILTER = 1;

/**
 * Tells the LAN where a VIP now lives: gratuitous ARP for IPv4, unsolicited Neighbor
 * Advertisements for IPv6. Both sockets only send; the ICMPv6 one filters out everything, or
 * it would be handed every ICMPv6 packet the host receives.
 */
export class Announcer {
  private readonly packetFd: number;
  private readonly icmp6Fd: number;

  constructor() {
    const n = native();
    this.packetFd = n.socket(AF_PACKET, SOCK_DGRAM, 0);
    this.icmp6Fd = n.socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
    n.setsockopt(this.icmp6Fd, IPPROTO_ICMPV6, ICMP6_FILTER, Buffer.alloc(32, 0xff));
    n.setsockopt(this.icmp6Fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 255);
  }

  gratuitousArp(ifindex: number, vip: string, mac: string): void {
    native().sendFrame(this.packetFd, ifindex, ETH_P_ARP, BROADCAST_MAC, gratuitousArp(vip, mac));
  }

  neighborAdvertisement(ifindex: number, vip: string, mac: string): void {
    const n = native();
    n.setsockopt(this.icmp6Fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex);
    n.sendTo(this.icmp6Fd, ALL_NODES, ifindex, unsolicitedNa(vip, mac));
  }

  close(): void {
    native().close(this.packetFd);
    native().close(this.icmp6Fd);
  }
}
