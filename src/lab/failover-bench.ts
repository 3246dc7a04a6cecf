import { DaemonPeer } from './director.js';
import { KeepalivedPeer, vrrpConfig } from './keepalived-peer.js';
import { Lan, ip, type Host } from './lan.js';
import type { NodeChild } from './node-in-ns.js';
import { nameServer, Prober, SETTLE_AFTER_GARP_MS } from './prober.js';

/**
 * bench/failover: the same two-director configuration run with two keepalived-ts and with two
 * Debian keepalived, alternating, timing what a client sees when the Master dies (kill -9 and
 * link down) and when it is stopped with SIGTERM. Not a test: it prints a table.
 */

const PREFIX = 'ktsbench';
const VIP = '10.98.0.100';
const PORT = 8080;
const MASTER = /\(VI_1\) Entering MASTER STATE/;
const BACKUP = /\(VI_1\) Entering BACKUP STATE/;

type Implementation = 'keepalived-ts' | 'keepalived';
type Director = DaemonPeer | KeepalivedPeer;

interface Flavour {
  readonly name: string;
  readonly version: 2 | 3;
  readonly advertInt: number;
}

const FLAVOURS: readonly Flavour[] = [
  { name: 'v2 adv 1 s', version: 2, advertInt: 1 },
  { name: 'v3 adv 0.05 s', version: 3, advertInt: 0.05 },
];

interface Sample {
  /** From the event to the Backup logging MASTER. */
  readonly masterMs: number;
  /** The longest time the client had no answer. */
  readonly gapMs: number;
  readonly lost: number;
}

export async function runFailoverBench(rounds: number, out: (line: string) => void): Promise<void> {
  for (const line of ip('netns', 'list').split('\n')) {
    const ns = line.split(' ')[0] ?? '';
    if (ns.startsWith(`${PREFIX}-`)) ip('netns', 'del', ns);
  }
  const lan = new Lan(PREFIX);
  const servers: NodeChild[] = [];
  try {
    const lb1 = lan.addHost('lb1', '10.98.0.11/24');
    const lb2 = lan.addHost('lb2', '10.98.0.12/24');
    const client = lan.addHost('client', '10.98.0.50/24');
    servers.push(await nameServer(lb1.ns, 'lb1', PORT), await nameServer(lb2.ns, 'lb2', PORT));
    const rows: string[] = [];
    for (const flavour of FLAVOURS) {
      const results: Record<Implementation, { kill: Sample[]; term: Sample[] }> = { 'keepalived-ts': { kill: [], term: [] }, keepalived: { kill: [], term: [] } };
      for (let round = 0; round < rounds; round++) {
        for (const impl of ['keepalived-ts', 'keepalived'] as const) {
          results[impl].kill.push(await measure(impl, flavour, lb1, lb2, client, 'kill'));
          results[impl].term.push(await measure(impl, flavour, lb1, lb2, client, 'term'));
          out(`${flavour.name} round ${round + 1} ${impl}: kill ${fmt(results[impl].kill.at(-1)!)}, SIGTERM ${fmt(results[impl].term.at(-1)!)}`);
        }
      }
      for (const impl of ['keepalived-ts', 'keepalived'] as const) {
        const { kill, term } = results[impl];
        rows.push(
          `| ${flavour.name} | ${impl} | ${stat(kill.map((s) => s.masterMs))} | ${stat(kill.map((s) => s.gapMs))} | ${stat(term.map((s) => s.masterMs))} | ${stat(term.map((s) => s.gapMs))} | ${term.reduce((n, s) => n + s.lost, 0)} |`,
        );
      }
    }
    out('');
    out(`${rounds} rounds each, median / max in ms`);
    out('| config | director | kill -9: backup MASTER | kill -9: client without answer | SIGTERM: backup MASTER | SIGTERM: client without answer | SIGTERM: probes lost (all rounds) |');
    out('|---|---|---|---|---|---|---|');
    rows.forEach(out);
  } finally {
    servers.forEach((s) => s.kill());
    lan.destroy();
  }
}

async function measure(impl: Implementation, f: Flavour, lb1: Host, lb2: Host, client: Host, how: 'kill' | 'term'): Promise<Sample> {
  const config = (id: string, priority: number) => vrrpConfig({ routerId: id, priority, version: f.version, advertInt: f.advertInt, vips: [`${VIP}/24`] });
  const start = (host: Host, priority: number): Director => (impl === 'keepalived' ? new KeepalivedPeer(host.ns, config(host.ns, priority)) : new DaemonPeer(host.ns, config(host.ns, priority)));
  const a = start(lb1, 150);
  const b = start(lb2, 100);
  try {
    await Promise.all([a.waitFor(MASTER, 30_000), b.waitFor(BACKUP, 30_000)]);
    const prober = await Prober.start(client.ns, VIP, PORT);
    await new Promise((r) => setTimeout(r, SETTLE_AFTER_GARP_MS));
    const since = b.mark();
    const t0 = Date.now();
    if (how === 'kill') {
      // the director dies: no last advert, no VIP answering any more
      ip('netns', 'exec', lb1.ns, 'ip', 'link', 'set', 'eth0', 'down');
      await a.stop('SIGKILL');
    } else {
      void a.stop('SIGTERM');
    }
    await b.waitFor(MASTER, 30_000, since);
    const masterMs = Date.now() - t0;
    await a.exited;
    await new Promise((r) => setTimeout(r, 300));
    const report = await prober.finish();
    return { masterMs, gapMs: report.longestGapMs, lost: report.lost.length };
  } finally {
    await Promise.all([a.stop('SIGKILL'), b.stop('SIGKILL')]);
    ip('netns', 'exec', lb1.ns, 'ip', 'link', 'set', 'eth0', 'up');
    for (const h of [lb1, lb2]) ip('netns', 'exec', h.ns, 'ip', 'addr', 'flush', 'dev', 'eth0', 'to', `${VIP}/32`);
    // every round starts with a client that has not met the VIP: a stale entry pointing at the
    // last round's Master would outlive the next Master's GARP (locktime)
    ip('netns', 'exec', client.ns, 'ip', 'neigh', 'flush', 'to', VIP);
  }
}

function fmt(s: Sample): string {
  return `MASTER +${s.masterMs} ms, client gap ${s.gapMs} ms (${s.lost} lost)`;
}

function stat(values: readonly number[]): string {
  const sorted = [...values].sort((x, y) => x - y);
  const median = sorted.length === 0 ? NaN : sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  return `${Math.round(median)} / ${sorted.at(-1) ?? NaN}`;
}
