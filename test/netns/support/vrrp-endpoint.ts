import { resolve } from 'node:path';
import type { AdvertConfig } from '../../../src/vrrp/advert.js';
import type { ReceiveExpectations } from '../../../src/vrrp/receive-checks.js';
import type { RejectCode } from '../../../src/vrrp/reject.js';
import { nodeInNs, type NodeChild } from './child.js';

const dist = resolve('dist');

/** One advert as the endpoint saw it: decoded and checked, or dropped with a reason. */
export interface SeenAdvert {
  readonly family: 'inet' | 'inet6';
  readonly source?: string;
  readonly vrid?: number;
  readonly version?: number;
  readonly priority?: number;
  /** The drop reason, absent when the advert passed decoding and the receive checks. */
  readonly code?: RejectCode;
  readonly message?: string;
}

export interface Tally {
  readonly received: number;
  readonly accepted: number;
  readonly counts: Record<RejectCode, number>;
}

/**
 * Our transport and codec in a namespace, without a state machine: it decodes and checks every
 * advert that arrives on eth0 (IPv4 and IPv6), counts drops by reason, and sends adverts or raw
 * packets on command. Interop tests drive it against keepalived; nothing here sleeps.
 */
export class VrrpEndpoint {
  private readonly child: NodeChild;
  private readonly seen: SeenAdvert[] = [];
  private readonly replies: unknown[] = [];
  private readonly watchers: { match: (value: unknown) => boolean; resolve: (value: unknown) => void }[] = [];

  private constructor(child: NodeChild) {
    this.child = child;
    void this.pump();
  }

  static async start(ns: string): Promise<VrrpEndpoint> {
    const endpoint = new VrrpEndpoint(nodeInNs(ns, SCRIPT));
    await endpoint.reply((v) => v === 'ready');
    return endpoint;
  }

  private async pump(): Promise<void> {
    for (;;) {
      let value: unknown;
      try {
        value = await this.child.next(600_000);
      } catch {
        return;
      }
      if (typeof value === 'object' && value !== null && 'seen' in value) this.seen.push((value as { seen: SeenAdvert }).seen);
      else this.replies.push(value);
      for (const w of [...this.watchers]) {
        const found = [...this.replies, ...this.seen.map((s) => ({ seen: s }))].find(w.match);
        if (found !== undefined) {
          this.watchers.splice(this.watchers.indexOf(w), 1);
          w.resolve(found);
        }
      }
    }
  }

  private reply(match: (value: unknown) => boolean, timeoutMs = 10_000): Promise<unknown> {
    const index = this.replies.findIndex(match);
    if (index >= 0) return Promise.resolve(this.replies.splice(index, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`endpoint: no reply within ${timeoutMs} ms`)), timeoutMs);
      this.watchers.push({
        match,
        resolve: (value) => {
          clearTimeout(timer);
          this.replies.splice(this.replies.indexOf(value), 1);
          resolve(value);
        },
      });
    });
  }

  private command(value: object): void {
    this.child.write(`${JSON.stringify(value)}\n`);
  }

  /** Sets what each virtual router (by family and VRID) expects; the first is the default for unknown VRIDs. */
  async expect(expectations: readonly ReceiveExpectations[]): Promise<void> {
    this.command({ expect: expectations });
    await this.reply((v) => v === 'expecting');
  }

  /** Adverts seen so far, in arrival order. */
  adverts(): readonly SeenAdvert[] {
    return this.seen;
  }

  /** Resolves once `count` adverts satisfying `match` have been seen. */
  waitForAdverts(match: (seen: SeenAdvert) => boolean, count: number, timeoutMs = 15_000): Promise<SeenAdvert[]> {
    const ready = () => this.seen.filter(match);
    if (ready().length >= count) return Promise.resolve(ready());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`endpoint: ${ready().length} of ${count} adverts within ${timeoutMs} ms`)), timeoutMs);
      this.watchers.push({
        match: () => ready().length >= count,
        resolve: () => {
          clearTimeout(timer);
          resolve(ready());
        },
      });
    });
  }

  /**
   * Sends `config`'s advert with `priority` to `destination` now and every `intervalMs` until
   * silenced (`intervalMs` 0: once). IPv4 adverts go out from `source`; the kernel picks the
   * IPv6 source and checksum.
   */
  async advertise(id: string, a: { config: AdvertConfig; priority: number; destination: string; source?: string; intervalMs: number }): Promise<void> {
    this.command({ advertise: { id, ...a } });
    await this.reply((v) => typeof v === 'object' && v !== null && (v as { advertising?: string }).advertising === id);
  }

  silence(id: string): void {
    this.command({ silence: id });
  }

  /** Sends whole IPv4 packets (hex, header included), one after the other. */
  async sendRaw(packets: readonly { hex: string; to: string }[]): Promise<void> {
    this.command({ raw: packets });
    await this.reply((v) => typeof v === 'object' && v !== null && (v as { sent?: number }).sent === packets.length);
  }

  /** The drop counts once at least `received` packets have arrived in all. */
  async tally(received: number, timeoutMs = 10_000): Promise<Tally> {
    this.command({ tally: received });
    return (await this.reply((v) => typeof v === 'object' && v !== null && 'counts' in v, timeoutMs)) as Tally;
  }

  async stop(): Promise<number | null> {
    this.child.kill();
    return this.child.exited;
  }
}

