import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { NetlinkIpvsClient, openNetlinkIpvs } from '../../../src/linux/ipvs-netlink.js';
import { IPVS_CMD, ipvsRequests } from '../../../src/ipvs/genl.js';
import { nlack as ack, nldone, nlmsg } from '../ipvs/netlink-messages.js';
import { NLM_F_ACK, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST, NetlinkChannel, parseMessages, type DatagramPort } from '../../../src/ipvs/netlink-channel.js';
import { svc, tcp } from '../ipvs/fixtures.js';

// The generic netlink family lookup needs no privileges, so this runs in the unit tier. Kernels
// with IPVS (the vm tier) exercise the rest of the client.
describe('opening IPVS over generic netlink', () => {
  it.skipIf(existsSync('/proc/net/ip_vs'))('reports a kernel without IPVS as a typed error', async () => {
    const error = await openNetlinkIpvs().then(
      (client) => {
        client.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'IPVS_UNAVAILABLE',
      message: expect.stringContaining('IPVS not available in this kernel'),
    });
  });
});

describe('NetlinkIpvsClient over a scripted kernel', () => {
  interface Sent {
    socket: number;
    type: number;
    flags: number;
    seq: number;
    pid: number;
    payload: Uint8Array;
  }
  const FAMILY = 42;
  const ACK_FLAGS = NLM_F_REQUEST | NLM_F_ACK;
  /**
   * Sockets whose kernel answers each message with `answer(sent)` (datagrams, sent back on the
   * next turn of the event loop); every message sent and every sendmsg is recorded.
   */
  function kernel(sockets: number, answer: (sent: Sent) => Uint8Array[], options: { writeWindow?: number } = {}) {
    const sent: Sent[] = [];
    const datagrams: number[][] = [];
    const channels = Array.from({ length: sockets }, (_, index) => {
      const port: DatagramPort = {
        portId: 4242 + index,
        send: (datagram, finished) => {
          const messages = parseMessages(datagram).map((m) => ({ socket: index, type: m.type, flags: m.flags, seq: m.seq, pid: new DataView(datagram.buffer).getUint32(12, true), payload: m.data }));
          sent.push(...messages);
          datagrams.push(messages.map((m) => m.seq));
          finished();
          for (const message of messages) {
            const answers = answer(message);
            setImmediate(() => {
              for (const a of answers) channel.receive(a);
            });
          }
        },
      };
      const channel = new NetlinkChannel(port, { timeoutMs: 1000 });
      return channel;
    });
    const client = new NetlinkIpvsClient(channels as [NetlinkChannel, ...NetlinkChannel[]], FAMILY, { writeWindow: options.writeWindow ?? 64, close: () => undefined });
    return { client, sent, datagrams, channels };
  }

  it('reads the errno from NLMSG_ERROR and names the operation and object', async () => {
    const { client, sent } = kernel(1, (m) => [ack(m.seq, 17)]);
    await expect(client.addService(svc(tcp('10.0.0.1', 80)))).rejects.toMatchObject({
      code: 'IPVS_EEXIST',
      errno: 'EEXIST',
      operation: 'add-service',
      message: 'add-service TCP 10.0.0.1:80: service already exists (EEXIST)',
    });
    expect(sent[0]?.type).toBe(FAMILY);
    expect(sent[0]?.payload[0]).toBe(IPVS_CMD.NEW_SERVICE);
    expect(sent[0]?.pid).toBe(4242);
    expect(client.counters).toEqual({ requests: 1, writes: 1 });
  });

  it('treats an ACK (errno 0) as success and asks dumps with NLM_F_DUMP', async () => {
    const { client, sent } = kernel(1, (m) => [m.flags & NLM_F_DUMP ? nldone(m.seq) : ack(m.seq)]);
    await client.flush();
    expect(await client.services()).toEqual([]);
    expect(sent.map((s) => s.flags)).toEqual([ACK_FLAGS, ACK_FLAGS | NLM_F_DUMP]);
    expect(client.counters).toEqual({ requests: 2, writes: 1 });
  });

  it('decodes every message of a dump, ignoring messages of other families', async () => {
    const data = ipvsRequests.addService(svc(tcp('10.0.0.1', 80), { scheduler: 'rr' })).payload;
    const { client } = kernel(1, (m) => [nlmsg(FAMILY, m.seq, data, NLM_F_MULTI), nlmsg(7, m.seq, new Uint8Array(4), NLM_F_MULTI), nlmsg(FAMILY, m.seq, data, NLM_F_MULTI), nldone(m.seq)]);
    const services = await client.services();
    expect(services.map((s) => [s.key, s.scheduler])).toEqual([
      [tcp('10.0.0.1', 80), 'rr'],
      [tcp('10.0.0.1', 80), 'rr'],
    ]);
  });

  it('sends the writes of a window in one datagram, in order, and a failed one in the middle fails alone', async () => {
    const { client, sent, datagrams } = kernel(1, (m) => [ack(m.seq, m.payload[m.payload.length - 4] === 7 ? 22 : 0)]);
    const results = Array.from({ length: 10 }, (_, i) =>
      client.setTimeouts({ tcp: 1, tcpFin: 1, udp: i }).then(
        () => 'ok',
        (e: { code?: string }) => e.code,
      ),
    );
    expect(await Promise.all(results)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'IPVS_EINVAL', 'ok', 'ok']);
    expect(datagrams).toHaveLength(1);
    expect(sent.map((s) => s.payload[s.payload.length - 4])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps at most a window of writes unanswered, and sends a dump only when all are answered', async () => {
    const log: string[] = [];
    let most = 0;
    const { client, sent, channels } = kernel(1, (m) => {
      const dump = (m.flags & NLM_F_DUMP) !== 0;
      const inFlight = channels[0]?.inFlight ?? 0;
      log.push(dump ? `send dump with ${inFlight} in flight` : 'send write');
      most = Math.max(most, inFlight);
      return [dump ? nldone(m.seq) : ack(m.seq)];
    });
    const writes = Array.from({ length: 200 }, (_, i) => client.setTimeouts({ tcp: 1, tcpFin: 1, udp: i % 250 }));
    const dump = client.services();
    await Promise.all([...writes, dump]);
    expect(sent.filter((s) => (s.flags & NLM_F_DUMP) === 0).map((s) => s.payload[s.payload.length - 4])).toEqual(Array.from({ length: 200 }, (_, i) => i % 250));
    expect(most).toBe(64);
    // the dump went alone, after the last write's answer
    expect(log.filter((entry) => entry.startsWith('send'))).toEqual([...Array<string>(200).fill('send write'), 'send dump with 1 in flight']);
  });

  it('runs dumps side by side, one per socket, and holds writes until they are answered', async () => {
    const busy = new Set<number>();
    const log: string[] = [];
    const { client, sent } = kernel(3, (m) => {
      const dump = (m.flags & NLM_F_DUMP) !== 0;
      const socket = sent[sent.length - 1]?.socket ?? -1;
      if (busy.has(socket)) throw new Error(`socket ${socket} got a second request while busy`);
      busy.add(socket);
      log.push(`send ${dump ? 'dump' : 'write'} on ${socket} with ${busy.size} busy`);
      setImmediate(() => busy.delete(socket));
      return [dump ? nldone(m.seq) : ack(m.seq)];
    });
    const key = tcp('10.0.0.1', 80);
    const dumps = Array.from({ length: 7 }, () => client.destinations(key));
    const write = client.flush();
    await Promise.all([...dumps, write]);
    expect(log.filter((entry) => entry.startsWith('send dump')).map((entry) => Number(entry.split(' ')[5]))).toEqual([1, 2, 3, 3, 3, 3, 3]);
    expect(log[log.length - 1]).toBe('send write on 0 with 1 busy');
  });

  it('drops the dumps not yet sent when their signal aborts: those in flight finish, and a write queued behind goes at once', async () => {
    const { client, sent } = kernel(2, (m) => [m.flags & NLM_F_DUMP ? nldone(m.seq) : ack(m.seq)]);
    const abort = new AbortController();
    const key = tcp('10.0.0.1', 80);
    const dumps = Array.from({ length: 6 }, () =>
      client.destinations(key, { signal: abort.signal }).then(
        () => 'done',
        (e: unknown) => e,
      ),
    );
    const write = client.flush();
    abort.abort(new Error('stopping'));
    const outcomes = await Promise.all(dumps);
    await write;
    expect(outcomes.map((o) => (o === 'done' ? o : (o as Error).message))).toEqual(['done', 'done', 'stopping', 'stopping', 'stopping', 'stopping']);
    expect(sent.map((m) => ((m.flags & NLM_F_DUMP) !== 0 ? 'dump' : 'write'))).toEqual(['dump', 'dump', 'write']);
    await expect(client.services({ signal: abort.signal })).rejects.toThrow('stopping');
    expect(sent).toHaveLength(3);
  });

  it('refuses a value it cannot encode before sending anything', async () => {
    const { client, sent } = kernel(1, (m) => [ack(m.seq)]);
    await expect(client.deleteService({ family: 'inet', protocol: 'tcp', address: 'nope', port: 1 })).rejects.toMatchObject({ code: 'IPVS_BAD_VALUE' });
    expect(sent).toEqual([]);
  });

  it('reports a request the socket could not deliver as IPVS_SOCKET, naming it', async () => {
    const port: DatagramPort = {
      portId: 1,
      send: () => {
        throw new Error('EBADF');
      },
    };
    const client = new NetlinkIpvsClient([new NetlinkChannel(port, { timeoutMs: 1000 })], FAMILY, { writeWindow: 16, close: () => undefined });
    await expect(client.deleteService(tcp('10.0.0.1', 80))).rejects.toMatchObject({ code: 'IPVS_SOCKET', operation: 'delete-service', object: 'TCP 10.0.0.1:80' });
  });
});
