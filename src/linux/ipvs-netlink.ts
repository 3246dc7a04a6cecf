/**
 * The kernel's IPVS over generic netlink: the IpvsClient that programs the real table. Payloads
 * come from src/ipvs/genl.ts, framing and answers from src/ipvs/netlink-channel.ts; the `netlink`
 * package only provides the raw socket. Its request layer sent one message per sendmsg and
 * matched one answer at a time; ours puts a window of writes in one datagram (issue 14).
 */
import { createRequire } from 'node:module';
import type { RawNetlinkSocket as RawSocket } from 'netlink/dist/raw.js';
import type { Destination, DestinationKey, DumpOptions, Info, IpvsClient, Service, ServiceKey, SyncDaemon, Timeouts } from '../ipvs/types.js';
import { IPVS_GENL_NAME, decodeDaemonReply, decodeDestinationReply, decodeInfoReply, decodeServiceReply, decodeTimeoutsReply, ipvsRequests, type IpvsRequest } from '../ipvs/genl.js';
import { IPVS_BAD_REPLY, IPVS_SOCKET, IPVS_UNAVAILABLE, IpvsError, kernelError, unavailable, type IpvsOperation } from '../ipvs/errors.js';
import { describeDestination, describeService } from '../ipvs/keys.js';
import { NetlinkChannel, type DatagramPort } from '../ipvs/netlink-channel.js';
import { Attributes, string } from '../ipvs/nlattr.js';

/**
 * The package's raw socket only, required at run time: its index loads every family it knows,
 * and the bundle (src/build) must not inline this file, whose addon is found from __dirname.
 */
const { RawNetlinkSocket } = createRequire(import.meta.url)('netlink/dist/raw.js') as { RawNetlinkSocket: typeof RawSocket };

/** NETLINK_GENERIC (linux/netlink.h), and genetlink's controller (linux/genetlink.h): GENL_ID_CTRL, CTRL_CMD_GETFAMILY, its attributes. */
const NETLINK_GENERIC = 16;
const GENL_ID_CTRL = 0x10;
const CTRL_CMD_GETFAMILY = 3;
const CTRL_ATTR_FAMILY_ID = 1;
const CTRL_ATTR_FAMILY_NAME = 2;

/** Asked of SO_RCVBUF; the kernel caps it at net.core.rmem_max (and doubles it). */
const RECEIVE_BUFFER = 1 << 20;
/** Bytes of receive buffer one ACK may take (skb truesize; an error ACK quotes the request). */
const ACK_TRUESIZE = 1536;
/**
 * Each datagram is read into a buffer of this size (allocated and zeroed per read) instead of
 * peeking at its size first, one recvmsg instead of two per ACK. The kernel sizes a dump's
 * datagrams to the reader's buffer (netlink_recvmsg records it in max_recvmsg_len), and an
 * answer to one request is far smaller, so nothing arrives truncated; if it did, the channel
 * fails what is pending.
 */
const READ_BUFFER = 16 * 1024;

export interface NetlinkIpvsOptions {
  /** Give up on a kernel answer after this long (default 30 s: a dump of 10,000 entries under emulation). */
  timeoutMs?: number;
  /**
   * Sockets that may each hold one dump at a time (default 4). The kernel runs one dump per
   * socket, so readTable's per-service destination dumps run this many side by side.
   */
  dumpSockets?: number;
}

/** A kernel socket as the channel's port: answers and socket errors go to the channel. */
interface OpenSocket {
  readonly channel: NetlinkChannel;
  readonly raw: RawSocket;
}

function openSocket(timeoutMs: number): OpenSocket {
  let raw: RawSocket;
  try {
    raw = new RawNetlinkSocket(NETLINK_GENERIC, { messagePeeking: false, msgBufferSize: READ_BUFFER, recvBufferSize: RECEIVE_BUFFER, sendBufferSize: RECEIVE_BUFFER });
  } catch (cause) {
    throw new IpvsError(IPVS_SOCKET, `cannot open a generic netlink socket: ${String(cause)}`, { cause });
  }
  const port: DatagramPort = {
    portId: raw.address().port,
    send: (datagram, done) => raw.send(datagram, {}, done),
  };
  const channel = new NetlinkChannel(port, { timeoutMs });
  raw.on('message', (datagram) => channel.receive(datagram));
  raw.on('truncatedMessage', () => channel.fail(new Error('a datagram was truncated')));
  raw.on('error', (error) => channel.fail(error));
  // the channel's timer keeps the process alive while an answer is awaited, never the socket
  raw.unref();
  return { channel, raw };
}

