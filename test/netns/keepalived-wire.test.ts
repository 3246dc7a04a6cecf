import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAdvert, VRRP_GROUP_IPV4, type AdvertConfig } from '../../src/vrrp/advert.js';
import { internetChecksum } from '../../src/vrrp/checksum.js';
import { encodeIpv4Header, IPV4_HEADER_LENGTH } from '../../src/vrrp/ipv4-header.js';
import { encodeIpv4Packet } from '../../src/vrrp/packet.js';
import type { RejectCode } from '../../src/vrrp/reject.js';
import type { ReceiveExpectations } from '../../src/vrrp/receive-checks.js';
import { KeepalivedPeer } from './support/keepalived.js';
import { Lan, type Host } from './support/netns.js';
import { VrrpEndpoint } from './support/vrrp-endpoint.js';

/**
 * Our transport and codec against Debian's keepalived, before any state machine: we decode
 * every advert it sends, and the adverts we encode move it between MASTER and BACKUP the way
 * the RFCs say, without a complaint in its log.
 */

const KA = '10.61.0.11';
const US = '10.61.0.12';

interface Flavour {
  readonly name: string;
  readonly keepalived: string;
  readonly config: AdvertConfig;
  readonly unicastPeer?: string;
}

/** One keepalived instance per flavour the issue names, all in one keepalived. */
const FLAVOURS: readonly Flavour[] = [
  {
    name: 'V2PASS',
    keepalived: 'virtual_router_id 51\n advert_int 1\n authentication {\n auth_type PASS\n auth_pass s3cretpw\n }\n virtual_ipaddress {\n 10.61.0.100/24\n }',
    config: { version: 2, family: 'inet', vrid: 51, advertIntervalMs: 1000, virtualAddresses: ['10.61.0.100'], authType: 'pass', authPassword: 's3cretpw' },
  },
  {
    name: 'V3',
    keepalived: 'version 3\n virtual_router_id 52\n advert_int 1\n virtual_ipaddress {\n 10.61.0.101/24\n }',
    config: { version: 3, family: 'inet', vrid: 52, advertIntervalMs: 1000, virtualAddresses: ['10.61.0.101'] },
  },
  {
    name: 'V3FAST',
    keepalived: 'version 3\n virtual_router_id 53\n advert_int 0.05\n virtual_ipaddress {\n 10.61.0.102/24\n }',
    config: { version: 3, family: 'inet', vrid: 53, advertIntervalMs: 50, virtualAddresses: ['10.61.0.102'] },
  },
  {
    name: 'V6',
    keepalived: 'virtual_router_id 54\n advert_int 1\n virtual_ipaddress {\n fd61::100/64\n }',
    config: { version: 3, family: 'inet6', vrid: 54, advertIntervalMs: 1000, virtualAddresses: ['fd61::100'] },
  },
  {
    name: 'UNICAST',
    keepalived: `virtual_router_id 55\n advert_int 1\n unicast_src_ip ${KA}\n unicast_peer {\n ${US}\n }\n virtual_ipaddress {\n 10.61.0.103/24\n }`,
    config: { version: 2, family: 'inet', vrid: 55, advertIntervalMs: 1000, virtualAddresses: ['10.61.0.103'] },
    unicastPeer: KA,
  },
];

const keepalivedConfig = `global_defs {
    router_id lb1
}
${FLAVOURS.map((f) => `vrrp_instance ${f.name} {\n state MASTER\n interface eth0\n priority 150\n ${f.keepalived}\n}\n`).join('')}`;

function destinationOf(f: Flavour): string {
  return f.unicastPeer ?? (f.config.family === 'inet' ? '224.0.0.18' : 'ff02::12');
}

function expectationsOf(f: Flavour): ReceiveExpectations {
  return { ...f.config, unicastPeers: f.unicastPeer === undefined ? [] : [f.unicastPeer], checkUnicastSource: true };
}

