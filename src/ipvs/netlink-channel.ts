/**
 * Netlink requests over one socket, with our own framing and sequence numbers, so that many
 * requests share one datagram. The kernel walks a datagram message by message and answers each
 * one flagged NLM_F_ACK on its own, carrying on after one fails (netlink_rcv_skb() in
 * net/netlink/af_netlink.c), so a batch costs one sendmsg and every answer still finds its
 * request by sequence number. Pure: bytes go out through a DatagramPort and come back through
 * `receive`, so a fake port tests every path.
 *
 *   0               16              32
 *   +-------------------------------+
 *   |           nlmsg_len           |   struct nlmsghdr (linux/netlink.h), host order
 *   +---------------+---------------+
 *   |  nlmsg_type   |  nlmsg_flags  |
 *   +---------------+---------------+
 *   |           nlmsg_seq           |
 *   +-------------------------------+
 *   |           nlmsg_pid           |
 *   +-------------------------------+
 *   | payload ..., padded to 4      |
 *   +-------------------------------+
 */

export const NLMSG_HDRLEN = 16;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLM_F_REQUEST = 0x1;
export const NLM_F_MULTI = 0x2;
export const NLM_F_ACK = 0x4;
export const NLM_F_DUMP = 0x300;

const align4 = (n: number): number => (n + 3) & ~3;

/** The socket as the channel needs it; src/linux/ipvs-netlink.ts wraps the kernel's. */
export interface DatagramPort {
  /** The socket's netlink port id (nlmsg_pid of what it sends). */
  readonly portId: number;
  /** Sends one datagram to the kernel; `done` gets the sendmsg error, if any. */
  send(datagram: Uint8Array, done: (error?: Error) => void): void;
}

export interface NetlinkMessage {
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
  readonly data: Uint8Array;
}

/** How a request ended: the messages that answered it, and the errno of its NLMSG_ERROR (0 for an ACK). */
export interface NetlinkAnswer {
  readonly messages: NetlinkMessage[];
  readonly errno: number;
}

/** Why a request got no answer: its datagram could not be sent, the socket failed, or time ran out. */
export class ChannelError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChannelError';
  }
}

interface Pending {
  readonly seq: number;
  readonly dump: boolean;
  readonly messages: NetlinkMessage[];
  readonly deadline: number;
  readonly resolve: (answer: NetlinkAnswer) => void;
  readonly reject: (error: ChannelError) => void;
}

interface Outgoing {
  readonly type: number;
  readonly flags: number;
  readonly payload: Uint8Array;
  readonly pending: Pending;
}

/** Messages of one datagram, in order; a malformed tail (length past the end) is dropped. */
export function parseMessages(datagram: Uint8Array): NetlinkMessage[] {
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  const messages: NetlinkMessage[] = [];
  let offset = 0;
  while (offset + NLMSG_HDRLEN <= datagram.length) {
    const length = view.getUint32(offset, true);
    if (length < NLMSG_HDRLEN || offset + length > datagram.length) break;
    messages.push({
      type: view.getUint16(offset + 4, true),
      flags: view.getUint16(offset + 6, true),
      seq: view.getUint32(offset + 8, true),
      data: datagram.subarray(offset + NLMSG_HDRLEN, offset + length),
    });
    offset += align4(length);
  }
  return messages;
}

export interface ChannelOptions {
  /** Give up on an answer after this long. */
  readonly timeoutMs: number;
  /** A datagram carries at most this many bytes of messages (the socket's send buffer bounds it). */
  readonly maxDatagram?: number;
  /** The clock deadlines are read from (Date.now by default; fake timers drive both). */
  readonly now?: () => number;
}

export class NetlinkChannel {
  private readonly pending = new Map<number, Pending>();
  private outbox: Outgoing[] = [];
  private flushQueued = false;
  private nextSeq = 1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly maxDatagram: number;
  private readonly now: () => number;
  /** Datagrams sent, and messages in them. */
  readonly counters = { datagrams: 0, messages: 0 };

  constructor(
    private readonly port: DatagramPort,
    private readonly options: ChannelOptions,
  ) {
    this.maxDatagram = options.maxDatagram ?? 32 * 1024;
    this.now = options.now ?? Date.now;
  }

