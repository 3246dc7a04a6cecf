/**
 * The kernel's IPVS over generic netlink: the IpvsClient that programs the real table. Payloads
 * come from src/ipvs/genl.ts; the `netlink` package only moves bytes. Its own error path throws
 * strings without the errno (and its genl wrapper refuses ERROR replies as "different family"),
 * so requests go through the plain netlink socket with `checkError: false` and the errno is read
 * from the NLMSG_ERROR payload here.
 */
import { createGenericNetlink, FlagsGet, MessageType, genl, type GenericNetlinkSocket, type NetlinkMessage } from 'netlink';
import type { Destination, DestinationKey, Info, IpvsClient, Service, ServiceKey, SyncDaemon, Timeouts } from '../ipvs/types.js';
import { IPVS_GENL_NAME, decodeDaemonReply, decodeDestinationReply, decodeInfoReply, decodeServiceReply, decodeTimeoutsReply, ipvsRequests, type IpvsRequest } from '../ipvs/genl.js';
import { IPVS_BAD_REPLY, IPVS_SOCKET, IPVS_UNAVAILABLE, IpvsError, kernelError, unavailable, type IpvsOperation } from '../ipvs/errors.js';
import { describeDestination, describeService } from '../ipvs/keys.js';

/** Writes in flight at once: 64 ACKs of ~1 KiB truesize each stay far below the default 208 KiB rmem. */
const WRITE_WINDOW = 64;

export interface NetlinkIpvsOptions {
  /** Give up on a kernel answer after this long (default 30 s: a dump of 10,000 entries under emulation). */
  timeoutMs?: number;
  /**
   * Sockets that may each hold one dump at a time (default 4). The kernel runs one dump per
   * socket and the netlink package assembles one multipart reply per socket, so readTable's
   * per-service destination dumps run this many side by side.
   */
  dumpSockets?: number;
}

function openSocket(): GenericNetlinkSocket {
  try {
    return createGenericNetlink();
  } catch (cause) {
    throw new IpvsError(IPVS_SOCKET, `cannot open a generic netlink socket: ${String(cause)}`, { cause });
  }
}

/** Opens generic netlink sockets and resolves the IPVS family; IPVS_UNAVAILABLE if the kernel has none. */
export async function openNetlinkIpvs(options: NetlinkIpvsOptions = {}): Promise<NetlinkIpvsClient> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const socket = openSocket();
  const sockets: [GenericNetlinkSocket, ...GenericNetlinkSocket[]] = [socket];
  try {
    const [family] = await socket.ctrlRequest(genl.Commands.GET_FAMILY, { familyName: IPVS_GENL_NAME }, { timeout: timeoutMs });
    if (family?.familyId === undefined) throw unavailable();
    while (sockets.length < Math.max(1, options.dumpSockets ?? 4)) sockets.push(openSocket());
    return new NetlinkIpvsClient(sockets, family.familyId, timeoutMs);
  } catch (cause) {
    for (const opened of sockets) opened.socket.close();
    if (cause instanceof IpvsError) throw cause;
    if (/ENOENT/.test(String(cause))) throw unavailable(cause);
    throw new IpvsError(IPVS_UNAVAILABLE, `cannot resolve the generic netlink family "IPVS": ${String(cause)}`, { cause });
  }
}

export class NetlinkIpvsClient implements IpvsClient {
  /** Netlink requests sent, and among them those that change the table. */
  readonly counters = { requests: 0, writes: 0 };
  private readonly waiting: Array<{ read: boolean; start: (socket: GenericNetlinkSocket) => Promise<void> }> = [];
  private readonly idleReaders: GenericNetlinkSocket[];
  /** Each socket's netlink port, given with every request: the package otherwise asks the kernel (getsockname) per message. */
  private readonly ports: Map<GenericNetlinkSocket, number>;
  private readsActive = 0;
  private writesActive = 0;

