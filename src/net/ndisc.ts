import { KeepalivedError } from '../errors.js';
import { ipToBytes } from './ip-address.js';
import { parseMac } from './arp.js';

export const ALL_NODES = 'ff02::1';

/**
 * An unsolicited Neighbor Advertisement (RFC 4861 §4.4, §7.2.6): the IPv6 counterpart of a
 * gratuitous ARP, sent to all-nodes with the Override flag so that caches repoint the VIP at
 * `mac`. The checksum is left zero: the kernel fills it in for raw ICMPv6 sockets.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |   Type = 136  |   Code = 0    |          Checksum             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |R|S|O|                     Reserved                            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                                                               |
 *   +                    Target Address (the VIP)                   +
 *   |                           16 bytes                            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Type = 2     |  Length = 1   |  Target link-layer address    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+        (6 bytes): mac         +
 *   |                                                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export function unsolicitedNa(vip: string, mac: string, router = false): Buffer {
  const { family, bytes } = ipToBytes(vip);
  if (family !== 'inet6') throw new KeepalivedError('ERR_BAD_ADDRESS', `neighbor advertisements are for IPv6, not ${vip}`);
  const na = Buffer.alloc(32);
  na[0] = 136;
  na[4] = (router ? 0x80 : 0) | 0x20;
  bytes.copy(na, 8);
  na[24] = 2;
  na[25] = 1;
  parseMac(mac).copy(na, 26);
  return na;
}
