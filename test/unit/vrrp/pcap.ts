/**
 * A tiny reader for classic libpcap files (not pcapng), enough for the captured samples: records
 * with their capture time, and the IPv4 or IPv6 packet inside an Ethernet frame.
 */

import { formatIpv6 } from '../../../src/net/ip-address.js';

export interface PcapRecord {
  /** Seconds since the epoch, with the file's sub-second precision. */
  readonly time: number;
  readonly data: Uint8Array;
}

const LINKTYPE_ETHERNET = 1;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const IPV6_HEADER_LENGTH = 40;

/*
 * Global header (24 bytes): magic, version major/minor, thiszone, sigfigs, snaplen, linktype.
 * Record header (16 bytes): seconds, microseconds (or nanoseconds), captured length, original length.
 * The magic, read little-endian, says the byte order and the sub-second unit.
 */
export function readPcap(file: Uint8Array): PcapRecord[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magic = view.getUint32(0, true);
  const formats: Record<number, { littleEndian: boolean; unit: number }> = {
    0xa1b2c3d4: { littleEndian: true, unit: 1e-6 },
    0xa1b23c4d: { littleEndian: true, unit: 1e-9 },
    0xd4c3b2a1: { littleEndian: false, unit: 1e-6 },
    0x4d3cb2a1: { littleEndian: false, unit: 1e-9 },
  };
  const format = formats[magic];
  if (format === undefined) throw new Error(`not a pcap file (magic 0x${magic.toString(16)})`);
  const { littleEndian, unit } = format;
  const linkType = view.getUint32(20, littleEndian);
  if (linkType !== LINKTYPE_ETHERNET) throw new Error(`link type ${linkType}, only Ethernet (1) is read`);
  const records: PcapRecord[] = [];
  for (let offset = 24; offset + 16 <= file.length;) {
    const seconds = view.getUint32(offset, littleEndian);
    const fraction = view.getUint32(offset + 4, littleEndian);
    const captured = view.getUint32(offset + 8, littleEndian);
    const start = offset + 16;
    if (start + captured > file.length) throw new Error(`record at byte ${offset} runs past the end of the file`);
    records.push({ time: seconds + fraction * unit, data: file.subarray(start, start + captured) });
    offset = start + captured;
  }
  return records;
}

/** What an Ethernet frame carries, as a raw socket of that family would hand it over. */
export type FramePayload =
  /** The IPv4 packet, header included, trimmed to its total length. */
  | { readonly family: 'inet'; readonly packet: Uint8Array }
  /** The IPv6 fixed header's fields and the bytes after it (extension headers are not followed). */
  | {
      readonly family: 'inet6';
      readonly nextHeader: number;
      readonly hopLimit: number;
      readonly source: string;
      readonly destination: string;
      readonly payload: Uint8Array;
    };

/** The IP packet in an Ethernet frame (one 802.1Q tag allowed), or undefined for other frames. */
export function ipInFrame(frame: Uint8Array): FramePayload | undefined {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  let offset = 12;
  let etherType = view.getUint16(offset);
  if (etherType === ETHERTYPE_VLAN) {
    offset += 4;
    etherType = view.getUint16(offset);
  }
  const ip = frame.subarray(offset + 2);
  const ipView = new DataView(ip.buffer, ip.byteOffset, ip.byteLength);
  // Ethernet pads short frames to 60 bytes; a raw socket hands over the IP packet alone.
  if (etherType === ETHERTYPE_IPV4) return { family: 'inet', packet: ip.subarray(0, ipView.getUint16(2)) };
  if (etherType !== ETHERTYPE_IPV6) return undefined;
  return {
    family: 'inet6',
    nextHeader: ipView.getUint8(6),
    hopLimit: ipView.getUint8(7),
    source: formatIpv6(ip, 8),
    destination: formatIpv6(ip, 24),
    payload: ip.subarray(IPV6_HEADER_LENGTH, IPV6_HEADER_LENGTH + ipView.getUint16(4)),
  };
}