  /** Requests not answered yet. */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Queues a request (NLM_F_REQUEST | NLM_F_ACK, plus NLM_F_DUMP for a dump). Requests made in
   * the same tick leave together, in call order, in as few datagrams as fit. The promise resolves
   * with the answer whatever its errno: what an errno means is the caller's business.
   */
  request(type: number, payload: Uint8Array, dump = false): Promise<NetlinkAnswer> {
    return new Promise<NetlinkAnswer>((resolve, reject) => {
      const seq = this.nextSeq;
      this.nextSeq = (this.nextSeq % 0xffffffff) + 1;
      const pending: Pending = { seq, dump, messages: [], deadline: this.now() + this.options.timeoutMs, resolve, reject };
      this.pending.set(seq, pending);
      this.outbox.push({ type, flags: NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0), payload, pending });
      this.armTimer();
      if (!this.flushQueued) {
        this.flushQueued = true;
        queueMicrotask(() => this.flush());
      }
    });
  }

  /**
   * One datagram from the socket. A plain request ends with its NLMSG_ERROR (errno 0 is the
   * ACK; a GET's reply comes before it); a dump ends with NLMSG_DONE, or NLMSG_ERROR if refused.
   * Messages for no pending request (late answers to a timed-out one) are dropped.
   */
  receive(datagram: Uint8Array): void {
    for (const message of parseMessages(datagram)) {
      const pending = this.pending.get(message.seq);
      if (pending === undefined) continue;
      if (message.type === NLMSG_ERROR) {
        // nlmsgerr.error is the negative errno (0 - x keeps an ACK at +0)
        const errno = message.data.length >= 4 ? 0 - new DataView(message.data.buffer, message.data.byteOffset, 4).getInt32(0, true) : 0;
        // a dump is answered by DONE; an ACK after it (or before, on some kernels) changes nothing
        if (pending.dump && errno === 0) continue;
        this.settle(pending, { messages: pending.messages, errno });
      } else if (message.type === NLMSG_DONE && pending.dump) {
        this.settle(pending, { messages: pending.messages, errno: 0 });
      } else {
        pending.messages.push(message);
      }
    }
  }

  /** The socket failed (e.g. ENOBUFS: answers were dropped): nothing pending can be trusted to finish. */
  fail(error: unknown): void {
    this.failAll(new ChannelError(`netlink socket error: ${String(error)}`, { cause: error }));
  }

  /** The socket is closing: whatever is still waiting fails instead of hanging. */
  close(): void {
    this.failAll(new ChannelError('netlink socket closed'));
  }

  private settle(pending: Pending, answer: NetlinkAnswer): void {
    this.pending.delete(pending.seq);
    pending.resolve(answer);
    if (this.pending.size === 0) this.disarmTimer();
  }

  private flush(): void {
    this.flushQueued = false;
    const batch = this.outbox;
    this.outbox = [];
    let start = 0;
    while (start < batch.length) {
      let end = start;
      let size = 0;
      do {
        size += NLMSG_HDRLEN + align4(batch[end]?.payload.length ?? 0);
        end++;
      } while (end < batch.length && size + NLMSG_HDRLEN + align4(batch[end]?.payload.length ?? 0) <= this.maxDatagram);
      this.sendDatagram(batch.slice(start, end), size);
      start = end;
    }
  }

  /** Encodes the messages into one buffer and sends it; a send error fails exactly those messages. */
  private sendDatagram(messages: readonly Outgoing[], size: number): void {
    const buffer = new Uint8Array(size);
    const view = new DataView(buffer.buffer);
    let offset = 0;
    for (const { type, flags, payload, pending } of messages) {
      view.setUint32(offset, NLMSG_HDRLEN + payload.length, true);
      view.setUint16(offset + 4, type, true);
      view.setUint16(offset + 6, flags, true);
      view.setUint32(offset + 8, pending.seq, true);
      view.setUint32(offset + 12, this.port.portId, true);
      buffer.set(payload, offset + NLMSG_HDRLEN);
      offset += NLMSG_HDRLEN + align4(payload.length);
    }
    this.counters.datagrams++;
    this.counters.messages += messages.length;
    const fail = (error: unknown): void => {
      const failure = new ChannelError(`netlink send failed: ${String(error)}`, { cause: error });
      for (const { pending } of messages) if (this.pending.delete(pending.seq)) pending.reject(failure);
      if (this.pending.size === 0) this.disarmTimer();
    };
    try {
      this.port.send(buffer, (error) => {
        if (error !== undefined) fail(error);
      });
    } catch (error) {
      fail(error);
    }
  }

  /** One timer for every pending request: it fires at the oldest deadline (requests are in seq order). */
  private armTimer(): void {
    if (this.timer !== undefined) return;
    const oldest = this.pending.values().next().value;
    if (oldest === undefined) return;
    // setTimeout takes at most 2^31 - 1 ms; a longer wait re-arms when it fires. libuv runs
    // expired timers before it polls, so a loop held busy past the deadline would find the timer
    // due with the answer already in the socket: judge after this turn's poll has read it.
    this.timer = setTimeout(() => setImmediate(() => this.expire()), Math.min(0x7fffffff, Math.max(0, oldest.deadline - this.now())));
  }

  private disarmTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private expire(): void {
    this.timer = undefined;
    const now = this.now();
    for (const pending of this.pending.values()) {
      if (pending.deadline > now) break;
      this.pending.delete(pending.seq);
      pending.reject(new ChannelError(`no answer from the kernel within ${this.options.timeoutMs} ms`));
    }
    this.armTimer();
  }

  private failAll(error: ChannelError): void {
    this.outbox = [];
    const all = [...this.pending.values()];
    this.pending.clear();
    this.disarmTimer();
    for (const pending of all) pending.reject(error);
  }
}