/** CTRL_CMD_GETFAMILY for "IPVS": its family id, or IPVS_UNAVAILABLE. */
async function resolveFamily(channel: NetlinkChannel): Promise<number> {
  const payload = new Uint8Array([CTRL_CMD_GETFAMILY, 1, 0, 0, ...string(CTRL_ATTR_FAMILY_NAME, IPVS_GENL_NAME)]);
  const answer = await channel.request(GENL_ID_CTRL, payload);
  if (answer.errno === 2) throw unavailable();
  if (answer.errno !== 0) throw new IpvsError(IPVS_UNAVAILABLE, `cannot resolve the generic netlink family "IPVS": errno ${answer.errno}`);
  const reply = answer.messages.find((message) => message.type === GENL_ID_CTRL);
  const id = reply === undefined ? undefined : new Attributes(reply.data.subarray(4)).u16(CTRL_ATTR_FAMILY_ID);
  if (id === undefined) throw unavailable();
  return id;
}

/** Opens generic netlink sockets and resolves the IPVS family; IPVS_UNAVAILABLE if the kernel has none. */
export async function openNetlinkIpvs(options: NetlinkIpvsOptions = {}): Promise<NetlinkIpvsClient> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const first = openSocket(timeoutMs);
  const sockets: [OpenSocket, ...OpenSocket[]] = [first];
  try {
    const familyId = await resolveFamily(first.channel);
    while (sockets.length < Math.max(1, options.dumpSockets ?? 4)) sockets.push(openSocket(timeoutMs));
    const window = Math.min(256, Math.max(16, Math.floor(first.raw.getRecvBufferSize() / ACK_TRUESIZE)));
    const [head, ...rest] = sockets;
    return new NetlinkIpvsClient([head.channel, ...rest.map((socket) => socket.channel)], familyId, { writeWindow: window, close: () => sockets.forEach((socket) => socket.raw.close()) });
  } catch (cause) {
    for (const opened of sockets) opened.raw.close();
    if (cause instanceof IpvsError) throw cause;
    throw new IpvsError(IPVS_UNAVAILABLE, `cannot resolve the generic netlink family "IPVS": ${String(cause)}`, { cause });
  }
}

export interface ClientOptions {
  /** Writes awaiting their ACK at most: the ACKs of one window must fit the first socket's receive buffer. */
  readonly writeWindow: number;
  /** Closes the sockets under the channels. */
  readonly close: () => void;
}

export class NetlinkIpvsClient implements IpvsClient {
  /** Netlink requests sent, and among them those that change the table. */
  readonly counters = { requests: 0, writes: 0 };
  private readonly waiting: Array<{ read: boolean; start: (channel: NetlinkChannel) => Promise<void> }> = [];
  private readonly idleReaders: NetlinkChannel[];
  private readsActive = 0;
  private writesActive = 0;

  /** Writes go on the first channel; reads take any channel not already holding one. */
  constructor(
    private readonly channels: readonly [NetlinkChannel, ...NetlinkChannel[]],
    readonly familyId: number,
    private readonly options: ClientOptions,
  ) {
    this.idleReaders = [...channels];
  }

  async info(): Promise<Info> {
    return decodeInfoReply(this.only(await this.exchange(ipvsRequests.info(), 'info')));
  }

  async services(options: DumpOptions = {}): Promise<Service[]> {
    return (await this.exchange(ipvsRequests.services(), 'list-services', undefined, options.signal)).map((payload) => decodeServiceReply(payload, options));
  }

  async service(key: ServiceKey): Promise<Service> {
    return decodeServiceReply(this.only(await this.exchange(ipvsRequests.service(key), 'get-service', describeService(key))));
  }

  async addService(service: Service): Promise<void> {
    await this.write(
      () => ipvsRequests.addService(service),
      'add-service',
      () => describeService(service.key),
    );
  }

  async editService(service: Service): Promise<void> {
    await this.write(
      () => ipvsRequests.editService(service),
      'edit-service',
      () => describeService(service.key),
    );
  }

  async deleteService(key: ServiceKey): Promise<void> {
    await this.write(
      () => ipvsRequests.deleteService(key),
      'delete-service',
      () => describeService(key),
    );
  }

  async destinations(key: ServiceKey, options: DumpOptions = {}): Promise<Destination[]> {
    const replies = await this.exchange(ipvsRequests.destinations(key), 'list-destinations', describeService(key), options.signal);
    return replies.map((payload) => decodeDestinationReply(payload, key.family, options));
  }

  async addDestination(key: ServiceKey, destination: Destination): Promise<void> {
    await this.write(
      () => ipvsRequests.addDestination(key, destination),
      'add-destination',
      () => describeDestination(key, destination),
    );
  }

  async editDestination(key: ServiceKey, destination: Destination): Promise<void> {
    await this.write(
      () => ipvsRequests.editDestination(key, destination),
      'edit-destination',
      () => describeDestination(key, destination),
    );
  }

  async deleteDestination(key: ServiceKey, destination: DestinationKey): Promise<void> {
    await this.write(
      () => ipvsRequests.deleteDestination(key, destination),
      'delete-destination',
      () => describeDestination(key, destination),
    );
  }