  /** Writes go on the first socket; reads take any socket not already holding one. */
  constructor(
    private readonly sockets: readonly [GenericNetlinkSocket, ...GenericNetlinkSocket[]],
    readonly familyId: number,
    private readonly timeoutMs: number,
  ) {
    this.idleReaders = [...sockets];
    this.ports = new Map(sockets.map((socket) => [socket, socket.socket.address().port]));
  }

  async info(): Promise<Info> {
    return decodeInfoReply(this.only(await this.exchange(ipvsRequests.info(), 'info')));
  }

  async services(): Promise<Service[]> {
    return (await this.exchange(ipvsRequests.services(), 'list-services')).map(decodeServiceReply);
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

  async destinations(key: ServiceKey): Promise<Destination[]> {
    const replies = await this.exchange(ipvsRequests.destinations(key), 'list-destinations', describeService(key));
    return replies.map((payload) => decodeDestinationReply(payload, key.family));
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
    for (const socket of this.sockets) socket.socket.close();
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
    await this.exchange(request, operation, object, false);
  }

  /**
   * Requests leave in call order (the package sends FIFO, the kernel acts on each as it is
   * sent). Writes are pipelined on the first socket, up to WRITE_WINDOW awaiting their ACK,
   * which saves an event loop turn per write; the window keeps the ACKs well inside the socket's
   * receive buffer. Reads wait until every earlier write has been answered, then run side by
   * side, one per socket: the package assembles multipart replies in a single slot per socket,
   * so anything sharing a socket with a dump breaks it. A write waits for earlier reads.
   */
  private exchange(request: IpvsRequest, operation: IpvsOperation, object?: string | (() => string), read = true): Promise<Uint8Array[]> {
    return new Promise<Uint8Array[]>((resolve, reject) => {
      this.waiting.push({ read, start: (socket) => this.exchangeNow(socket, request, operation, object).then(resolve, reject) });
      this.pump();
    });
  }

  private pump(): void {
    for (;;) {
      const next = this.waiting[0];
      if (next === undefined) return;
      if (next.read) {
        const socket = this.writesActive === 0 ? this.idleReaders.pop() : undefined;
        if (socket === undefined) return;
        this.waiting.shift();
        this.readsActive++;
        void next.start(socket).finally(() => {
          this.readsActive--;
          this.idleReaders.push(socket);
          this.pump();
        });
      } else {
        if (this.readsActive > 0 || this.writesActive >= WRITE_WINDOW) return;
        this.waiting.shift();
        this.writesActive++;
        void next.start(this.sockets[0]).finally(() => {
          this.writesActive--;
          this.pump();
        });
      }
    }
  }

  private async exchangeNow(socket: GenericNetlinkSocket, request: IpvsRequest, operation: IpvsOperation, describe?: string | (() => string)): Promise<Uint8Array[]> {
    const name = (): string | undefined => (typeof describe === 'function' ? describe() : describe);
    this.counters.requests++;
    let replies: NetlinkMessage[];
    try {
      [replies] = await socket.socket.request(this.familyId, request.payload, {
        flags: request.dump ? FlagsGet.DUMP : 0,
        localPort: this.ports.get(socket),
        checkError: false,
        timeout: this.timeoutMs,
      });
    } catch (cause) {
      const object = name();
      const about = object === undefined ? operation : `${operation} ${object}`;
      throw new IpvsError(IPVS_SOCKET, `${about}: netlink request failed: ${String(cause)}`, { operation, cause, ...(object === undefined ? {} : { object }) });
    }
    const payloads: Uint8Array[] = [];
    for (const message of replies) {
      if (message.type === (MessageType.ERROR as number)) {
        const errno = -message.data.readInt32LE(0);
        if (errno !== 0) throw kernelError(errno, operation, name());
      } else if (message.type === this.familyId) {
        payloads.push(message.data);
      }
    }
    return payloads;
  }
}