const SCRIPT = `
import { createInterface } from 'node:readline';
import { VrrpTransport } from '${dist}/linux/vrrp-transport.js';
import { native } from '${dist}/linux/native.js';
import { decodeIpv4Packet, decodeIpv6Advert, encodeIpv4Packet } from '${dist}/vrrp/packet.js';
import { encodeAdvert } from '${dist}/vrrp/advert-codec.js';
import { makeAdvert } from '${dist}/vrrp/advert.js';
import { checkAdvert } from '${dist}/vrrp/receive-checks.js';
import { RejectCounters } from '${dist}/vrrp/reject.js';

const print = (value) => console.log(JSON.stringify(value));
const ifindex = native().ifindex('eth0');
const transports = {
  inet: VrrpTransport.open({ family: 'inet', ifname: 'eth0', ifindex, multicastGroup: '224.0.0.18' }),
  inet6: VrrpTransport.open({ family: 'inet6', ifname: 'eth0', ifindex, multicastGroup: 'ff02::12' }),
};
let expectations = [];
const counters = new RejectCounters();
let received = 0;
let accepted = 0;
let tallyAt;
const senders = new Map();

function judge(arrival) {
  const decoded = arrival.family === 'inet'
    ? decodeIpv4Packet(arrival.packet)
    : decodeIpv6Advert(arrival.payload, { source: arrival.source, hopLimit: arrival.hopLimit });
  if (!decoded.ok) return { family: arrival.family, code: decoded.reject.code, message: decoded.reject.message };
  const { advert, source } = decoded.value;
  const seen = { family: advert.family, source, vrid: advert.vrid, version: advert.version, priority: advert.priority };
  const expected = expectations.find((e) => e.family === advert.family && e.vrid === advert.vrid) ?? expectations[0];
  if (expected === undefined) return seen;
  const verdict = checkAdvert(decoded.value, expected);
  return verdict.ok ? seen : { ...seen, code: verdict.reject.code, message: verdict.reject.message };
}

for (const transport of Object.values(transports)) {
  transport.on('arrival', (arrival) => {
    received++;
    const seen = judge(arrival);
    if (seen.code === undefined) accepted++;
    else counters.add(seen.code);
    print({ seen });
    if (tallyAt !== undefined && received >= tallyAt) {
      tallyAt = undefined;
      print({ received, accepted, counts: counters.snapshot() });
    }
  });
}

function packetFor({ config, priority, destination, source }) {
  const advert = makeAdvert(config, priority);
  return config.family === 'inet'
    ? Buffer.from(encodeIpv4Packet(advert, { source, destination }))
    : Buffer.from(encodeAdvert(advert, { source: '::', destination }));
}

createInterface({ input: process.stdin }).on('line', async (line) => {
  const command = JSON.parse(line);
  if (command.expect) {
    expectations = command.expect;
    print('expecting');
  } else if (command.advertise) {
    const a = command.advertise;
    clearInterval(senders.get(a.id));
    const packet = packetFor(a);
    const send = () => transports[a.config.family].send(packet, a.destination);
    await send();
    if (a.intervalMs > 0) senders.set(a.id, setInterval(send, a.intervalMs));
    print({ advertising: a.id });
  } else if (command.silence) {
    clearInterval(senders.get(command.silence));
    senders.delete(command.silence);
  } else if (command.raw) {
    for (const { hex, to } of command.raw) await transports.inet.send(Buffer.from(hex, 'hex'), to);
    print({ sent: command.raw.length });
  } else if (command.tally !== undefined) {
    if (received >= command.tally) print({ received, accepted, counts: counters.snapshot() });
    else tallyAt = command.tally;
  }
}).on('close', () => process.exit(0));
print('ready');
`;
