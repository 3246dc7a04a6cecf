import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advertIntervalMs, authDataText, makeAdvert, passwordAuthData, VRRP_GROUP_IPV4 } from '../../../src/vrrp/advert.js';
import { verifyAh } from '../../../src/vrrp/ipsec-ah.js';
import { encodeAdvert } from '../../../src/vrrp/advert-codec.js';
import { decodeIpv4Packet, decodeIpv6Advert, encodeIpv4Packet, type ReceivedAdvert } from '../../../src/vrrp/packet.js';
import type { Decoded } from '../../../src/vrrp/reject.js';
import { ipInFrame, readPcap, type FramePayload } from './pcap.js';

const SAMPLES = join(import.meta.dirname, 'samples');
const IPPROTO_AH = 51;
const IPPROTO_VRRP = 112;

/** A line of a *.packets.jsonl file about a VRRP frame, as decoded when the sample was taken. */
interface ExpectedLine {
  readonly t: number;
  /** `vrrp` over IPv4, `vrrp6` over IPv6, `vrrp-ah` VRRP inside IPsec AH. */
  readonly kind: 'vrrp' | 'vrrp6' | 'vrrp-ah';
  readonly ip_src: string;
  readonly ip_dst: string;
  readonly ttl?: number;
  readonly hop_limit?: number;
  readonly ip_len?: number;
  readonly payload_len?: number;
  readonly version: number;
  readonly type: number;
  readonly vrid: number;
  readonly prio: number;
  readonly count: number;
  readonly addrs: string[];
  readonly auth_type?: string;
  readonly auth_string?: string;
  readonly adver_int_s?: number;
  readonly max_adver_int_cs?: number;
  readonly checksum_ok: boolean;
}

interface Sample {
  readonly time: number;
  readonly frame: FramePayload;
}

function isVrrpFrame(frame: FramePayload | undefined): frame is FramePayload {
  if (frame === undefined) return false;
  if (frame.family === 'inet6') return frame.nextHeader === IPPROTO_VRRP;
  return frame.packet[9] === IPPROTO_VRRP || frame.packet[9] === IPPROTO_AH;
}

function samplePackets(base: string): Sample[] {
  const records = readPcap(readFileSync(join(SAMPLES, `${base}.pcap`)));
  const first = records[0]?.time ?? 0;
  return records.flatMap((record) => {
    const frame = ipInFrame(record.data);
    return isVrrpFrame(frame) ? [{ time: record.time - first, frame }] : [];
  });
}