/** A deliberate defect and the reason it must be dropped for (null: accepted). */
interface Mutation {
  readonly name: string;
  readonly advert?: Partial<AdvertConfig>;
  readonly ttl?: number;
  /** Byte offset in the VRRP message → new value, or "+1" to add one. */
  readonly set?: Record<string, number | string>;
  readonly fixChecksum?: boolean;
  readonly truncate?: number;
  readonly keep?: number;
  readonly to?: string;
  readonly expect: RejectCode | null;
}

const MUTATIONS = JSON.parse(readFileSync(join(import.meta.dirname, 'wire-mutations.json'), 'utf8')) as Mutation[];

/** An IPv4 packet with `message` as its VRRP part, from `source` to `destination`. */
function ipv4Packet(message: Uint8Array, source: string, destination: string, ttl = 255): string {
  const header = encodeIpv4Header({ tos: 0xc0, identification: 0, ttl, protocol: 112, source, destination, payloadLength: message.length });
  return Buffer.concat([header, message]).toString('hex');
}

function mutate(m: Mutation, base: AdvertConfig, source: string): { hex: string; to: string } {
  const to = m.to ?? VRRP_GROUP_IPV4;
  const packet = encodeIpv4Packet(makeAdvert({ ...base, ...m.advert }, 100), { source, destination: to });
  let message = packet.slice(IPV4_HEADER_LENGTH);
  for (const [offset, value] of Object.entries(m.set ?? {})) {
    const at = Number(offset);
    message[at] = value === '+1' ? (message[at]! + 1) & 0xff : Number(value);
  }
  if (m.fixChecksum) {
    message[6] = 0;
    message[7] = 0;
    const sum = internetChecksum(message);
    message[6] = sum >> 8;
    message[7] = sum & 0xff;
  }
  if (m.truncate !== undefined) message = message.slice(0, message.length - m.truncate);
  if (m.keep !== undefined) message = message.slice(0, m.keep);
  return { hex: ipv4Packet(message, source, to, m.ttl), to };
}