  async flush(): Promise<void> {
    await this.write(() => ipvsRequests.flush(), 'flush');
  }

  async zero(key?: ServiceKey): Promise<void> {
    await this.write(() => ipvsRequests.zero(key), 'zero', key === undefined ? undefined : () => describeService(key));
  }

  async timeouts(): Promise<Timeouts> {
    return decodeTimeoutsReply(this.only(await this.exchange(ipvsRequests.timeouts(), 'get-timeouts')));
  }

  async setTimeouts(timeouts: Timeouts): Promise<void> {
    await this.write(() => ipvsRequests.setTimeouts(timeouts), 'set-timeouts');
  }

  async daemons(): Promise<SyncDaemon[]> {
    return (await this.exchange(ipvsRequests.daemons(), 'list-daemons')).map(decodeDaemonReply);
  }

  async startDaemon(daemon: SyncDaemon): Promise<void> {
    await this.write(
      () => ipvsRequests.startDaemon(daemon),
      'start-daemon',
      () => `${daemon.state} sync daemon on ${daemon.mcastInterface}`,
    );
  }

  async stopDaemon(state: SyncDaemon['state']): Promise<void> {
    await this.write(
      () => ipvsRequests.stopDaemon(state),
      'stop-daemon',
      () => `${state} sync daemon`,
    );
  }

  close(): void {
    for (const channel of this.channels) channel.close();
    this.options.close();
  }

  private only(payloads: Uint8Array[]): Uint8Array {
    const [first] = payloads;
    if (first === undefined) throw new IpvsError(IPVS_BAD_REPLY, 'malformed kernel reply: no message');
    return first;
  }

  /**
   * Encoding errors (bad values) surface before anything is sent or counted. The object is
   * described only if the kernel refuses: a 10,000-write apply should not format 10,000 names.
   */
  private async write(build: () => IpvsRequest, operation: IpvsOperation, object?: () => string): Promise<void> {
    const request = build();
    this.counters.writes++;
    await this.exchange(request, operation, object, undefined, false);
  }

  /**
   * Requests leave in call order. Writes are pipelined on the first channel, up to the write
   * window awaiting their ACK; those started in the same tick leave in one datagram. Reads wait
   * until every earlier write has been answered, then run side by side, one per channel: the
   * kernel runs one dump per socket. A write waits for earlier reads. A read whose `signal`
   * aborts before it is sent leaves the queue (so writes queued behind it need not wait).
   */
  private exchange(request: IpvsRequest, operation: IpvsOperation, object?: string | (() => string), signal?: AbortSignal, read = true): Promise<Uint8Array[]> {
    return new Promise<Uint8Array[]>((resolve, reject) => {
      // an AbortSignal's reason is an Error (DOMException AbortError) unless abort() was given another
      if (signal?.aborted === true) {
        reject(signal.reason as Error);
        return;
      }
      const drop = (): void => {
        const at = this.waiting.indexOf(entry);
        if (at < 0) return;
        this.waiting.splice(at, 1);
        reject(signal?.reason as Error);
        this.pump();
      };
      const entry = {
        read,
        start: (channel: NetlinkChannel) => {
          signal?.removeEventListener('abort', drop);
          return this.exchangeNow(channel, request, operation, object).then(resolve, reject);
        },
      };
      signal?.addEventListener('abort', drop, { once: true });
      this.waiting.push(entry);
      this.pump();
    });
  }

  private pump(): void {
    for (;;) {
      const next = this.waiting[0];
      if (next === undefined) return;
      if (next.read) {
        const channel = this.writesActive === 0 ? this.idleReaders.pop() : undefined;
        if (channel === undefined) return;
        this.waiting.shift();
        this.readsActive++;
        void next.start(channel).finally(() => {
          this.readsActive--;
          this.idleReaders.push(channel);
          this.pump();
        });
      } else {
        if (this.readsActive > 0 || this.writesActive >= this.options.writeWindow) return;
        this.waiting.shift();
        this.writesActive++;
        void next.start(this.channels[0]).finally(() => {
          this.writesActive--;
          this.pump();
        });
      }
    }
  }

  private async exchangeNow(channel: NetlinkChannel, request: IpvsRequest, operation: IpvsOperation, describe?: string | (() => string)): Promise<Uint8Array[]> {
    const name = (): string | undefined => (typeof describe === 'function' ? describe() : describe);
    this.counters.requests++;
    let answer;
    try {
      answer = await channel.request(this.familyId, request.payload, request.dump);
    } catch (cause) {
      const object = name();
      const about = object === undefined ? operation : `${operation} ${object}`;
      throw new IpvsError(IPVS_SOCKET, `${about}: netlink request failed: ${String(cause)}`, { operation, cause, ...(object === undefined ? {} : { object }) });
    }
    if (answer.errno !== 0) throw kernelError(answer.errno, operation, name());
    return answer.messages.filter((message) => message.type === this.familyId).map((message) => message.data);
  }
}
