import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LanCapture, garps, largestGap, type HeardAdvert } from './support/capture.js';
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
 * Reloads of a pair: an unchanged file disturbs nothing on the wire, a priority change moves
 * mastership only as preemption allows, and VIPs added and removed come and go alone.
 */

const VIP = '10.67.0.100';
const PORT = 8080;
const BIN = resolve('bin/keepalived-ts');
const run = promisify(execFile);
/** advert_int in every file here. */
const ADVERT_INT_MS = 1000;
/** How late an advert may be on this shared 2-core machine and still count as on time: 25 % of advert_int. */
const ADVERT_TOLERANCE_MS = ADVERT_INT_MS / 4;
const VIP_OLD = '10.67.0.101';
const VIP_NEW = '10.67.0.102';
const LB1 = '10.67.0.11';
const LB2 = '10.67.0.12';

const holds = (host: Host) => holdsVip(host, VIP);
const conf = (id: string, priority: number, state: 'MASTER' | 'BACKUP' = 'BACKUP', extra = '', vips = [VIP]) =>
  vrrpConfig({ routerId: id, state, priority, advertInt: ADVERT_INT_MS / 1000, authPass: 'pa55word', vips: vips.map((v) => `${v}/24`), extra });
/** Every state a daemon entered since `since`, in order. */
const transitions = (d: DaemonPeer, since: number) => d.log.slice(since).flatMap((e) => /^\(VI_1\) Entering (\S+) STATE/.exec(e.msg)?.[1] ?? []);

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
  const captures: LanCapture[] = [];

  const capture = async (host: Host) => {
    const c = await LanCapture.start(host.ns);
    captures.push(c);
    return c;
  };
  /**
   * lb1 (150) as Master, then lb2 (`lb2Config`) as its Backup: started one after the other, so
   * that lb2 never wins a start-up race on a loaded machine and the tests begin from one history.
   */
  const pair = async (lb2Config = conf('lb2', 100)) => {
    const a = new DaemonPeer(lb1.ns, conf('lb1', 150));
    running.push(a);
    await a.waitFor(/\(VI_1\) Entering MASTER STATE/, 20_000);
    const b = new DaemonPeer(lb2.ns, lb2Config);
    running.push(b);
    await b.waitFor(/\(VI_1\) Entering BACKUP STATE/, 20_000);
    return { a, b };
  };
  /** Writes `config` as the daemon's file, sends HUP, and returns the `Reload complete` entry. */
  const reload = async (d: DaemonPeer, config: string) => {
    writeFileSync(join(d.dir, 'keepalived.conf'), config);
    const mark = d.mark();
    d.signal('SIGHUP');
    return d.waitFor(/^Reload complete$/, 15_000, mark);
  };

  beforeAll(async () => {
    lan = new Lan(`krl${process.pid % 1000}`);
    lb1 = lan.addHost('lb1', '10.67.0.11/24');
    lb2 = lan.addHost('lb2', '10.67.0.12/24');
    client = lan.addHost('client', '10.67.0.50/24');
    dir = mkdtempSync(join(tmpdir(), `kts-reload-${process.pid}-`));
    servers.push(await nameServer(lb1.ns, 'lb1', PORT), await nameServer(lb2.ns, 'lb2', PORT));
  });
  afterEach(async () => {
    captures.splice(0).forEach((c) => c.stop());
    await Promise.all(running.splice(0).map((d) => d.stop('SIGKILL')));
    for (const h of [lb1, lb2]) for (const v of [VIP, VIP_OLD, VIP_NEW]) if (holdsVip(h, v)) inNs(h.ns, 'ip', ['addr', 'del', `${v}/24`, 'dev', 'eth0']);
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

  it('100 HUPs of an unchanged file at the Master: no probe lost, no state change, no advert late at the Backup', async () => {
    const wire = await capture(lb2);
    const { a, b } = await pair();
    // lb1's two start-up bursts (garp_master_delay 5 s apart) heard, so that any GARP later is a reload's
    await wire.until((_, heard) => garps(heard).length === 10, 20_000);
    const prober = await Prober.start(client.ns, VIP, PORT);
    await new Promise((r) => setTimeout(r, SETTLE_AFTER_GARP_MS));
    const sinceA = a.mark();
    const sinceB = b.mark();
    await wire.drain();
    const started = performance.now();
    for (let i = 0; i < 100; i++) {
      const mark = a.mark();
      a.signal('SIGHUP');
      await a.waitFor(/^Reload complete$/, 15_000, mark);
    }
    const tookMs = performance.now() - started;
    const heard = await wire.drain();
    const report = await prober.finish();
    const adverts = heard.filter((h): h is HeardAdvert => h.kind === 'advert' && h.source === LB1);
    const gap = largestGap(heard, LB1);
    console.log(`100 reloads in ${Math.round(tookMs)} ms: ${adverts.length} adverts at the Backup, the largest gap ${Math.round(gap)} ms`);
    // the gaps between adverts are bounded, and adverts came all along, not only at the ends
    expect(adverts.length).toBeGreaterThanOrEqual(Math.floor(tookMs / (ADVERT_INT_MS + ADVERT_TOLERANCE_MS)));
    expect(gap).toBeLessThan(ADVERT_INT_MS + ADVERT_TOLERANCE_MS);
    expect(adverts.every((h) => h.priority === 150)).toBe(true);
    expect(garps(heard)).toEqual([]);
    expect(report.lost).toEqual([]);
    expect(report.holders.map((h) => h.who)).toEqual(['lb1']);
    expect([...a.log.slice(sinceA), ...b.log.slice(sinceB)].filter((e) => /Entering .* STATE/.test(e.msg))).toEqual([]);
    expect([...a.problems(), ...b.problems()]).toEqual([]);
  }, 180_000);

  it('a priority change by reload moves mastership only as preemption allows: not with nopreempt, at once with preempt, back when the Master lowers its own', async () => {
    const { a, b } = await pair(conf('lb2', 100, 'BACKUP', '    nopreempt\n'));
    const wire = await capture(client);
    let sinceA = a.mark();
    let sinceB = b.mark();

    // nopreempt: a Backup now above the Master leaves it in place. Master_Down_Interval at 200
    // is 3 × advert_int + Skew_Time (< 4 s): five adverts from lb1 after the reload outlast it.
    await reload(b, conf('lb2', 200, 'BACKUP', '    nopreempt\n'));
    let heard = await wire.adverts(LB1, 5);
    expect([transitions(a, sinceA), transitions(b, sinceB)]).toEqual([[], []]);
    expect(holds(lb1)).toBe(true);
    expect(holds(lb2)).toBe(false);

    // preempt (the default) with the same priority: the Backup discards the lower adverts and
    // takes over when its Master_Down_Timer fires; lb1 hears 200 and steps down
    await reload(b, conf('lb2', 200));
    await b.waitFor(/\(VI_1\) Entering MASTER STATE/, 15_000, sinceB);
    await a.waitFor(/\(VI_1\) Entering BACKUP STATE/, 15_000, sinceA);
    heard = await wire.adverts(LB2, 3);
    expect([transitions(a, sinceA), transitions(b, sinceB)]).toEqual([['BACKUP'], ['MASTER']]);
    expect(heard.filter((h) => h.kind === 'advert' && h.source === LB2).every((h) => (h as HeardAdvert).priority === 200)).toBe(true);
    expect(holds(lb2)).toBe(true);
    expect(holds(lb1)).toBe(false);

    // the Master lowers itself below the Backup (150, which preempts): the next adverts carry 50,
    // lb1 discards them and takes over, and lb2 steps down on lb1's first advert
    sinceA = a.mark();
    sinceB = b.mark();
    await reload(b, conf('lb2', 50));
    await a.waitFor(/\(VI_1\) Entering MASTER STATE/, 15_000, sinceA);
    await b.waitFor(/\(VI_1\) Entering BACKUP STATE/, 15_000, sinceB);
    heard = await wire.adverts(LB1, 3);
    expect([transitions(a, sinceA), transitions(b, sinceB)]).toEqual([['MASTER'], ['BACKUP']]);
    expect(heard.some((h) => h.kind === 'advert' && h.source === LB2 && h.priority === 50)).toBe(true);
    expect(holds(lb1)).toBe(true);
    expect(holds(lb2)).toBe(false);
    expect([...a.problems(), ...b.problems()]).toEqual([]);
  }, 120_000);

  it('preempt_delay added by reload: the Backup raised above the Master takes over only after the delay', async () => {
    const { a, b } = await pair();
    const sinceA = a.mark();
    const sinceB = b.mark();
    const DELAY_S = 3;
    // the delay starts with the first lower-priority advert after the reload, and the takeover
    // then needs a Master_Down_Interval without accepted adverts: never before the delay is over
    const done = await reload(b, conf('lb2', 200, 'BACKUP', `    preempt_delay ${DELAY_S}\n`));
    const master = await b.waitFor(/\(VI_1\) Entering MASTER STATE/, 20_000, sinceB);
    await a.waitFor(/\(VI_1\) Entering BACKUP STATE/, 15_000, sinceA);
    expect((master.time as number) - (done.time as number)).toBeGreaterThanOrEqual(DELAY_S * 1000);
    expect([transitions(a, sinceA), transitions(b, sinceB)]).toEqual([['BACKUP'], ['MASTER']]);
    expect([...a.problems(), ...b.problems()]).toEqual([]);
  });

  it('a VIP added and one removed on the Master by reload: on and off the interface when the reload completes, one GARP burst for the new one only, no probe lost to the VIP that stays', async () => {
    // garp_master_repeat 5 and garp_master_delay 5 (the defaults): a burst of five per VIP on
    // becoming Master and a second five seconds later
    const wire = await capture(client);
    const a = new DaemonPeer(lb1.ns, conf('lb1', 150, 'BACKUP', '', [VIP, VIP_OLD]));
    running.push(a);
    await a.waitFor(/\(VI_1\) Entering MASTER STATE/, 20_000);
    // both start-up bursts heard, so that every GARP after the reload is the reload's
    await wire.until((_, heard) => garps(heard).length === 20, 20_000);
    const prober = await Prober.start(client.ns, VIP, PORT);
    await new Promise((r) => setTimeout(r, SETTLE_AFTER_GARP_MS));
    await wire.drain();
    const since = a.mark();
    await reload(a, conf('lb1', 150, 'BACKUP', '', [VIP, VIP_NEW]));
    expect(holdsVip(lb1, VIP_NEW)).toBe(true);
    expect(holdsVip(lb1, VIP_OLD)).toBe(false);
    expect(holds(lb1)).toBe(true);
    // past garp_master_delay: a second burst, if any, would be heard by now
    const heard = await wire.adverts(LB1, 8, 20_000);
    const report = await prober.finish();
    expect(garps(heard)).toEqual(Array(5).fill(VIP_NEW));
    const adverts = heard.filter((h): h is HeardAdvert => h.kind === 'advert' && h.source === LB1);
    expect(adverts.at(-1)?.addresses).toEqual([VIP, VIP_NEW]);
    expect(report.lost).toEqual([]);
    expect(transitions(a, since)).toEqual([]);
    expect(a.problems()).toEqual([]);
  }, 120_000);
});
