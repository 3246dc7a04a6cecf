import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { concat } from '../../../src/ipvs/nlattr.js';
import { nlack as ack, nldone, nlmsg as message } from './netlink-messages.js';
import { ChannelError, NLM_F_ACK, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST, NetlinkChannel, parseMessages, type DatagramPort, type NetlinkMessage } from '../../../src/ipvs/netlink-channel.js';

/** A port that records each datagram's messages; the test answers through `channel.receive`. */
function recording(options: { failSend?: (index: number) => Error | undefined; throwOnSend?: boolean } = {}): { port: DatagramPort; datagrams: NetlinkMessage[][] } {
  const datagrams: NetlinkMessage[][] = [];
  const port: DatagramPort = {
    portId: 777,
    send: (datagram, done) => {
      if (options.throwOnSend === true) throw new Error('EBADF');
      datagrams.push(parseMessages(datagram));
      done(options.failSend?.(datagrams.length - 1));
    },
  };
  return { port, datagrams };
}

const payload = (n: number): Uint8Array => new Uint8Array([n, 1, 0, 0]);
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('NetlinkChannel', () => {
  it('sends the requests of one tick in one datagram, in call order, with their own sequence numbers and our port', async () => {
    const { port, datagrams } = recording();
    const channel = new NetlinkChannel(port, { timeoutMs: 1000 });
    const answers = [1, 2, 3].map((n) => channel.request(42, payload(n)));
    const dump = channel.request(42, payload(4), true);
    await tick();
    expect(datagrams).toHaveLength(1);
    const sent = datagrams[0] ?? [];
    expect(sent.map((m) => [m.type, m.seq, m.data[0]])).toEqual([
      [42, 1, 1],
      [42, 2, 2],
      [42, 3, 3],
      [42, 4, 4],
    ]);
    expect(sent.map((m) => m.flags)).toEqual([NLM_F_REQUEST | NLM_F_ACK, NLM_F_REQUEST | NLM_F_ACK, NLM_F_REQUEST | NLM_F_ACK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP]);
    channel.receive(concat([ack(1), ack(2), ack(3), nldone(4)]));
    expect((await Promise.all(answers)).map((a) => a.errno)).toEqual([0, 0, 0]);
    expect((await dump).messages).toEqual([]);
    expect(channel.counters).toEqual({ datagrams: 1, messages: 4 });
    expect(channel.inFlight).toBe(0);
  });

  it('takes an answer that waited in the socket while the loop was held past the deadline, rather than timing out', async () => {
    // two loopback datagram sockets stand in for the netlink socket and the kernel: the answer
    // reaches our socket while the loop is held busy past the deadline
    const ours = createSocket('udp4');
    const kernel = createSocket('udp4');
    const sockets: Socket[] = [ours, kernel];
    try {
      ours.bind(0, '127.0.0.1');
      kernel.bind(0, '127.0.0.1');
      await Promise.all(sockets.map((socket) => once(socket, 'listening')));
      kernel.connect(ours.address().port, '127.0.0.1');
      await once(kernel, 'connect');
      const { port, datagrams } = recording();
      const channel = new NetlinkChannel(port, { timeoutMs: 20 });
      ours.on('message', (datagram) => channel.receive(new Uint8Array(datagram)));
      const answer = channel.request(42, payload(1));
      await tick();
      // the answer goes into our socket's buffer while the loop is held past the deadline
      kernel.send(ack(datagrams[0]?.[0]?.seq ?? 0));
      const until = Date.now() + 100;
      while (Date.now() < until) {
        // busy: when the loop comes round, the timer and the datagram are both due
      }
      expect((await answer).errno).toBe(0);
    } finally {
      sockets.forEach((socket) => socket.close());
    }
  });

  it('gives an error in the middle of a batch to its own request, and the others their ACKs', async () => {
    const { port, datagrams } = recording();
    const channel = new NetlinkChannel(port, { timeoutMs: 1000 });
    const answers = [0, 1, 2, 3, 4].map((n) => channel.request(42, payload(n)));
    await tick();
    const seqs = (datagrams[0] ?? []).map((m) => m.seq);
    // the kernel answers each message of the datagram, carrying on after the failed one; ACKs may come one per datagram
    for (const [i, seq] of seqs.entries()) channel.receive(ack(seq, i === 2 ? 17 : 0));
    expect((await Promise.all(answers)).map((a) => a.errno)).toEqual([0, 0, 17, 0, 0]);
  });

  it('matches answers by sequence number whatever their order, and drops answers nobody waits for', async () => {
    const { port } = recording();
    const channel = new NetlinkChannel(port, { timeoutMs: 1000 });
    const a = channel.request(42, payload(1));
    const b = channel.request(42, payload(2));
    await tick();
    channel.receive(concat([ack(99, 5), ack(2, 22)]));
    channel.receive(ack(1));
    expect((await a).errno).toBe(0);
    expect((await b).errno).toBe(22);
  });

  it('collects a GET reply before its ACK, and a dump across datagrams until DONE', async () => {
    const { port } = recording();
    const channel = new NetlinkChannel(port, { timeoutMs: 1000 });
    const get = channel.request(42, payload(1));
    const dump = channel.request(42, payload(2), true);
    await tick();
    channel.receive(concat([message(42, 1, payload(10)), ack(1)]));
    channel.receive(concat([message(42, 2, payload(20), NLM_F_MULTI), message(42, 2, payload(21), NLM_F_MULTI)]));
    channel.receive(concat([message(42, 2, payload(22), NLM_F_MULTI), nldone(2), ack(2)]));
    expect((await get).messages.map((m) => m.data[0])).toEqual([10]);
    const answer = await dump;
    expect(answer.errno).toBe(0);
    expect(answer.messages.map((m) => m.data[0])).toEqual([20, 21, 22]);
  });

  it('ends a refused dump with its errno', async () => {
    const { port } = recording();
    const channel = new NetlinkChannel(port, { timeoutMs: 1000 });
    const dump = channel.request(42, payload(1), true);
    await tick();
    channel.receive(ack(1, 3));
    expect(await dump).toEqual({ messages: [], errno: 3 });
  });

  it('splits a batch at the datagram limit; a failed send fails only the requests of that datagram', async () => {
    const { port, datagrams } = recording({ failSend: (index) => (index === 1 ? new Error('ENOBUFS') : undefined) });
    // 16-byte header + 4-byte payload: two messages per 40-byte datagram
    const channel = new NetlinkChannel(port, { timeoutMs: 1000, maxDatagram: 40 });
    const answers = [1, 2, 3, 4, 5].map((n) =>
      channel.request(42, payload(n)).then(
        (a) => a.errno,
        (e: unknown) => (e instanceof ChannelError ? 'lost' : 'other'),
      ),
    );
    await tick();
    expect(datagrams.map((d) => d.map((m) => m.seq))).toEqual([[1, 2], [3, 4], [5]]);
    channel.receive(concat([ack(1), ack(2), ack(5, 17)]));
    expect(await Promise.all(answers)).toEqual([0, 0, 'lost', 'lost', 17]);
  });

  it('fails the datagram whose send throws, and keeps serving later requests', async () => {
    let broken = true;
    const sent: number[] = [];
    const port: DatagramPort = {
      portId: 1,
      send: (datagram, done) => {
        if (broken) throw new Error('EBADF');
        sent.push(...parseMessages(datagram).map((m) => m.seq));
        done();
      },
    };
    const channel = new NetlinkChannel(port, { timeoutMs: 1000 });
    await expect(channel.request(42, payload(1))).rejects.toThrow(/netlink send failed: Error: EBADF/);
    broken = false;
    const next = channel.request(42, payload(2));
    await tick();
    channel.receive(ack(sent[0] ?? 0));
    expect((await next).errno).toBe(0);
  });

  it('times out what the kernel never answers with one timer, and ignores the late answer', async () => {
    vi.useFakeTimers();
    const { port } = recording();
    const channel = new NetlinkChannel(port, { timeoutMs: 1000 });
    const first = channel.request(42, payload(1)).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(600);
    const second = channel.request(42, payload(2)).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(500);
    expect(await first).toBeInstanceOf(ChannelError);
    expect(channel.inFlight).toBe(1);
    channel.receive(ack(1));
    channel.receive(ack(2));
    expect(await second).toEqual({ messages: [], errno: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fails every pending request when the socket reports an error or closes', async () => {
    const { port } = recording();
    const channel = new NetlinkChannel(port, { timeoutMs: 1000 });
    const a = channel.request(42, payload(1));
    const b = channel.request(42, payload(2), true);
    await tick();
    channel.fail(new Error('ENOBUFS'));
    await expect(a).rejects.toThrow(/netlink socket error: Error: ENOBUFS/);
    await expect(b).rejects.toBeInstanceOf(ChannelError);
    const c = channel.request(42, payload(3));
    channel.close();
    await expect(c).rejects.toThrow(/closed/);
  });

  it('parses the messages of a datagram and drops a tail that claims more bytes than there are', () => {
    const bad = message(42, 9, payload(1));
    new DataView(bad.buffer).setUint32(0, 400, true);
    expect(parseMessages(concat([message(42, 1, new Uint8Array([1, 2, 3, 4, 5])), bad])).map((m) => [m.seq, m.data.length])).toEqual([[1, 5]]);
  });
});
