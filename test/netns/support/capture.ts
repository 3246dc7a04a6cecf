import { resolve } from 'node:path';
import { nodeInNs, type NodeChild } from './child.js';

/** A VRRP advert heard on the wire: who sent it, for which router, and what it carried. */
export interface HeardAdvert {
  readonly kind: 'advert';
  /** performance.now() in the capturing process, ms. */
  readonly at: number;
  readonly source: string;
  readonly vrid: number;
  readonly priority: number;
  readonly addresses: readonly string[];
}

/** An ARP frame heard on the wire; a gratuitous one has `spa === tpa`. */
export interface HeardArp {
  readonly kind: 'arp';
  readonly at: number;
  readonly op: number;
  /** Sender hardware address, `02:00:...`. */
  readonly sha: string;
  readonly spa: string;
  readonly tpa: string;
}

export type Heard = HeardAdvert | HeardArp;

const dist = resolve('dist');

/**
 * Two AF_PACKET sockets (ETH_P_IP and ETH_P_ARP) on every interface of the namespace: they see
 * each frame that reaches the namespace whether or not anything there listens for it, so a
 * Backup's namespace shows the Master's adverts as the Backup's socket receives them. Adverts are
 * decoded with our own packet decoder; anything it rejects is not VRRP to us and is left out.
 */
const SCRIPT = `
import { native } from '${dist}/linux/native.js';
import { decodeIpv4Packet } from '${dist}/vrrp/packet.js';
const n = native();
const ip = n.socket(17, 2, 0x0008); // AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP)
const arp = n.socket(17, 2, 0x0608); // htons(ETH_P_ARP)
const say = (v) => console.log(JSON.stringify(v));
n.startReceiving(ip, (data) => {
  if (data[9] !== 112) return;
  const d = decodeIpv4Packet(data);
  if (!d.ok) return;
  const a = d.value.advert;
  say({ kind: 'advert', at: performance.now(), source: d.value.source, vrid: a.vrid, priority: a.priority, addresses: a.addresses });
});
const dotted = (b) => [...b].join('.');
n.startReceiving(arp, (data) => {
  say({ kind: 'arp', at: performance.now(), op: data.readUInt16BE(6), sha: [...data.subarray(8, 14)].map((x) => x.toString(16).padStart(2, '0')).join(':'), spa: dotted(data.subarray(14, 18)), tpa: dotted(data.subarray(24, 28)) });
});
// each line on stdin is answered with 'mark' once everything heard before it has been printed
process.stdin.on('data', () => say('mark'));
say('ready');
`;

/** What reaches a namespace's interfaces: VRRP adverts and ARP, in order, with times. */
export class LanCapture {
  private constructor(private readonly child: NodeChild) {}

  static async start(ns: string): Promise<LanCapture> {
    const child = nodeInNs(ns, SCRIPT);
    await child.until((v) => v === 'ready', 20_000);
    return new LanCapture(child);
  }

  /** Everything heard since the last call (or the start), up to now. */
  async drain(timeoutMs = 10_000): Promise<Heard[]> {
    const heard: Heard[] = [];
    this.child.write('mark\n');
    await this.child.until((v) => {
      if (v === 'mark') return true;
      heard.push(v as Heard);
      return false;
    }, timeoutMs);
    return heard;
  }

  /** Everything heard from this call on, up to and including the frame `enough` accepts. */
  async until(enough: (h: Heard, heard: readonly Heard[]) => boolean, timeoutMs = 30_000): Promise<Heard[]> {
    const heard: Heard[] = [];
    await this.child.until((v) => {
      if (typeof v !== 'object' || v === null) return false;
      heard.push(v as Heard);
      return enough(v as Heard, heard);
    }, timeoutMs);
    return heard;
  }

  /** Everything heard from this call on, until the `count`th advert from `source`. */
  adverts(source: string, count: number, timeoutMs = 30_000): Promise<Heard[]> {
    let seen = 0;
    return this.until((h) => h.kind === 'advert' && h.source === source && ++seen >= count, timeoutMs);
  }

  stop(): void {
    this.child.kill();
  }
}

/** The largest time between consecutive adverts in `heard` that `from` sent, ms. */
export function largestGap(heard: readonly Heard[], from: string): number {
  const times = heard.filter((h): h is HeardAdvert => h.kind === 'advert' && h.source === from).map((h) => h.at);
  return Math.max(0, ...times.slice(1).map((t, i) => t - times[i]!));
}

/** The addresses that gratuitous ARPs in `heard` announced, one entry per frame. */
export function garps(heard: readonly Heard[]): string[] {
  return heard.filter((h): h is HeardArp => h.kind === 'arp' && h.spa === h.tpa).map((h) => h.spa);
}
