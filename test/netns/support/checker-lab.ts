import { resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { ProbeResult } from '../../../src/check/probe.js';
import type { Checker } from '../../../src/config/model.js';
import { nodeInNs, type NodeChild } from './child.js';
import { Lan, inNs, type Host } from './netns.js';

const dist = (file: string) => JSON.stringify(resolve('dist/linux/probes', file));

/**
 * Servers a checker can see fail in every way: an SMTP responder on TCP 25, a DNS responder on
 * UDP 53 and a UDP echo on 7777, each switched between behaviours by a line on stdin, and the
 * namespace itself for ICMP. `closed` closes the port, so the kernel answers with a RST or an
 * ICMP port unreachable.
 */
const SERVERS = `
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { createInterface } from 'node:readline';
const mode = { smtp: 'ok', dns: 'ok', udp: 'echo' };
let smtp, dns, udp;
const heard = [];
const sources = [];
const source = (address, port) => sources.push(address.replace(/^::ffff:/, '') + ':' + port);
const openSmtp = () => new Promise((r) => {
  smtp = createServer((c) => {
    c.on('error', () => {});
    source(c.remoteAddress, c.remotePort);
    if (mode.smtp === 'close') return c.destroy();
    if (mode.smtp === 'silent') return;
    c.write(mode.smtp === 'bad-banner' ? '554 go away\\r\\n' : '220 rs.test ESMTP\\r\\n');
    let buf = '';
    c.on('data', (d) => {
      buf += d;
      for (let i; (i = buf.indexOf('\\n')) >= 0; buf = buf.slice(i + 1)) {
        const line = buf.slice(0, i).trim();
        heard.push(line);
        if (line.startsWith('HELO')) c.write(mode.smtp === 'bad-helo' ? '501 who\\r\\n' : '250 rs.test\\r\\n');
        else if (line === 'QUIT') c.end('221 bye\\r\\n');
      }
    });
  }).listen(25, '::', r);
});
const openDns = () => new Promise((r) => {
  dns = createSocket('udp6');
  dns.on('message', (q, from) => {
    if (mode.dns === 'silent') return;
    const a = Buffer.from(q);
    const flags = { ok: 0x8180, servfail: 0x8182, refused: 0x8185, query: 0x0100 }[mode.dns] ?? 0x8180;
    if (mode.dns === 'wrong-id') a.writeUInt16BE((a.readUInt16BE(0) + 1) & 0xffff, 0);
    a.writeUInt16BE(flags, 2);
    dns.send(a, from.port, from.address);
  });
  dns.bind(53, '::', r);
});
const openUdp = () => new Promise((r) => {
  udp = createSocket('udp6');
  udp.on('message', (m, from) => {
    heard.push('udp:' + m.toString('hex'));
    source(from.address, from.port);
    if (mode.udp === 'echo') udp.send(m, from.port, from.address);
    else if (mode.udp === 'fixed') udp.send(Buffer.from('4f0aff01', 'hex'), from.port, from.address);
  });
  udp.bind(7777, '::', r);
});
await Promise.all([openSmtp(), openDns(), openUdp()]);
createInterface({ input: process.stdin }).on('line', async (line) => {
  const cmd = JSON.parse(line);
  if (cmd.heard) { console.log(JSON.stringify(heard.splice(0))); return; }
  if (cmd.sources) { console.log(JSON.stringify({ sources: sources.splice(0) })); return; }
  for (const [k, v] of Object.entries(cmd)) {
    const server = { smtp, dns, udp }[k];
    if (v === 'closed') await new Promise((r) => server.close(r));
    else if (mode[k] === 'closed') await { smtp: openSmtp, dns: openDns, udp: openUdp }[k]();
    mode[k] = v === 'open' ? { smtp: 'ok', dns: 'ok', udp: 'echo' }[k] : v;
  }
  console.log(JSON.stringify('set'));
});
console.log(JSON.stringify('ready'));
`;

/** The probers under test in the load balancer's namespace, one probe per stdin line. */
const PROBERS = `
import { createInterface } from 'node:readline';
const { SmtpProber } = await import(${dist('smtp.js')});
const { DnsProber } = await import(${dist('dns.js')});
const { UdpProber } = await import(${dist('udp.js')});
const { PingProber } = await import(${dist('ping.js')});
const { TcpProber } = await import(${dist('tcp.js')});
const probers = { SMTP_CHECK: new SmtpProber(), DNS_CHECK: new DnsProber(), UDP_CHECK: new UdpProber(), PING_CHECK: new PingProber(), TCP_CHECK: new TcpProber() };
createInterface({ input: process.stdin }).on('line', async (line) => {
  const { seq, checker, deadlineMs } = JSON.parse(line);
  const result = await probers[checker.type].probe({ checker, ip: checker.connect_ip, port: checker.connect_port }, deadlineMs, new AbortController().signal);
  console.log(JSON.stringify({ seq, ...result }));
});
console.log(JSON.stringify('ready'));
`;

export const LB_ADDRESS = '10.77.0.1';
export const RS_ADDRESS = '10.77.0.2';
export const LB6_ADDRESS = 'fd77::1';
export const RS6_ADDRESS = 'fd77::2';

/** Two namespaces on a bridge: `lb` runs the probers, `rs` the servers. */
export class CheckerLab {
  private seq = 0;
  private constructor(
    readonly lan: Lan,
    readonly lb: Host,
    readonly rs: Host,
    private readonly servers: NodeChild,
    private readonly probers: NodeChild,
  ) {}

  static async start(prefix: string): Promise<CheckerLab> {
    const lan = new Lan(prefix);
    try {
      const lb = lan.addHost('lb', `${LB_ADDRESS}/24`);
      const rs = lan.addHost('rs', `${RS_ADDRESS}/24`);
      inNs(lb.ns, 'ip', ['-6', 'addr', 'add', `${LB6_ADDRESS}/64`, 'dev', 'eth0', 'nodad']);
      inNs(rs.ns, 'ip', ['-6', 'addr', 'add', `${RS6_ADDRESS}/64`, 'dev', 'eth0', 'nodad']);
      const servers = nodeInNs(rs.ns, SERVERS);
      const probers = nodeInNs(lb.ns, PROBERS);
      await servers.until((v) => v === 'ready', 15_000);
      await probers.until((v) => v === 'ready', 15_000);
      return new CheckerLab(lan, lb, rs, servers, probers);
    } catch (error) {
      lan.destroy();
      throw error;
    }
  }

  /** One probe from the `lb` namespace. */
  async probe(checker: Checker, deadlineMs: number): Promise<ProbeResult> {
    const seq = ++this.seq;
    this.probers.write(`${JSON.stringify({ seq, checker, deadlineMs })}\n`);
    const result = (await this.probers.until((v) => (v as { seq?: number }).seq === seq, deadlineMs + 10_000)) as ProbeResult & { seq: number };
    const { seq: _, ...rest } = result;
    return rest;
  }

  /** Switches servers: `{ smtp: 'bad-banner' }`, `{ udp: 'closed' }`, `{ dns: 'open' }`... */
  async set(modes: Partial<Record<'smtp' | 'dns' | 'udp', string>>): Promise<void> {
    this.servers.write(`${JSON.stringify(modes)}\n`);
    await this.servers.until((v) => v === 'set');
  }

  /** Lines the servers received since the last call (SMTP commands, `udp:<hex>` datagrams). */
  async heard(): Promise<string[]> {
    this.servers.write(`${JSON.stringify({ heard: true })}\n`);
    return (await this.servers.until(Array.isArray)) as string[];
  }

  /** `address:port` of each SMTP connection and UDP datagram the servers got since the last call. */
  async sources(): Promise<string[]> {
    this.servers.write(`${JSON.stringify({ sources: true })}\n`);
    return ((await this.servers.until((v) => typeof v === 'object' && v !== null && 'sources' in v)) as { sources: string[] }).sources;
  }

  /** `ip ...` in a namespace. */
  ip(host: Host, ...args: string[]): string {
    return inNs(host.ns, 'ip', args);
  }

  destroy(): void {
    this.servers.kill();
    this.probers.kill();
    this.lan.destroy();
  }
}

/** A lab for the enclosing describe block: started before its tests, destroyed after. */
export function useCheckerLab(prefix: string): () => CheckerLab {
  let lab: CheckerLab | undefined;
  beforeAll(async () => {
    lab = await CheckerLab.start(`${prefix}${process.pid % 1000}`);
  });
  afterAll(() => lab?.destroy());
  return () => {
    if (!lab) throw new Error('the checker lab did not start');
    return lab;
  };
}
