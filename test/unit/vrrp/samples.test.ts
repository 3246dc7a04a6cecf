import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advertIntervalMs, authDataText } from '../../../src/vrrp/advert.js';
import { decodeIpv4Packet, encodeIpv4Packet } from '../../../src/vrrp/packet.js';
import { ipv4InFrame, readPcap } from './pcap.js';

const SAMPLES = join(import.meta.dirname, 'samples');
const IPPROTO_VRRP = 112;

/** A `kind: vrrp` line of a *.packets.jsonl file, as captured and decoded when the sample was taken. */
interface ExpectedVrrp {
  readonly t: number;
  readonly ip_src: string;
  readonly ip_dst: string;
  readonly ttl: number;
  readonly ip_len: number;
  readonly version: number;
  readonly type: number;
  readonly vrid: number;
  readonly prio: number;
  readonly count: number;
  readonly addrs: string[];
  readonly auth_type?: string;
  readonly auth_string?: string;
  readonly adver_int_s: number;
  readonly max_adver_int_cs?: number;
  readonly checksum_ok: boolean;
}

function samplePackets(base: string): { time: number; packet: Uint8Array }[] {
  const records = readPcap(readFileSync(join(SAMPLES, `${base}.pcap`)));
  const first = records[0]?.time ?? 0;
  return records.flatMap((record) => {
    const packet = ipv4InFrame(record.data);
    return packet !== undefined && packet[9] === IPPROTO_VRRP ? [{ time: record.time - first, packet }] : [];
  });
}

function expectedPackets(base: string): ExpectedVrrp[] {
  return readFileSync(join(SAMPLES, `${base}.packets.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { kind: string })
    .filter((line): line is ExpectedVrrp & { kind: string } => line.kind === 'vrrp');
}

const bases = readdirSync(SAMPLES)
  .filter((name) => name.endsWith('.pcap'))
  .map((name) => name.slice(0, -'.pcap'.length));

describe('advertisements keepalived 2.2.7 sent', () => {
  it('covers v2 with PASS, v2 unicast and v3 at 1 s and 0.1 s', () => {
    expect(bases.sort()).toEqual(['vrrpv2-advert1-authPASS', 'vrrpv2-unicast', 'vrrpv3-advert0.1-authnone', 'vrrpv3-advert1-authnone']);
  });

  describe.each(bases)('%s', (base) => {
    const packets = samplePackets(base);
    const expected = expectedPackets(base);

    it('has one listed line per VRRP packet', () => {
      expect(packets.length).toBeGreaterThan(0);
      expect(packets.length).toBe(expected.length);
    });

    it.each(expected.map((line, i) => [i, line] as const))('packet %i decodes to the listed fields', (i, line) => {
      const sample = packets[i];
      expect(sample).toBeDefined();
      if (sample === undefined) return;
      expect(sample.time).toBeCloseTo(line.t, 5);
      const decoded = decodeIpv4Packet(sample.packet);
      expect(decoded.ok).toBe(line.checksum_ok);
      if (!decoded.ok) return;
      const { advert, source, destination, hopLimit, ip } = decoded.value;
      expect({ source, destination, hopLimit, length: ip?.totalLength }).toEqual({
        source: line.ip_src,
        destination: line.ip_dst,
        hopLimit: line.ttl,
        length: line.ip_len,
      });
      expect(advert.version).toBe(line.version);
      expect(line.type).toBe(1);
      expect(advert.vrid).toBe(line.vrid);
      expect(advert.priority).toBe(line.prio);
      expect(advert.addresses).toHaveLength(line.count);
      expect(advert.addresses).toEqual(line.addrs);
      expect(advertIntervalMs(advert)).toBe(Math.round(line.adver_int_s * 1000));
      if (advert.version === 2) {
        expect(line.auth_type).toBe(advert.authType === 'pass' ? '1 (PASS)' : '0 (none)');
        if (line.auth_string !== undefined) expect(authDataText(advert.authData)).toBe(line.auth_string);
        expect(decoded.value.coverage).toBe('message');
      } else {
        expect(advert.maxAdvertInterval).toBe(line.max_adver_int_cs);
        expect(decoded.value.coverage).toBe('pseudo-header');
      }
    });

    it('re-encodes every packet to the captured bytes, IPv4 header included', () => {
      for (const { packet } of packets) {
        const decoded = decodeIpv4Packet(packet);
        if (!decoded.ok) throw new Error(decoded.reject.message);
        const { advert, ip } = decoded.value;
        if (ip === undefined) throw new Error('IPv4 packet without its header');
        const rebuilt = encodeIpv4Packet(advert, {
          source: ip.source,
          destination: ip.destination,
          ttl: ip.ttl,
          tos: ip.tos,
          identification: ip.identification,
        });
        expect(Buffer.from(rebuilt).toString('hex')).toBe(Buffer.from(packet).toString('hex'));
      }
    });
  });
});
