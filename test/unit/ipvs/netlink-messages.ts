/** Netlink replies as the kernel puts them in a datagram, for tests of src/ipvs/netlink-channel.ts and its users. */
import { NLMSG_DONE, NLMSG_ERROR, NLM_F_MULTI } from '../../../src/ipvs/netlink-channel.js';

/** One netlink message (struct nlmsghdr and its payload, padded to 4). */
export function nlmsg(type: number, seq: number, data: Uint8Array, flags = 0): Uint8Array {
  const length = 16 + data.length;
  const out = new Uint8Array((length + 3) & ~3);
  const view = new DataView(out.buffer);
  view.setUint32(0, length, true);
  view.setUint16(4, type, true);
  view.setUint16(6, flags, true);
  view.setUint32(8, seq, true);
  out.set(data, 16);
  return out;
}

/** NLMSG_ERROR for `seq`: errno 0 is the ACK. */
export function nlack(seq: number, errno = 0): Uint8Array {
  const data = new Uint8Array(20);
  new DataView(data.buffer).setInt32(0, -errno, true);
  return nlmsg(NLMSG_ERROR, seq, data);
}

/** NLMSG_DONE, the end of a dump. */
export const nldone = (seq: number): Uint8Array => nlmsg(NLMSG_DONE, seq, new Uint8Array(4), NLM_F_MULTI);