function expectedLines(base: string): ExpectedLine[] {
  return readFileSync(join(SAMPLES, `${base}.packets.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ExpectedLine)
    .filter((line) => line.kind.startsWith('vrrp'));
}

function decodeFrame(frame: FramePayload): Decoded<ReceivedAdvert> {
  if (frame.family === 'inet') return decodeIpv4Packet(frame.packet);
  return decodeIpv6Advert(frame.payload, frame);
}

/** The bytes our encoder makes of a decoded advert, framed as the socket gave them. */
function reencode(frame: FramePayload, received: ReceivedAdvert): { ours: Uint8Array; theirs: Uint8Array } {
  const { advert, ip } = received;
  if (frame.family === 'inet6') return { ours: encodeAdvert(advert, frame), theirs: frame.payload };
  if (ip === undefined) throw new Error('IPv4 packet without its header');
  // the AH sample's instance has auth_pass secret (keepalived-v3-ipv6-unicast-ah.conf)
  const ah = received.ah ? { ah: { key: passwordAuthData('secret'), sequence: received.ah.sequence, unicast: false } } : {};
  const ours = encodeIpv4Packet(advert, { source: ip.source, destination: ip.destination, ttl: ip.ttl, tos: ip.tos, identification: ip.identification, ...ah });
  return { ours, theirs: frame.packet };
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const bases = readdirSync(SAMPLES)
  .filter((name) => name.endsWith('.pcap'))
  .map((name) => name.slice(0, -'.pcap'.length))
  .sort();

describe('advertisements keepalived 2.2.7 sent', () => {
  it('covers v2 with PASS, v2 unicast, v3 at 1 s and 0.1 s, and v3 IPv6/unicast/AH', () => {
    expect(bases).toEqual([
      'keepalived-v3-ipv6-unicast-ah',
      'vrrpv2-advert1-authPASS',
      'vrrpv2-unicast',
      'vrrpv3-advert0.1-authnone',
      'vrrpv3-advert1-authnone',
    ]);
  });

  describe.each(bases)('%s', (base) => {
    const samples = samplePackets(base);
    const lines = expectedLines(base);

    it('has one listed line per VRRP frame', () => {
      expect(samples.length).toBeGreaterThan(0);
      expect(samples.length).toBe(lines.length);
    });

    it.each(lines.map((line, i) => [i, line.kind, line] as const))('frame %i (%s) decodes to the listed fields', (i, _kind, line) => {
      const sample = samples[i];
      if (sample === undefined) throw new Error(`no frame ${i}`);
      expect(sample.time).toBeCloseTo(line.t, 5);
      const result = decodeFrame(sample.frame);
      if (line.kind === 'vrrp-ah') {
        // keepalived 2.2.7's AH adverts (auth_pass secret in the .conf): they decode and authenticate
        if (!result.ok) throw new Error(result.reject.message);
        const { advert, ah, source } = result.value;
        expect(advert.version === 2 && advert.authType).toBe('ah');
        expect(ah && verifyAh(ah, passwordAuthData('secret'), false, 0, source)).toEqual({ ok: true });
        expect(ah && verifyAh(ah, passwordAuthData('Secret'), false, 0, source)).toMatchObject({ ok: false, code: 'ah-auth-mismatch' });
        expect(ah?.packet.length).toBe(line.ip_len);
        return;
      }
      expect(result.ok).toBe(line.checksum_ok);
      if (!result.ok) return;
      const { advert, source, destination, hopLimit, ip } = result.value;
      expect({ source, destination, hopLimit }).toEqual({ source: line.ip_src, destination: line.ip_dst, hopLimit: line.ttl ?? line.hop_limit });
      if (line.kind === 'vrrp') expect(ip?.totalLength).toBe(line.ip_len);
      else expect(sample.frame.family === 'inet6' && sample.frame.payload.length).toBe(line.payload_len);
      expect(advert.version).toBe(line.version);
      expect(line.type).toBe(1);
      expect(advert.vrid).toBe(line.vrid);
      expect(advert.priority).toBe(line.prio);
      expect(advert.addresses).toHaveLength(line.count);
      expect(advert.addresses).toEqual(line.addrs);
      if (line.adver_int_s !== undefined) expect(advertIntervalMs(advert)).toBe(Math.round(line.adver_int_s * 1000));
      if (advert.version === 2) {
        expect(line.auth_type).toBe(advert.authType === 'pass' ? '1 (PASS)' : '0 (none)');
        if (line.auth_string !== undefined) expect(authDataText(advert.authData)).toBe(line.auth_string);
        expect(result.value.coverage).toBe('message');
      } else {
        expect(advert.maxAdvertInterval).toBe(line.max_adver_int_cs);
        expect(result.value.coverage).toBe('pseudo-header');
      }
    });

    it('re-encodes every advert to the captured bytes (IPv4 header included, IPv6 payload)', () => {
      let compared = 0;
      for (const { frame } of samples) {
        const result = decodeFrame(frame);
        if (!result.ok) continue;
        const { ours, theirs } = reencode(frame, result.value);
        expect(hex(ours)).toBe(hex(theirs));
        compared++;
      }
      expect(compared).toBe(lines.length);
    });
  });
});

describe('what our sender makes of the lb1 configs', () => {
  // vrrpv*-lb1.conf, translated by hand: VRID 51, priority 100, VIP 10.0.0.29, from 10.0.0.11.
  const lb1 = { family: 'inet' as const, vrid: 51, virtualAddresses: ['10.0.0.29'] };
  it.each([
    ['vrrpv2-advert1-authPASS', { ...lb1, version: 2 as const, advertIntervalMs: 1000, authType: 'pass' as const, authPassword: 'netlab1' }],
    ['vrrpv3-advert1-authnone', { ...lb1, version: 3 as const, advertIntervalMs: 1000 }],
    ['vrrpv3-advert0.1-authnone', { ...lb1, version: 3 as const, advertIntervalMs: 100 }],
  ])('%s: the bytes keepalived sent, but for the IP identification the kernel picked', (base, config) => {
    const [first] = samplePackets(base);
    if (first?.frame.family !== 'inet') throw new Error('no IPv4 advert');
    const identification = (first.frame.packet[4] ?? 0) * 256 + (first.frame.packet[5] ?? 0);
    const ours = encodeIpv4Packet(makeAdvert(config, 100), { source: '10.0.0.11', destination: VRRP_GROUP_IPV4, identification });
    expect(hex(ours)).toBe(hex(first.frame.packet));
  });
});
