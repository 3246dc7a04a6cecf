import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeAdvert, VRRP_GROUP_IPV4 } from '../../src/vrrp/advert.js';
import { IPV4_HEADER_LENGTH } from '../../src/vrrp/ipv4-header.js';
import { encodeIpv4Packet } from '../../src/vrrp/packet.js';
import type { NodeChild } from './support/child.js';
import { DaemonPeer } from './support/daemon.js';
import { vrrpConfig } from './support/keepalived.js';
import { Lan, inNs, type Host } from './support/netns.js';
import { nameServer, Prober, SETTLE_AFTER_GARP_MS } from './support/prober.js';
import { VrrpEndpoint } from './support/vrrp-endpoint.js';
import { clientSees as seenMac, holds as holdsVip, tcpAnswer as answer } from './support/vip.js';

/** Two keepalived-ts directors and a client on one LAN; each test starts the daemons it needs. */

const VIP = '10.63.0.100';
const PORT = 8080;

const holds = (host: Host) => holdsVip(host, VIP);
const clientSees = (client: Host) => seenMac(client, VIP);
const tcpAnswer = (client: Host) => answer(client, VIP, PORT);

describe('two keepalived-ts directors', () => {
  let lan: Lan;
  let lb1: Host;
  let lb2: Host;
  let client: Host;
  const servers: NodeChild[] = [];
  const running: DaemonPeer[] = [];
  const start = (host: Host, config: string) => {
    const d = new DaemonPeer(host.ns, config);
    running.push(d);
    return d;
  };

  beforeAll(async () => {
    lan = new Lan(`kvd${process.pid % 1000}`);
    lb1 = lan.addHost('lb1', '10.63.0.11/24');
    lb2 = lan.addHost('lb2', '10.63.0.12/24');
    client = lan.addHost('client', '10.63.0.50/24');
    servers.push(await nameServer(lb1.ns, 'lb1', PORT), await nameServer(lb2.ns, 'lb2', PORT));
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((d) => d.stop('SIGKILL')));
    for (const h of [lb1, lb2]) {
      if (holds(h)) inNs(h.ns, 'ip', ['addr', 'del', `${VIP}/24`, 'dev', 'eth0']);
    }
  });
  afterAll(() => {
    servers.forEach((s) => s.kill());
    lan?.destroy();
  });

  const conf = (id: string, priority: number, extra: Partial<Parameters<typeof vrrpConfig>[0]> = {}) =>
    vrrpConfig({ routerId: id, priority, advertInt: 1, authPass: 'pa55word', vips: [`${VIP}/24`], ...extra });

  it('elects the higher priority, moves the VIP and the client ARP entry on kill -9, preempts back, and hands over on SIGTERM losing no 10 ms probe', async () => {
    const a = start(lb1, conf('lb1', 150));
    const b = start(lb2, conf('lb2', 100));
    await a.waitFor(/\(VI_1\) Entering MASTER STATE/);
    await b.waitFor(/\(VI_1\) Entering BACKUP STATE/);
    expect(holds(lb1)).toBe(true);
    expect(holds(lb2)).toBe(false);
    expect(tcpAnswer(client)).toBe('lb1');
    expect(clientSees(client)).toBe(lb1.mac);

    // a crash: the backup takes over after Master_Down_Interval, and its GARP moves the client
    const sinceB = b.mark();
    await a.stop('SIGKILL');
    const killed = Date.now();
    await b.waitFor(/\(VI_1\) Entering MASTER STATE/, 10_000, sinceB);
    const failoverMs = Date.now() - killed;
    expect(failoverMs).toBeGreaterThan(2500);
    expect(failoverMs).toBeLessThan(5000);
    expect(holds(lb2)).toBe(true);
    expect(clientSees(client)).toBe(lb2.mac);
    expect(tcpAnswer(client)).toBe('lb2');
    // the crashed daemon left its VIP behind, as a crashed keepalived does; its restart takes it over
    inNs(lb1.ns, 'ip', ['addr', 'del', `${VIP}/24`, 'dev', 'eth0']);

    // preemption: the higher priority comes back and takes the VIP
    const a2 = start(lb1, conf('lb1', 150));
    const sinceB2 = b.mark();
    await a2.waitFor(/\(VI_1\) Entering MASTER STATE/);
    await b.waitFor(/\(VI_1\) Entering BACKUP STATE/, 10_000, sinceB2);
    expect(holds(lb2)).toBe(false);
    expect(clientSees(client)).toBe(lb1.mac);

    // a planned stop: priority 0, the VIP kept until lb2 is heard as master
    const prober = await Prober.start(client.ns, VIP, PORT);
    await new Promise((r) => setTimeout(r, SETTLE_AFTER_GARP_MS));
    const sinceB3 = b.mark();
    expect(await a2.stop('SIGTERM')).toBe(0);
    await b.waitFor(/\(VI_1\) Entering MASTER STATE/, 5000, sinceB3);
    await new Promise((r) => setTimeout(r, 300));
    const report = await prober.finish();
    expect(report.holders.map((h) => h.who)).toEqual(['lb1', 'lb2']);
    expect(report.sent).toBeGreaterThan(40);
    expect(report.lost).toEqual([]);
    expect(report.answered).toBe(report.sent);
    expect(holds(lb1)).toBe(false);
    expect(a2.log.some((e) => e.msg === '(VI_1) Entering STOP STATE' && e.reason === 'successor-heard')).toBe(true);
    expect([...a.problems(), ...a2.problems(), ...b.problems()]).toEqual([]);
  });

  it('with mismatched PASS authentication forms no adjacency: both become MASTER, drops counted as auth-mismatch', async () => {
    const a = start(lb1, conf('lb1', 150));
    const b = start(lb2, conf('lb2', 100, { authPass: 'other' }));
    await a.waitFor(/\(VI_1\) Entering MASTER STATE/);
    await b.waitFor(/\(VI_1\) Entering MASTER STATE/);
    const drop = await a.waitFor((e) => e.reason === 'auth-mismatch');
    expect(drop).toMatchObject({ level: 20, instance: 'VI_1', reason: 'auth-mismatch' });
    expect(drop.msg).toContain("wrong password 'other'");
  });

  const fast = (id: string, priority: number, extra = '', state: 'MASTER' | 'BACKUP' = 'BACKUP') =>
    vrrpConfig({ routerId: id, priority, version: 3, advertInt: 0.1, vips: [`${VIP}/24`], state, extra });

  it('nopreempt: a higher priority that comes later stays BACKUP until the master fails', async () => {
    const b = start(lb2, fast('lb2', 100, '    nopreempt\n'));
    await b.waitFor(/\(VI_1\) Entering MASTER STATE/);
    const a = start(lb1, fast('lb1', 150, '    nopreempt\n'));
    await a.waitFor(/\(VI_1\) Entering BACKUP STATE/);
    // Master_Down_Interval is 0.34 s here: a preempting lb1 would have taken over three times over
    await new Promise((r) => setTimeout(r, 1000));
    expect(a.log.some((e) => e.state === 'MASTER')).toBe(false);
    expect(holds(lb2)).toBe(true);
    const since = a.mark();
    await b.stop('SIGKILL');
    await a.waitFor(/\(VI_1\) Entering MASTER STATE/, 5000, since);
  });

  it('preempt_delay: a higher priority that comes later stays BACKUP for the delay, then takes over', async () => {
    const b = start(lb2, fast('lb2', 100));
    await b.waitFor(/\(VI_1\) Entering MASTER STATE/);
    const sinceB = b.mark();
    const a = start(lb1, fast('lb1', 150, '    preempt_delay 1\n'));
    const backup = await a.waitFor(/\(VI_1\) Entering BACKUP STATE/);
    // without the delay lb1 would preempt after Master_Down_Interval (0.34 s here)
    const master = await a.waitFor(/\(VI_1\) Entering MASTER STATE/, 8000);
    const yielded = await b.waitFor(/\(VI_1\) Entering BACKUP STATE/, 5000, sinceB);
    expect((master.time as number) - (backup.time as number)).toBeGreaterThanOrEqual(1000);
    // lb1's first advert as MASTER may reach lb2 before lb1 has logged its own transition
    expect((yielded.time as number) - (backup.time as number)).toBeGreaterThanOrEqual(1000);
    expect(b.log.slice(sinceB, b.log.indexOf(yielded)).some((e) => e.state !== undefined)).toBe(false);
    expect(holds(lb1)).toBe(true);
  });

  it('virtual_routes and virtual_rules follow MASTER: installed after the VIP, removed on leaving MASTER and on stop, nobody else\'s touched', async () => {
    const extra = `    virtual_routes {
        10.98.0.0/16 dev eth0 src ${VIP}
        default via 10.63.0.1 table 4242
    }
    virtual_rules {
        from ${VIP} table 4242 priority 4242
    }
`;
    // what we hold, as `ip` prints it; the source route can only exist once the VIP does
    const ours = [`10.98.0.0/16 dev eth0 scope link src ${VIP}`, 'default via 10.63.0.1 dev eth0 table 4242', `4242:\tfrom ${VIP} lookup 4242`];
    const installed = (h: Host) =>
      [...inNs(h.ns, 'ip', ['-4', 'route', 'show', 'table', 'all']).split('\n'), ...inNs(h.ns, 'ip', ['-4', 'rule', 'show']).split('\n')]
        .map((l) => l.trim().replace(/ proto static/, ''))
        .filter((l) => ours.includes(l))
        .sort();
    const all = [...ours].sort();
    // someone else's route in the same table and rule to the same table: never ours to remove
    inNs(lb1.ns, 'ip', ['route', 'add', '10.97.0.0/16', 'via', '10.63.0.1', 'table', '4242']);
    inNs(lb1.ns, 'ip', ['rule', 'add', 'from', '10.63.0.201', 'table', '4242', 'priority', '4243']);
    const others = () => inNs(lb1.ns, 'ip', ['route', 'show', 'table', '4242']).includes('10.97.0.0/16') && inNs(lb1.ns, 'ip', ['rule', 'show']).includes('from 10.63.0.201 lookup 4242');
    try {
      const a = start(lb1, fast('lb1', 150, extra));
      const b = start(lb2, fast('lb2', 100, extra));
      await a.waitFor(/\(VI_1\) Entering MASTER STATE/);
      await b.waitFor(/\(VI_1\) Entering BACKUP STATE/);
      expect(installed(lb1)).toEqual(all);
      expect(installed(lb2)).toEqual([]);

      // SIGTERM: the backup takes over and installs them; the stopped master removed its own
      let since = b.mark();
      expect(await a.stop('SIGTERM')).toBe(0);
      await b.waitFor(/\(VI_1\) Entering MASTER STATE/, 5000, since);
      expect(installed(lb1)).toEqual([]);
      expect(installed(lb2)).toEqual(all);
      expect(others()).toBe(true);

      // preempted back: leaving MASTER removes them (the transition is logged after the removal)
      since = b.mark();
      const a2 = start(lb1, fast('lb1', 150, extra));
      await a2.waitFor(/\(VI_1\) Entering MASTER STATE/);
      await b.waitFor(/\(VI_1\) Entering BACKUP STATE/, 5000, since);
      expect(installed(lb2)).toEqual([]);
      expect(installed(lb1)).toEqual(all);

      expect(await b.stop('SIGTERM')).toBe(0);
      expect(await a2.stop('SIGTERM')).toBe(0);
      expect(installed(lb1)).toEqual([]);
      expect(others()).toBe(true);
      expect([...a.problems(), ...a2.problems(), ...b.problems()]).toEqual([]);
    } finally {
      inNs(lb1.ns, 'ip', ['route', 'flush', 'table', '4242']);
      inNs(lb2.ns, 'ip', ['route', 'flush', 'table', '4242']);
      for (const h of [lb1, lb2]) {
        for (const rule of inNs(h.ns, 'ip', ['rule', 'show']).split('\n').filter((l) => l.includes('lookup 4242'))) {
          inNs(h.ns, 'ip', ['rule', 'del', 'priority', rule.split(':')[0]!]);
        }
      }
    }
  });

  it('track_interface: the tracked link losing carrier puts the master in FAULT and the backup takes over; carrier back, it preempts', async () => {
    inNs(lb1.ns, 'ip', ['link', 'add', 'trk0', 'type', 'veth', 'peer', 'name', 'trk1']);
    inNs(lb1.ns, 'ip', ['link', 'set', 'trk0', 'up']);
    inNs(lb1.ns, 'ip', ['link', 'set', 'trk1', 'up']);
    try {
      const a = start(lb1, fast('lb1', 150, '    track_interface {\n        trk0\n    }\n'));
      const b = start(lb2, fast('lb2', 100));
      await a.waitFor(/\(VI_1\) Entering MASTER STATE/);
      await b.waitFor(/\(VI_1\) Entering BACKUP STATE/);
      let sinceA = a.mark();
      let sinceB = b.mark();
      inNs(lb1.ns, 'ip', ['link', 'set', 'trk1', 'down']);
      expect(await a.waitFor(/\(VI_1\) Entering FAULT STATE/, 5000, sinceA)).toMatchObject({ state: 'FAULT', reason: 'tracker-fault' });
      await b.waitFor(/\(VI_1\) Entering MASTER STATE/, 5000, sinceB);
      expect(holds(lb1)).toBe(false);
      sinceA = a.mark();
      sinceB = b.mark();
      inNs(lb1.ns, 'ip', ['link', 'set', 'trk1', 'up']);
      await a.waitFor(/\(VI_1\) Entering MASTER STATE/, 5000, sinceA);
      await b.waitFor(/\(VI_1\) Entering BACKUP STATE/, 5000, sinceB);
    } finally {
      inNs(lb1.ns, 'ip', ['link', 'del', 'trk0']);
    }
  });

  it('sync group: a fault in one member moves both VIPs to the other director together', async () => {
    const VIP2 = '10.63.0.101';
    const pairConfig = (id: string, priority: number, track: string) => `global_defs {
    router_id ${id}
}
vrrp_sync_group G {
    group {
        VI_1
        VI_2
    }
}
${[1, 2].map((n) => `vrrp_instance VI_${n} {
    state BACKUP
    interface eth0
    version 3
    virtual_router_id ${50 + n}
    priority ${priority}
    advert_int 0.1
    virtual_ipaddress {
        10.63.0.${99 + n}/24
    }
${n === 1 ? track : ''}}
`).join('')}`;
    inNs(lb1.ns, 'ip', ['link', 'add', 'trk0', 'type', 'veth', 'peer', 'name', 'trk1']);
    inNs(lb1.ns, 'ip', ['link', 'set', 'trk0', 'up']);
    inNs(lb1.ns, 'ip', ['link', 'set', 'trk1', 'up']);
    try {
      const a = start(lb1, pairConfig('lb1', 150, '    track_interface {\n        trk0\n    }\n'));
      const b = start(lb2, pairConfig('lb2', 100, ''));
      await a.waitFor((e) => e.group === 'G' && e.state === 'MASTER');
      await b.waitFor((e) => e.group === 'G' && e.state === 'BACKUP');
      expect([holds(lb1), holdsVip(lb1, VIP2)]).toEqual([true, true]);
      const sinceA = a.mark();
      const sinceB = b.mark();
      inNs(lb1.ns, 'ip', ['link', 'set', 'trk1', 'down']);
      await a.waitFor(/\(VI_2\) Entering FAULT STATE/, 5000, sinceA);
      await b.waitFor((e) => e.group === 'G' && e.state === 'MASTER', 5000, sinceB);
      await b.waitFor(/\(VI_2\) Entering MASTER STATE/, 5000, sinceB);
      expect([holds(lb1), holdsVip(lb1, VIP2), holds(lb2), holdsVip(lb2, VIP2)]).toEqual([false, false, true, true]);
    } finally {
      inNs(lb1.ns, 'ip', ['link', 'del', 'trk0']);
      for (const h of [lb1, lb2]) if (holdsVip(h, '10.63.0.101')) inNs(h.ns, 'ip', ['addr', 'del', '10.63.0.101/24', 'dev', 'eth0']);
    }
  });

  it('vrrp_script weight: a failing check lowers the master below the backup, which takes over; passing again, it preempts back', async () => {
    const flag = join(mkdtempSync(join(tmpdir(), 'kvw-check-')), 'healthy');
    writeFileSync(flag, '');
    const script = `vrrp_script chk {\n    script "/usr/bin/test -f ${flag}"\n    interval 0.2\n    weight -60\n}\n`;
    const a = start(lb1, script + fast('lb1', 150, '    track_script {\n        chk\n    }\n'));
    const b = start(lb2, fast('lb2', 100));
    await a.waitFor(/\(VI_1\) Entering MASTER STATE/);
    await b.waitFor(/\(VI_1\) Entering BACKUP STATE/);
    let sinceA = a.mark();
    rmSync(flag);
    await a.waitFor(/VRRP_Script\(chk\) failed/, 5000, sinceA);
    await a.waitFor(/\(VI_1\) Entering BACKUP STATE/, 5000, sinceA);
    expect(holds(lb2)).toBe(true);
    sinceA = a.mark();
    writeFileSync(flag, '');
    await a.waitFor(/\(VI_1\) Entering MASTER STATE/, 5000, sinceA);
  });

  it('survives random and mutated packets over a real socket, dropping each by reason at debug level', async () => {
    const a = start(lb1, fast('lb1', 150));
    await a.waitFor(/\(VI_1\) Entering MASTER STATE/);
    const sender = await VrrpEndpoint.start(lb2.ns);
    try {
      const valid = encodeIpv4Packet(makeAdvert({ version: 3, family: 'inet', vrid: 51, advertIntervalMs: 100, virtualAddresses: [VIP] }, 200), { source: lb2.address, destination: VRRP_GROUP_IPV4 });
      const header = valid.subarray(0, IPV4_HEADER_LENGTH);
      const message = valid.subarray(IPV4_HEADER_LENGTH);
      const random = fc.sample(fc.uint8Array({ maxLength: 80 }), { seed: 5798, numRuns: 200 });
      const flips = fc.sample(fc.tuple(fc.nat(message.length - 1), fc.integer({ min: 1, max: 255 })), { seed: 9568, numRuns: 200 }).map(([at, xor]) => {
        const copy = Uint8Array.from(message);
        copy[at]! ^= xor;
        return copy;
      });
      const packets = [...random, ...flips].map((m) => {
        const h = Uint8Array.from(header);
        return { hex: Buffer.concat([h, m]).toString('hex'), to: VRRP_GROUP_IPV4 };
      });
      for (let i = 0; i < packets.length; i += 50) await sender.sendRaw(packets.slice(i, i + 50));
      const drops = await a.waitFor((e) => e.msg.startsWith('advert dropped') && e.reason === 'bad-checksum');
      expect(drops.level).toBe(20);
      const reasons = new Set(a.log.filter((e) => e.msg.startsWith('advert dropped')).map((e) => e.reason));
      expect(reasons.size).toBeGreaterThanOrEqual(3);
      // still the master, still sending: a flipped byte never passes for the priority-200 advert
      expect(a.log.filter((e) => e.state !== undefined).map((e) => e.state)).toEqual(['BACKUP', 'MASTER']);
      const since = a.mark();
      expect(await a.stop('SIGTERM')).toBe(0);
      expect(a.log.slice(since).some((e) => e.msg === 'VRRP stopped')).toBe(true);
    } finally {
      await sender.stop();
    }
  });

  it('puts an IPv6 VIP back after a link flap, and survives a flood of 3,000 address notifications', async () => {
    const VIP6 = 'fd63::100';
    const a = start(lb1, vrrpConfig({ routerId: 'lb1', priority: 150, version: 3, advertInt: 0.1, vips: [`${VIP6}/64`] }));
    await a.waitFor(/\(VI_1\) Entering MASTER STATE/);
    expect(holdsVip(lb1, VIP6)).toBe(true);
    let since = a.mark();
    inNs(lb1.ns, 'ip', ['link', 'set', 'eth0', 'down']);
    await a.waitFor(/\(VI_1\) Entering FAULT STATE/, 5000, since);
    inNs(lb1.ns, 'ip', ['link', 'set', 'eth0', 'up']);
    await a.waitFor(/\(VI_1\) Entering MASTER STATE/, 5000, since);
    expect(holdsVip(lb1, VIP6)).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'kvw-flood-'));
    const batch = join(dir, 'addrs.batch');
    writeFileSync(batch, Array.from({ length: 3000 }, (_, i) => `addr add 10.${100 + (i >> 8)}.${i & 255}.1/32 dev lo\n`).join(''));
    since = a.mark();
    inNs(lb1.ns, 'ip', ['-batch', batch]);
    inNs(lb1.ns, 'ip', ['addr', 'flush', 'dev', 'lo', 'scope', 'global']);
    // still alive and still the master: a state line, a drop or a resync would be in its log by now
    const since2 = a.mark();
    await a.waitFor(() => true, 1000, since2).catch(() => undefined);
    expect(a.log.slice(since).filter((e) => e.state !== undefined)).toEqual([]);
    expect(holdsVip(lb1, VIP6)).toBe(true);
    expect(await a.stop('SIGTERM'), a.stderr.join('\n')).toBe(0);
    expect(holdsVip(lb1, VIP6)).toBe(false);
    expect(a.problems().filter((e) => !/netlink notifications lost/.test(e.msg))).toEqual([]);
  });

  it('refuses to start a second copy with the same pid file', async () => {
    const a = start(lb1, fast('lb1', 150));
    await a.waitFor(/VRRP started/);
    const second = new DaemonPeer(lb1.ns, fast('lb1', 150), a.dir);
    expect(await second.exited).toBe(1);
    expect(second.stderr.join('\n')).toMatch(/another daemon \(pid \d+\) holds .*keepalived-ts\.pid/);
    expect(second.log).toEqual([]);
  });

  it('runs notify scripts with keepalived argv and writes its exact FIFO lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kvw-notify-'));
    const record = join(dir, 'argv.log');
    const script = join(dir, 'record.sh');
    const fifo = join(dir, 'notify.fifo');
    writeFileSync(script, `#!/bin/sh\n{ printf 'argv:'; for a in "$@"; do printf '[%s]' "$a"; done; echo; } >> ${record}\n`);
    chmodSync(script, 0o755);
    const extra = `    notify "${script} generic"\n    notify_master "${script} 'to master' x"\n    notify_stop ${script}\n`;
    const config = vrrpConfig({ routerId: 'lb1', priority: 150, advertInt: 1, vips: [`${VIP}/24`], extra }).replace('global_defs {', `global_defs {\n    notify_fifo ${fifo}`);
    const fifoLines = readFifo(lb1.ns, fifo);
    const d = start(lb1, config);
    await d.waitFor(/\(VI_1\) Entering MASTER STATE/);
    await d.waitFor(/notify script .*record.sh done/);
    expect(await d.stop('SIGTERM')).toBe(0);
    expect(await fifoLines).toEqual(['INSTANCE "VI_1" BACKUP 150', 'INSTANCE "VI_1" MASTER 150', 'INSTANCE "VI_1" STOP 150']);
    // the stop scripts ran before the daemon exited; the others may finish in any order
    expect(readFileSync(record, 'utf8').trim().split('\n').sort()).toEqual(
      [
        'argv:[generic][INSTANCE][VI_1][BACKUP][150]',
        'argv:[generic][INSTANCE][VI_1][MASTER][150]',
        'argv:[to master][x]',
        'argv:',
        'argv:[generic][INSTANCE][VI_1][STOP][150]',
      ].sort(),
    );
  });
});

/** Reads the notify FIFO in the namespace until the daemon stops; resolves with its lines. */
function readFifo(ns: string, path: string): Promise<string[]> {
  execFileSync('mkfifo', ['-m', '600', path]);
  const cat = spawn('ip', ['netns', 'exec', ns, 'cat', path], { stdio: ['ignore', 'pipe', 'ignore'] });
  let text = '';
  cat.stdout.on('data', (d: Buffer) => (text += d.toString()));
  return new Promise((resolve) => cat.on('exit', () => resolve(text.split('\n').filter(Boolean))));
}
