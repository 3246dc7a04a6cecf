import { KeepalivedError } from '../errors.js';
import { ipToBytes } from './ip-address.js';

export const ETH_P_ARP = 0x0806;
export const BROADCAST_MAC = Buffer.alloc(6, 0xff);

/**
 * A gratuitous ARP (RFC 5227 §3 "ARP Announcement"), the payload of an Ethernet frame to
 * ff:ff:ff:ff:ff:ff. Sender and target protocol addresses are both the VIP, so every host
 * that caches the VIP repoints it at `mac` without having to answer.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |      HTYPE = 1 (Ethernet)     |     PTYPE = 0x0800 (IPv4)     |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |   HLEN = 6    |   PLEN = 4    |      OPER = 1 (request)       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |            Sender hardware address (6 bytes): mac             |
 *   |                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                               |  Sender protocol address: VIP |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |               |  Target hardware address (6 bytes): zero      |
 *   +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
 *   |                                               |  Target       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+               |
 *   |  protocol address: VIP                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
export function gratuitousArp(vip: string, mac: string): Buffer {
  const { family, bytes: ip } = ipToBytes(vip);
  if (family !== 'inet') throw new KeepalivedError('ERR_BAD_ADDRESS', `gratuitous ARP is for IPv4, not ${vip}`);
  const hw = parseMac(mac);
  const arp = Buffer.alloc(28);
  arp.writeUInt16BE(1, 0);
  arp.writeUInt16BE(0x0800, 2);
  arp[4] = 6;
  arp[5] = 4;
  arp.writeUInt16BE(1, 6);
  hw.copy(arp, 8);
  ip.copy(arp, 14);
  ip.copy(arp, 24);
  return arp;
}

export function parseMac(mac: string): Buffer {
  if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(mac)) throw new KeepalivedError('ERR_BAD_MAC', `not a MAC address: ${mac}`);
  return Buffer.from(mac.replaceAll(':', ''), 'hex');
}
