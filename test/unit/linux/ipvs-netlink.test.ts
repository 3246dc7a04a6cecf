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
  }
  /** A stand-in for the netlink package's socket: records requests, answers from a script. */
  function scripted(answers: { type: number; data: Buffer }[][]): { client: NetlinkIpvsClient; sent: Sent[] } {
    const sent: Sent[] = [];
    const socket = {
      socket: {
        request: async (type: number, payload: Uint8Array, options: { flags: number }) => {
          sent.push({ type, payload, flags: options.flags });
          return [answers.shift() ?? [], { port: 0, groups: 0 }];
        },
        close: () => undefined,
      },
    };
    return { client: new NetlinkIpvsClient(socket as never, 42, 1000), sent };
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
    const { client } = scripted([[{ type: 42, data: reply }, { type: 3, data: Buffer.alloc(4) }, { type: 42, data: reply }]]);
    const services = await client.services();
    expect(services.map((s) => [s.key, s.scheduler])).toEqual([
      [tcp('10.0.0.1', 80), 'rr'],
      [tcp('10.0.0.1', 80), 'rr'],
    ]);
  });

  it('refuses a value it cannot encode before sending anything', async () => {
    const { client, sent } = scripted([]);
    await expect(client.deleteService({ family: 'inet', protocol: 'tcp', address: 'nope', port: 1 })).rejects.toMatchObject({ code: 'IPVS_BAD_VALUE' });
    expect(sent).toEqual([]);
  });
});
