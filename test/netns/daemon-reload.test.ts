import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NodeChild } from './support/child.js';
import { DaemonPeer } from './support/daemon.js';
import { vrrpConfig } from './support/keepalived.js';
import { Lan, inNs, type Host } from './support/netns.js';
import { nameServer, Prober, SETTLE_AFTER_GARP_MS } from './support/prober.js';
import { holds as holdsVip } from './support/vip.js';

/**
 * Reload (issue 11) through the real command in network namespaces: a HUP of a file with an
 * error leaves the Master running and says where the error is, in the log, to systemd (a
 * stand-in NOTIFY_SOCKET) and to `keepalived-ts reload`; the dry-run asks the running daemon.
 */

const VIP = '10.67.0.100';
const PORT = 8080;
const BIN = resolve('bin/keepalived-ts');
const run = promisify(execFile);

const holds = (host: Host) => holdsVip(host, VIP);
const conf = (id: string, priority: number, state: 'MASTER' | 'BACKUP' = 'BACKUP') => vrrpConfig({ routerId: id, state, priority, advertInt: 1, authPass: 'pa55word', vips: [`${VIP}/24`] });

/** Stands in for systemd's end of NOTIFY_SOCKET: every datagram the daemon sends, in order. */
class NotifyListener {
  readonly messages: string[] = [];
  private readonly waiters: (() => void)[] = [];
  private constructor(
    readonly path: string,
    private readonly child: ChildProcess,
  ) {}

  static async open(dir: string): Promise<NotifyListener> {
    const path = join(dir, 'notify');
    // Node cannot receive Unix datagrams; python3 prints each one as a JSON string
    const child = spawn('python3', [
      '-c',
      'import socket,sys,json\ns=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind(sys.argv[1])\nprint(json.dumps("ready"),flush=True)\nwhile True: print(json.dumps(s.recv(65536).decode()),flush=True)',
      path,
    ]);
    const listener = new NotifyListener(path, child);
    const ready = new Promise<void>((done) => listener.waiters.push(done));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const text = JSON.parse(line) as string;
      if (text !== 'ready') listener.messages.push(text);
      for (const w of listener.waiters.splice(0)) w();
    });
    await ready;
    return listener;
  }

  /** Resolves with the index of the first message from `from` on that `match` accepts. */
  async until(match: (m: string) => boolean, from = 0): Promise<number> {
    for (;;) {
      const at = this.messages.findIndex((m, i) => i >= from && match(m));
      if (at >= 0) return at;
      await new Promise<void>((done) => this.waiters.push(done));
    }
  }

  close(): void {
    this.child.kill();
  }
}

