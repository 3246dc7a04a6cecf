import { EventEmitter } from 'node:events';
import { createRtNetlink, rt, type NetlinkMessage, type RtNetlinkSocket } from 'netlink';
import type { InterfaceAddress, LinkState } from '../net/kernel-objects.js';
import { parseAddress, parseLink } from './rtnl.js';

const RTM_NEWLINK = 16;
const RTM_DELLINK = 17;
const RTM_NEWADDR = 20;
const RTM_DELADDR = 21;

export interface RtnlWatchEvents {
  link: [change: 'new' | 'del', link: LinkState];
  address: [change: 'new' | 'del', address: InterfaceAddress];
  /** Notifications were lost and the socket was recreated: dump and reconcile everything. */
  resync: [reason: Error];
}

/**
 * Link and address notifications. The kernel drops notifications when our queue overruns;
 * the socket then fails, so we open a new one, subscribe again and ask the owner to resync
 * from a full dump, since any change in the gap is unknown.
 */
export class RtnlWatch extends EventEmitter<RtnlWatchEvents> {
  private socket: RtNetlinkSocket;
  private closed = false;

  constructor() {
    super();
    this.socket = this.subscribe();
  }

  close(): void {
    this.closed = true;
    this.socket.socket.close();
  }

  private subscribe(): RtNetlinkSocket {
    // ref: a daemon whose only pending work is watching links must stay alive
    // (netlink's typings wrongly require the buffer sizes, which are optional at run time)
    const socket = createRtNetlink({ ref: true } as Parameters<typeof createRtNetlink>[0]);
    // the wrapper's own 'message' event drops nlmsg_type, which tells NEW from DEL
    socket.socket.on('message', (messages: NetlinkMessage[]) => messages.forEach((m) => this.dispatch(m)));
    socket.socket.on('error', (error: Error) => this.recover(error));
    for (const group of ['LINK', 'IPV4_IFADDR', 'IPV6_IFADDR'] as const) socket.addMembership(group);
    return socket;
  }

  private recover(error: Error): void {
    if (this.closed) return;
    try {
      this.socket.socket.close();
    } catch {
      // the binding closes a failed socket itself
    }
    this.socket = this.subscribe();
    this.emit('resync', error);
  }

  private dispatch(m: NetlinkMessage): void {
    if (m.type === RTM_NEWLINK || m.type === RTM_DELLINK) {
      const { data, attrs } = rt.parseLinkMessage(m.data);
      this.emit('link', m.type === RTM_NEWLINK ? 'new' : 'del', parseLink(data, attrs));
    } else if (m.type === RTM_NEWADDR || m.type === RTM_DELADDR) {
      const { data, attrs } = rt.parseAddressMessage(m.data);
      const address = parseAddress(data, attrs);
      if (address) this.emit('address', m.type === RTM_NEWADDR ? 'new' : 'del', address);
    }
  }
}
