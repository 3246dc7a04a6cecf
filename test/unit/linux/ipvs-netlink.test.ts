import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { NetlinkIpvsClient, openNetlinkIpvs } from '../../../src/linux/ipvs-netlink.js';
import { IPVS_CMD, ipvsRequests } from '../../../src/ipvs/genl.js';
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

describe('NetlinkIpvsClient over a scripted socket', () => {
  interface Sent {
    type: number;
    payload: Uint8Array;
    flags: number;
    localPort: number | undefined;
  }
  /** A stand-in for the netlink package's socket: records requests, answers from a script. */
  function scripted(answers: { type: number; data: Buffer }[][]): { client: NetlinkIpvsClient; sent: Sent[] } {
    const sent: Sent[] = [];
    const socket = {
      socket: {
        request: async (type: number, payload: Uint8Array, options: { flags: number; localPort?: number }) => {
          sent.push({ type, payload, flags: options.flags, localPort: options.localPort });
          return [answers.shift() ?? [], { port: 0, groups: 0 }];
        },
        close: () => undefined,
        address: () => ({ port: 4242, groups: 0 }),
      },
    };
    return { client: new NetlinkIpvsClient([socket as never], 42, 1000), sent };
  }
  const nlmsgError = (errno: number): { type: number; data: Buffer } => {
    const data = Buffer.alloc(20);
    data.writeInt32LE(-errno, 0);
    return { type: 2, data };
  };

  it('reads the errno from NLMSG_ERROR and names the operation and object', async () => {
    const { client, sent } = scripted([[nlmsgError(17)]]);
    await expect(client.addService(svc(tcp('10.0.0.1', 80)))).rejects.toMatchObject({
      code: 'IPVS_EEXIST',
      errno: 'EEXIST',
      operation: 'add-service',
      message: 'add-service TCP 10.0.0.1:80: service already exists (EEXIST)',
    });
    expect(sent[0]?.type).toBe(42);
    expect(sent[0]?.payload[0]).toBe(IPVS_CMD.NEW_SERVICE);
    // the socket's port is given, so the package does not ask the kernel for it per message
    expect(sent[0]?.localPort).toBe(4242);
    expect(client.counters).toEqual({ requests: 1, writes: 1 });
  });

  it('treats an ACK (errno 0) as success and asks dumps with NLM_F_DUMP', async () => {
    const { client, sent } = scripted([[nlmsgError(0)], []]);
    await client.flush();
    expect(await client.services()).toEqual([]);
    expect(sent.map((s) => s.flags)).toEqual([0, 0x300]);
    expect(client.counters).toEqual({ requests: 2, writes: 1 });
  });

  it('decodes every message of a dump, ignoring messages of other families', async () => {
    const reply = Buffer.from(ipvsRequests.addService(svc(tcp('10.0.0.1', 80), { scheduler: 'rr' })).payload);
    const { client } = scripted([
      [
        { type: 42, data: reply },
        { type: 3, data: Buffer.alloc(4) },
        { type: 42, data: reply },
      ],
    ]);
    const services = await client.services();
    expect(services.map((s) => [s.key, s.scheduler])).toEqual([
      [tcp('10.0.0.1', 80), 'rr'],
      [tcp('10.0.0.1', 80), 'rr'],
    ]);
  });

  it('pipelines writes in order, at most 64 unanswered, and sends a dump only when all are answered', async () => {
    const log: string[] = [];
    let unanswered = 0;
    let most = 0;
    const socket = {
      socket: {
        request: (_type: number, payload: Uint8Array, options: { flags: number }) => {
          const what = options.flags === 0 ? `w${payload[payload.length - 4]}` : 'dump';
          log.push(`send ${what}`);
          unanswered++;
          most = Math.max(most, unanswered);
          return new Promise((resolve) =>
            setImmediate(() => {
              unanswered--;
              log.push(`answer ${what}`);
              resolve([what === 'dump' ? [] : [nlmsgError(0)], { port: 0, groups: 0 }]);
            }),
          );
        },
        close: () => undefined,
        address: () => ({ port: 4242, groups: 0 }),
      },
    };
    const client = new NetlinkIpvsClient([socket as never], 42, 1000);
    const writes = Array.from({ length: 200 }, (_, i) => client.setTimeouts({ tcp: 1, tcpFin: 1, udp: i % 250 }));
    const dump = client.services();
    await Promise.all([...writes, dump]);
    const sends = log.filter((entry) => entry.startsWith('send w')).map((entry) => Number(entry.slice(6)));
    expect(sends).toEqual(Array.from({ length: 200 }, (_, i) => i % 250));
    expect(most).toBe(64);
    expect(log.indexOf('send dump')).toBe(log.lastIndexOf('answer w199') + 1);
  });

  it('runs dumps side by side, one per socket, and holds writes until they are answered', async () => {
    const log: string[] = [];
    const busy = new Set<number>();
    const socketAt = (index: number) => ({
      socket: {
        request: (_type: number, _payload: Uint8Array, options: { flags: number }) => {
          const what = options.flags === 0 ? 'write' : 'dump';
          if (busy.has(index)) throw new Error(`socket ${index} got a second request while busy`);
          busy.add(index);
          log.push(`send ${what} on ${index} with ${busy.size} busy`);
          return new Promise((resolve) =>
            setImmediate(() => {
              busy.delete(index);
              log.push(`answer ${what}`);
              resolve([what === 'dump' ? [] : [nlmsgError(0)], { port: 0, groups: 0 }]);
            }),
          );
        },
        close: () => undefined,
        address: () => ({ port: 4242, groups: 0 }),
      },
    });
    const client = new NetlinkIpvsClient([socketAt(0), socketAt(1), socketAt(2)] as never, 42, 1000);
    const key = tcp('10.0.0.1', 80);
    const dumps = Array.from({ length: 7 }, () => client.destinations(key));
    const write = client.flush();
    await Promise.all([...dumps, write]);
    expect(log.filter((entry) => entry.startsWith('send dump')).map((entry) => Number(entry.split(' ')[5]))).toEqual([1, 2, 3, 3, 3, 3, 3]);
    expect(log.indexOf('send write on 0 with 1 busy')).toBe(log.length - 2);
  });

  it('refuses a value it cannot encode before sending anything', async () => {
    const { client, sent } = scripted([]);
    await expect(client.deleteService({ family: 'inet', protocol: 'tcp', address: 'nope', port: 1 })).rejects.toMatchObject({ code: 'IPVS_BAD_VALUE' });
    expect(sent).toEqual([]);
  });
});