describe('keepalived-ts reload', () => {
  let lan: Lan;
  let lb1: Host;
  let lb2: Host;
  let client: Host;
  let dir: string;
  const servers: NodeChild[] = [];
  const running: DaemonPeer[] = [];

  beforeAll(async () => {
    lan = new Lan(`krl${process.pid % 1000}`);
    lb1 = lan.addHost('lb1', '10.67.0.11/24');
    lb2 = lan.addHost('lb2', '10.67.0.12/24');
    client = lan.addHost('client', '10.67.0.50/24');
    dir = mkdtempSync(join(tmpdir(), `kts-reload-${process.pid}-`));
    servers.push(await nameServer(lb1.ns, 'lb1', PORT), await nameServer(lb2.ns, 'lb2', PORT));
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((d) => d.stop('SIGKILL')));
    for (const h of [lb1, lb2]) if (holds(h)) inNs(h.ns, 'ip', ['addr', 'del', `${VIP}/24`, 'dev', 'eth0']);
  });
  afterAll(() => {
    servers.forEach((s) => s.kill());
    lan?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a HUP of a file with an error leaves the Master as it is, logs the error as FILE:LINE:COL, and tells systemd RELOADING, READY and why', async () => {
    const notify = await NotifyListener.open(dir);
    try {
      const d = new DaemonPeer(lb1.ns, conf('lb1', 150, 'MASTER'), undefined, [], { ...process.env, NOTIFY_SOCKET: notify.path });
      running.push(d);
      await d.waitFor(/\(VI_1\) Entering MASTER STATE/, 20_000);
      const ready = await notify.until((m) => m === 'READY=1');
      const broken = conf('lb1', 150, 'MASTER').replace('priority 150', 'priority banana');
      const line = broken.split('\n').findIndex((l) => l.includes('banana')) + 1;
      writeFileSync(join(d.dir, 'keepalived.conf'), broken);
      const since = d.mark();
      d.signal('SIGHUP');
      await d.waitFor(/^Reload refused: 1 error\(s\) in .*keepalived\.conf; the running configuration is kept$/, 15_000, since);
      const located = d.log.slice(since).find((e) => e.level === 50 && typeof e.at === 'string');
      expect(located).toMatchObject({ at: `${d.dir}/keepalived.conf:${line}:14`, msg: `${d.dir}/keepalived.conf:${line}:14: error: 'priority' expects an integer, not 'banana' [priority]` });
      expect(d.log.slice(since).filter((e) => /Entering .* STATE/.test(e.msg))).toEqual([]);
      expect(holds(lb1)).toBe(true);

      const reloading = await notify.until((m) => m.startsWith('RELOADING=1'), ready);
      expect(notify.messages[reloading]).toMatch(/^RELOADING=1\nMONOTONIC_USEC=\d+$/);
      const readyAgain = await notify.until((m) => m === 'READY=1', reloading);
      const status = await notify.until((m) => m.startsWith('STATUS='), readyAgain);
      expect(notify.messages[status]).toBe(`STATUS=VI_1 MASTER; last reload not applied (1 error(s)), running configuration kept: ${located?.msg as string}`);
      expect(await d.stop('SIGTERM')).toBe(0);
    } finally {
      notify.close();
    }
  });

  it('`keepalived-ts reload` waits for the daemon and exits 1 with the located error; --dry-run says the file would be refused, or what it would change', async () => {
    const d = new DaemonPeer(lb1.ns, conf('lb1', 150, 'MASTER'));
    running.push(d);
    await d.waitFor(/\(VI_1\) Entering MASTER STATE/, 20_000);
    const socket = join(d.dir, 'control.sock');
    const ask = (...args: string[]) =>
      run(process.execPath, [BIN, 'reload', ...args, '--control-socket', socket]).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    writeFileSync(join(d.dir, 'keepalived.conf'), conf('lb1', 150, 'MASTER').replace('priority 150', 'priority banana'));
    const preview = await ask('--dry-run');
    expect(preview).toMatchObject({ code: 1, stdout: '' });
    expect(preview.stderr).toMatch(/would be refused: 1 error\(s\); nothing would change\n {2}.*keepalived\.conf:\d+:14: error: 'priority' expects an integer/);
    const since = d.mark();
    const refused = await ask();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Reload refused: 1 error\(s\) in .*keepalived\.conf; the running configuration is kept\n {2}.*keepalived\.conf:\d+:14: error: /);
    // the command returned after the daemon had finished: its log already says so
    expect(d.log.slice(since).some((e) => e.msg.startsWith('Reload refused'))).toBe(true);
    expect(holds(lb1)).toBe(true);

    writeFileSync(join(d.dir, 'keepalived.conf'), conf('lb1', 140, 'MASTER'));
    const fine = await ask('--dry-run');
    expect(fine.code).toBe(0);
    expect(fine.stdout).toMatch(/^A reload of .*keepalived\.conf would change:\nvrrp: 0 started, 0 stopped, 1 changed, 0 unchanged\n {2}~ VI_1: priority/);
    // nothing was applied by the dry-run
    expect(d.log.slice(since).filter((e) => e.msg === 'Reloading ...')).toHaveLength(1);
  });

  it('100 HUPs of an unchanged file at the Master: no probe lost, no state change', async () => {
    const a = new DaemonPeer(lb1.ns, conf('lb1', 150));
    const b = new DaemonPeer(lb2.ns, conf('lb2', 100));
    running.push(a, b);
    await a.waitFor(/\(VI_1\) Entering MASTER STATE/, 20_000);
    await b.waitFor(/\(VI_1\) Entering BACKUP STATE/, 20_000);
    const prober = await Prober.start(client.ns, VIP, PORT);
    await new Promise((r) => setTimeout(r, SETTLE_AFTER_GARP_MS));
    const sinceA = a.mark();
    const sinceB = b.mark();
    for (let i = 0; i < 100; i++) {
      const mark = a.mark();
      a.signal('SIGHUP');
      await a.waitFor(/^Reload complete$/, 15_000, mark);
    }
    const report = await prober.finish();
    expect(report.lost).toEqual([]);
    expect(report.holders.map((h) => h.who)).toEqual(['lb1']);
    expect([...a.log.slice(sinceA), ...b.log.slice(sinceB)].filter((e) => /Entering .* STATE/.test(e.msg))).toEqual([]);
    expect([...a.problems(), ...b.problems()]).toEqual([]);
  });
});
