/**
 * Netlink attributes (linux/netlink.h, struct nlattr), built and parsed by hand so that nested
 * attributes carry NLA_F_NESTED and every byte is testable without a socket.
 *
 *   0               16              32
 *   +---------------+---------------+
 *   |   nla_len     |   nla_type    |   nla_len = 4 + payload length (padding excluded)
 *   +---------------+---------------+   nla_type bit 15 = NLA_F_NESTED, bit 14 = NLA_F_NET_BYTEORDER
 *   |   payload ... | pad to 4      |
 *   +-------------------------------+
 *
 * Integers without a `be` in their name are in host byte order: little endian on the machines
 * this runs on (x86-64, arm64).
 */
import { badReply } from './errors.js';

export const NLA_HDRLEN = 4;
export const NLA_F_NESTED = 0x8000;
export const NLA_F_NET_BYTEORDER = 0x4000;
const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

const align4 = (n: number): number => (n + 3) & ~3;

const BLOCK = 64 * 1024;
let block = new ArrayBuffer(BLOCK);
let used = 0;

/**
 * Zeroed bytes for an attribute being built, carved from a shared 64 KiB block instead of one
 * ArrayBuffer each: an apply of 11,000 writes builds ~20 attributes a write, and their buffers
 * were a third of its time in garbage collection. A block is never written twice, so what it
 * hands out is zero; anything kept for long must be copied out (`slice()`), or it holds the
 * whole block.
 */
function zeroed(length: number): Uint8Array {
  if (length > BLOCK / 8) return new Uint8Array(length);
  if (used + length > BLOCK) {
    block = new ArrayBuffer(BLOCK);
    used = 0;
  }
  const out = new Uint8Array(block, used, length);
  used += align4(length);
  return out;
}

export function attribute(type: number, payload: Uint8Array): Uint8Array {
  const length = NLA_HDRLEN + payload.length;
  const out = zeroed(align4(length));
  out[0] = length & 0xff;
  out[1] = length >> 8;
  out[2] = type & 0xff;
  out[3] = type >> 8;
  out.set(payload, NLA_HDRLEN);
  return out;
}

/** An attribute with an integer payload of `bytes` bytes, little endian unless `bigEndian`. */
function integer(type: number, bytes: 1 | 2 | 4, value: number, bigEndian = false): Uint8Array {
  const out = zeroed(NLA_HDRLEN + 4);
  out[0] = NLA_HDRLEN + bytes;
  out[2] = type & 0xff;
  out[3] = type >> 8;
  for (let i = 0; i < bytes; i++) out[NLA_HDRLEN + (bigEndian ? bytes - 1 - i : i)] = (value >>> (8 * i)) & 0xff;
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = zeroed(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function nested(type: number, children: readonly Uint8Array[]): Uint8Array {
  return attribute(type | NLA_F_NESTED, concat(children));
}

export const u8 = (type: number, value: number): Uint8Array => integer(type, 1, value);
export const u16 = (type: number, value: number): Uint8Array => integer(type, 2, value);
export const be16 = (type: number, value: number): Uint8Array => integer(type, 2, value, true);
export const u32 = (type: number, value: number): Uint8Array => integer(type, 4, value >>> 0);
/** Only the kernel sends 64-bit counters; tests build such replies with this. */
export const u64 = (type: number, value: bigint): Uint8Array => {
  const payload = new Uint8Array(8);
  new DataView(payload.buffer).setBigUint64(0, value, true);
  return attribute(type, payload);
};
const utf8 = new TextEncoder();
const UTF8 = new TextDecoder();
/** A NUL-terminated string (NLA_NUL_STRING). */
export const string = (type: number, value: string): Uint8Array => attribute(type, utf8.encode(`${value}\0`));

/** Parsed attributes by type (flag bits stripped); the last one wins if a type repeats. */
export class Attributes {
  /** Each attribute's payload as `offset * 65536 + length` into `data` (nla_len is 16 bits): no object per attribute. */
  private readonly byType = new Map<number, number>();
  private readonly view: DataView;

  constructor(private readonly data: Uint8Array) {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.view = view;
    let offset = 0;
    while (offset + NLA_HDRLEN <= data.length) {
      const length = view.getUint16(offset, true);
      const type = view.getUint16(offset + 2, true) & NLA_TYPE_MASK;
      if (length < NLA_HDRLEN || offset + length > data.length) {
        throw badReply(`attribute ${type} at offset ${offset} claims ${length} bytes, ${data.length - offset} left`);
      }
      this.byType.set(type, (offset + NLA_HDRLEN) * 65536 + (length - NLA_HDRLEN));
      offset += align4(length);
    }
  }

  has(type: number): boolean {
    return this.byType.has(type);
  }

  bytes(type: number): Uint8Array | undefined {
    const at = this.byType.get(type);
    if (at === undefined) return undefined;
    const start = Math.floor(at / 65536);
    return this.data.subarray(start, start + (at % 65536));
  }

  /** Where the payload of `type` starts, if it is there and holds `size` bytes. */
  private start(type: number, size: number): number | undefined {
    const at = this.byType.get(type);
    if (at === undefined) return undefined;
    if (at % 65536 < size) throw badReply(`attribute ${type} has ${at % 65536} bytes, needs ${size}`);
    return Math.floor(at / 65536);
  }

  u8(type: number): number | undefined {
    const at = this.start(type, 1);
    return at === undefined ? undefined : this.view.getUint8(at);
  }
  u16(type: number): number | undefined {
    const at = this.start(type, 2);
    return at === undefined ? undefined : this.view.getUint16(at, true);
  }
  be16(type: number): number | undefined {
    const at = this.start(type, 2);
    return at === undefined ? undefined : this.view.getUint16(at, false);
  }
  u32(type: number): number | undefined {
    const at = this.start(type, 4);
    return at === undefined ? undefined : this.view.getUint32(at, true);
  }
  s32(type: number): number | undefined {
    const at = this.start(type, 4);
    return at === undefined ? undefined : this.view.getInt32(at, true);
  }
  u64(type: number): bigint | undefined {
    const at = this.start(type, 8);
    return at === undefined ? undefined : this.view.getBigUint64(at, true);
  }
  string(type: number): string | undefined {
    const payload = this.bytes(type);
    if (payload === undefined) return undefined;
    const end = payload.indexOf(0);
    return UTF8.decode(end === -1 ? payload : payload.subarray(0, end));
  }
  nested(type: number): Attributes | undefined {
    const payload = this.bytes(type);
    return payload === undefined ? undefined : new Attributes(payload);
  }
}

/** A value that must be there; a missing one means the kernel reply is not what we expect. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw badReply(`missing ${what}`);
  return value;
}