describe("VRRP wire interop with Debian's keepalived", () => {
  let lan: Lan;
  let lb1: Host;
  let lb2: Host;
  let keepalived: KeepalivedPeer;
  let ours: VrrpEndpoint;
  beforeAll(async () => {
    lan = new Lan(`kvw${process.pid % 1000}`);
    lb1 = lan.addHost('lb1', `${KA}/24`);
    lb2 = lan.addHost('lb2', `${US}/24`);
    ours = await VrrpEndpoint.start(lb2.ns);
    await ours.expect(FLAVOURS.map(expectationsOf));
    keepalived = new KeepalivedPeer(lb1.ns, keepalivedConfig);
  });
  afterAll(async () => {
    await ours?.stop();
    await keepalived?.stop('SIGKILL');
    lan?.destroy();
  });

  it('decodes every advert keepalived sends: v2 PASS, v3 at 1 s and 0.05 s, IPv6, unicast', async () => {
    await Promise.all(FLAVOURS.map((f) => keepalived.waitFor(new RegExp(`\\(${f.name}\\) Entering MASTER STATE`))));
    for (const f of FLAVOURS) {
      const seen = await ours.waitForAdverts((s) => s.vrid === f.config.vrid && s.family === f.config.family, f.config.advertIntervalMs < 1000 ? 20 : 3);
      expect(
        seen.every((s) => s.code === undefined && s.priority === 150 && s.version === f.config.version),
        `${f.name}: ${JSON.stringify(seen[0])}`,
      ).toBe(true);
    }
    const tally = await ours.tally(0);
    expect(tally.received).toBe(tally.accepted);
    expect(Object.values(tally.counts).every((n) => n === 0)).toBe(true);
  });

  it('our higher-priority adverts make keepalived BACKUP; our priority 0 makes it take over within Skew_Time', async () => {
    const since = keepalived.mark();
    for (const f of FLAVOURS) {
      await ours.advertise(f.name, { config: f.config, priority: 200, destination: destinationOf(f), source: US, intervalMs: f.config.advertIntervalMs });
    }
    await Promise.all(FLAVOURS.map((f) => keepalived.waitFor(new RegExp(`\\(${f.name}\\) Entering BACKUP STATE`), 5000, since)));
    // keepalived is silent as a backup: the last adverts we saw from it predate this mark
    const heard = ours.adverts().length;

    const handOver = keepalived.mark();
    for (const f of FLAVOURS) ours.silence(f.name);
    const started = Date.now();
    for (const f of FLAVOURS) {
      await ours.advertise(`${f.name}-0`, { config: f.config, priority: 0, destination: destinationOf(f), source: US, intervalMs: 0 });
    }
    await Promise.all(FLAVOURS.map((f) => keepalived.waitFor(new RegExp(`\\(${f.name}\\) Backup received priority 0 advertisement`), 5000, handOver)));
    await Promise.all(FLAVOURS.map((f) => keepalived.waitFor(new RegExp(`\\(${f.name}\\) Entering MASTER STATE`), 5000, handOver)));
    // Master_Down_Interval is over 3 s for the 1 s instances; priority 0 cuts it to Skew_Time (0.41 s)
    expect(Date.now() - started).toBeLessThan(2500);
    await ours.waitForAdverts(() => true, heard + FLAVOURS.length);

    expect(await keepalived.stop('SIGTERM')).toBe(0);
    expect(keepalived.complaints()).toEqual([]);
    const tally = await ours.tally(0);
    expect(tally.received).toBe(tally.accepted);
  });

  it('counts every deliberate defect, random packet and mutation by reason, and keeps listening', async () => {
    await keepalived.exited;
    const base = FLAVOURS[0]!.config;
    const sender = await VrrpEndpoint.start(lb1.ns);
    await ours.expect([{ ...base, unicastPeers: [] }]);
    try {
      const before = await ours.tally(0);
      await sender.sendRaw(MUTATIONS.map((m) => mutate(m, base, KA)));
      const after = await ours.tally(before.received + MUTATIONS.length);
      for (const m of MUTATIONS) {
        if (m.expect === null) continue;
        expect(after.counts[m.expect] - before.counts[m.expect], m.name).toBe(MUTATIONS.filter((o) => o.expect === m.expect).length);
      }
      expect(after.accepted - before.accepted).toBe(1);

      const valid = Buffer.from(mutate(MUTATIONS[0]!, base, KA).hex, 'hex').subarray(IPV4_HEADER_LENGTH);
      const random = fc.sample(fc.uint8Array({ maxLength: 120 }), { seed: 112, numRuns: 300 });
      const flips = fc.sample(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })), { seed: 3768, numRuns: 300 }).map(([at, xor]) => {
        const copy = Uint8Array.from(valid);
        copy[at]! ^= xor;
        return copy;
      });
      const hostile = [...random, ...flips].map((message) => ({ hex: ipv4Packet(message, KA, VRRP_GROUP_IPV4), to: VRRP_GROUP_IPV4 }));
      // in batches the listener acknowledges, so that no socket buffer overflows and every packet is judged
      let expected = after.received;
      for (let i = 0; i < hostile.length; i += 50) {
        const batch = hostile.slice(i, i + 50);
        await sender.sendRaw(batch);
        expected += batch.length;
        await ours.tally(expected);
      }
      const final = await ours.tally(expected);
      expect(final.received).toBe(expected);
      const dropped = Object.values(final.counts).reduce((a, b) => a + b, 0);
      expect(final.accepted + dropped).toBe(final.received);
      // a single flipped byte never survives the checksum
      expect(final.accepted - after.accepted).toBe(0);
      expect(Object.entries(final.counts).filter(([, n]) => n > 0).length).toBeGreaterThanOrEqual(10);
    } finally {
      await sender.stop();
    }
  });
});
