import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DaemonPeer } from './director.js';
import { Lan, ip, type Host } from './lan.js';
import type { NodeChild } from './node-in-ns.js';
import { nameServer, Prober, SETTLE_AFTER_GARP_MS, type ProbeReport } from './prober.js';

const PREFIX = 'ktslab';
const VIP = '10.99.0.100';
const PORT = 8080;
const CONF = fileURLToPath(new URL('../../conf/lab/', import.meta.url));
const MASTER = /\(VI_1\) Entering MASTER STATE/;
const BACKUP = /\(VI_1\) Entering BACKUP STATE/;

export interface LabOutput {
  out(text: string): void;
  err(text: string): void;
}

/**
 * `keepalived-ts lab`: two keepalived-ts directors and a client in namespaces on a bridge, from
 * conf/lab/. Shows the election, crashes the Master, then stops the new one with SIGTERM, and
 * prints what a client polling the VIP every 10 ms saw each time.
 */
export async function runLab(args: readonly string[], io: LabOutput): Promise<number> {
  if (process.getuid?.() !== 0) {
    io.err('keepalived-ts lab: needs root (network namespaces, raw sockets)\n');
    return 1;
  }
  const keep = args.includes('--keep');
  removeLeftovers();
  const lan = new Lan(PREFIX);
  const children: NodeChild[] = [];
  const directors: DaemonPeer[] = [];
  const say = (text: string) => io.out(`${text}\n`);
  try {
    const lb1 = lan.addHost('lb1', '10.99.0.11/24');
    const lb2 = lan.addHost('lb2', '10.99.0.12/24');
    const client = lan.addHost('client', '10.99.0.50/24');
    say(`topology: namespaces ${lan.hosts.map((h) => h.ns).join(', ')} on bridge ${PREFIX}-br; VIP ${VIP}, TCP :${PORT} answers with the director's name`);
    children.push(await nameServer(lb1.ns, 'lb1', PORT), await nameServer(lb2.ns, 'lb2', PORT));
    const director = (host: Host) => {
      const d = new DaemonPeer(host.ns, readFileSync(`${CONF}${host.ns.slice(PREFIX.length + 1)}.conf`, 'utf8'));
      directors.push(d);
      return d;
    };

    const t0 = Date.now();
    const a = director(lb1);
    const b = director(lb2);
    await Promise.all([a.waitFor(MASTER), b.waitFor(BACKUP)]);
    say(`election: lb1 (priority 150) MASTER, lb2 (100) BACKUP, ${Date.now() - t0} ms after start (keepalived waits one Master_Down_Interval first)`);

    const arp = watchNeighbour(client, VIP);
    let prober = await Prober.start(client.ns, VIP, PORT);
    await pause(500);
    let since = b.mark();
    const killed = Date.now();
    // the director dies: its daemon, and with it the link (a killed daemon alone leaves the VIP answering)
    await a.stop('SIGKILL');
    ip('netns', 'exec', lb1.ns, 'ip', 'link', 'set', 'eth0', 'down');
    await b.waitFor(MASTER, 10_000, since);
    const tookOver = Date.now() - killed;
    await pause(500);
    let report = await prober.finish();
    const moved = arp.movedTo(lb2.mac, killed);
    say('\nlb1 dies (kill -9 of its daemon, eth0 down):');
    say(`  +${tookOver} ms  lb2 enters MASTER (Master_Down_Interval at priority 100 is 3 x 1 s + 0.61 s = 3609 ms after lb1's last advert)`);
    if (moved !== undefined) say(`  +${moved} ms  the client's ARP entry for ${VIP} points at lb2 (${lb2.mac}): GARP`);
    say(`  client: ${outcome(report)}`);
    ip('netns', 'exec', lb1.ns, 'ip', 'addr', 'flush', 'dev', 'eth0', 'to', `${VIP}/32`);
    ip('netns', 'exec', lb1.ns, 'ip', 'link', 'set', 'eth0', 'up');

    const a2 = director(lb1);
    since = b.mark();
    await Promise.all([a2.waitFor(MASTER), b.waitFor(BACKUP, 10_000, since)]);
    say('\nlb1 back: it preempts lb2 and holds the VIP again');

    prober = await Prober.start(client.ns, VIP, PORT);
    await pause(SETTLE_AFTER_GARP_MS);
    since = b.mark();
    const stopped = Date.now();
    const status = await a2.stop('SIGTERM');
    await b.waitFor(MASTER, 10_000, since);
    const handedOver = Date.now() - stopped;
    await pause(500);
    report = await prober.finish();
    say('\nSIGTERM of the Master (lb1): it sends priority 0 and keeps the VIP until lb2 is heard as Master');
    say(`  lb1 exited ${status}; lb2 MASTER ${handedOver} ms after the signal (Skew_Time at priority 100: 609 ms)`);
    say(`  client: ${outcome(report)}`);
    arp.stop();

    if (keep) {
      say(`\nnamespaces left for exploring; start a director by hand with:`);
      say(`  ip netns exec ${lb1.ns} keepalived-ts -n -l -P -f ${CONF}lb1.conf -p /run/${lb1.ns}.pid`);
      say(`  ip netns exec ${client.ns} ping ${VIP}`);
      say(`clean up with: keepalived-ts lab (it removes what a previous run left), or ip netns del each ${PREFIX}-* namespace`);
    }
    return 0;
  } finally {
    // directors are children of this process: they stop with it, --keep or not
    await Promise.all(directors.map((d) => d.stop('SIGKILL')));
    children.forEach((c) => c.kill());
    if (!keep) lan.destroy();
  }
}

function outcome(report: ProbeReport): string {
  const who = report.holders.map((h) => h.who).join(' -> ');
  return report.lost.length === 0
    ? `${report.sent} probes every 10 ms, none lost; answered by ${who}`
    : `${report.lost.length} of ${report.sent} probes lost (no answer for ${report.longestGapMs} ms); answered by ${who}`;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Namespaces a previous `lab --keep` left behind. */
function removeLeftovers(): void {
  for (const line of ip('netns', 'list').split('\n')) {
    const ns = line.split(' ')[0] ?? '';
    if (ns.startsWith(`${PREFIX}-`)) ip('netns', 'del', ns);
  }
}

/** The client's neighbour entry for `vip` as `ip monitor` reports it, with the time of each change. */
function watchNeighbour(client: Host, vip: string): { movedTo(mac: string, after: number): number | undefined; stop(): void } {
  const monitor = spawn('ip', ['netns', 'exec', client.ns, 'ip', 'monitor', 'neigh'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const changes: { mac: string; at: number }[] = [];
  createInterface({ input: monitor.stdout }).on('line', (line) => {
    const m = new RegExp(`^${vip.replace(/\./g, '\\.')} dev \\S+ lladdr (\\S+)`).exec(line);
    if (m?.[1] !== undefined) changes.push({ mac: m[1], at: Date.now() });
  });
  return {
    movedTo: (mac, after) => {
      const change = changes.find((c) => c.mac === mac && c.at >= after);
      return change === undefined ? undefined : change.at - after;
    },
    stop: () => monitor.kill(),
  };
}
