import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonStatus, VrrpStatus } from '../../src/daemon/status.js';
import { requestControl } from '../../src/linux/control-client.js';
import { DaemonPeer } from './support/daemon.js';
import { vrrpConfig } from './support/keepalived.js';
import { Lan, inNs, type Host } from './support/netns.js';

/**
 * Two keepalived-ts directors with their control sockets and metrics: both name the same
 * Master; a crash shows in the survivor's status and metrics within one advert; a hundred
 * status clients and one that never reads do not delay the adverts.
 */

const VIP = '10.64.0.100';

const METRICS = '127.0.0.1:9650';

async function status(path: string): Promise<DaemonStatus> {
  const r = await requestControl(path, { id: 1, command: 'status' });
  if (!r.ok) throw new Error(`status refused: ${r.error.code}`);
  return r.result as DaemonStatus;
}

const vrrp = (s: DaemonStatus): VrrpStatus => s.services['vrrp'] as VrrpStatus;
const vi1 = (s: DaemonStatus) => vrrp(s).instances.find((i) => i.name === 'VI_1');

/** The metrics page as a scraper in the director's namespace sees it. */
const scrape = (host: Host): string => inNs(host.ns, 'curl', ['-sf', `http://${METRICS}/metrics`]);

describe('control socket and metrics on two directors', () => {
  let lan: Lan;
  let lb1: Host;
  let lb2: Host;
  let dir: string;
  const running: DaemonPeer[] = [];
  const start = (host: Host, priority: number, advertInt: number) => {
    const socket = join(dir, `${host.ns}.sock`);
    const config = vrrpConfig({ routerId: host.ns, priority, version: 3, advertInt, vips: [`${VIP}/24`] });
    const d = new DaemonPeer(host.ns, config, undefined, ['--control-socket', socket, '--metrics-listen', METRICS]);
    running.push(d);
    return { d, socket };
  };

  beforeAll(() => {
    lan = new Lan(`kct${process.pid % 1000}`);
    lb1 = lan.addHost('lb1', '10.64.0.11/24');
    lb2 = lan.addHost('lb2', '10.64.0.12/24');
    dir = mkdtempSync(join(tmpdir(), `kts-control-${process.pid}-`));
    chmodSync(dir, 0o755); // so that only the socket's own mode keeps `nobody` out
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((d) => d.stop('SIGKILL')));
    for (const h of [lb1, lb2]) {
      if (inNs(h.ns, 'ip', ['-4', 'addr', 'show', 'dev', 'eth0']).includes(VIP)) inNs(h.ns, 'ip', ['addr', 'del', `${VIP}/24`, 'dev', 'eth0']);
    }
  });
  afterAll(() => {
    lan?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('both name the same Master; after kill -9 the survivor shows the transition and its reason within one advert', async () => {
    const advertMs = 1000;
    const a = start(lb1, 150, advertMs / 1000);
    const b = start(lb2, 100, advertMs / 1000);
    await a.d.waitFor(/\(VI_1\) Entering MASTER STATE/);
    await b.d.waitFor(/\(VI_1\) Entering BACKUP STATE/);

    const [sa, sb] = await Promise.all([status(a.socket), status(b.socket)]);
    expect(vi1(sa)).toMatchObject({ state: 'MASTER', effectivePriority: 150 });
    expect(vi1(sb)).toMatchObject({ state: 'BACKUP', master: { address: '10.64.0.11', priority: 150 } });
    expect(vi1(sa)?.master?.address).toBe(vi1(sb)?.master?.address);
    expect(scrape(lb2)).toContain('keepalived_vrrp_state{iname="VI_1",intf="eth0",vrid="51"} 1\n');

    const since = b.d.mark();
    await a.d.stop('SIGKILL');
    const entered = await b.d.waitFor(/\(VI_1\) Entering MASTER STATE/, 10_000, since);
    const seen = Date.now();
    const after = vi1(await status(b.socket));
    const page = scrape(lb2);
    expect(Date.now() - seen).toBeLessThan(advertMs);
    expect(after).toMatchObject({ state: 'MASTER', lastTransition: { from: 'BACKUP', to: 'MASTER', reason: 'master-down' } });
    expect(Math.abs((after?.lastTransition?.atUnix ?? 0) - (entered.time as number))).toBeLessThan(advertMs);
    expect(page).toContain('keepalived_vrrp_state{iname="VI_1",intf="eth0",vrid="51"} 2\n');
    expect(page).toMatch(/^keepalived_vrrp_last_transition_timestamp_seconds\{iname="VI_1",intf="eth0",vrid="51"\} \d+/m);
  });

  it('a hundred status clients and one that never reads delay no advert enough to matter: the backup never takes over', async () => {
    // 0.25 s: short enough that a delayed advert shows, long enough that this shared 2-core machine's own stalls do not flap the pair
    const advertMs = 250;
    const a = start(lb1, 150, advertMs / 1000);
    const b = start(lb2, 100, advertMs / 1000);
    await a.d.waitFor(/\(VI_1\) Entering MASTER STATE/);
    await b.d.waitFor(/\(VI_1\) Entering BACKUP STATE/);
    // lateness is counted from start-up, whose first timers a loaded machine may already fire late
    const first = vrrp(await status(a.socket)).timerLateness;
    await new Promise((r) => setTimeout(r, 3000)); // an idle window to compare the loaded one with
    const before = vrrp(await status(a.socket)).timerLateness;
    const sinceB = b.d.mark();

    const hog = connect(a.socket);
    hog.pause();
    hog.on('error', () => undefined);
    await new Promise((resolve) => hog.once('connect', resolve));
    hog.write('{"command":"status"}\n'.repeat(20_000));
    const until = Date.now() + 3000;
    let answered = 0;
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        while (Date.now() < until) {
          const r = await requestControl(a.socket, { id: 1, command: 'status' });
          if (r.ok) answered++;
        }
      }),
    );
    hog.destroy();
    const s = await status(a.socket);
    expect(answered).toBeGreaterThan(100);
    expect(vi1(s)?.state).toBe('MASTER');
    // an advert 2 intervals + Skew_Time (~0.65 s) late would have made lb2 take over
    expect(b.d.log.slice(sinceB).filter((e) => e.state !== undefined)).toEqual([]);
    const after = vrrp(s).timerLateness;
    const windowMean = (x: typeof first, y: typeof first) => (y.fired * y.meanLateMs - x.fired * x.meanLateMs) / Math.max(1, y.fired - x.fired);
    const idle = windowMean(first, before);
    const loaded = windowMean(before, after);
    console.log(`timers: 3 s idle mean ${idle.toFixed(1)} ms late, 3 s loaded mean ${loaded.toFixed(1)} ms late, max ever ${after.maxLateMs} ms; ${answered} status answers`);
    // on average no more than half an interval later than without clients (the max is the machine's: other jobs share its 2 cores)
    expect(loaded).toBeLessThan(idle + advertMs / 2);
  });

  it('refuses the socket to a user other than root', async () => {
    const a = start(lb1, 150, 1);
    await a.d.waitFor(/\(VI_1\) Entering (MASTER|BACKUP) STATE/);
    const script = `require('net').connect(${JSON.stringify(a.socket)}).on('connect', () => { console.log('CONNECTED'); process.exit(0) }).on('error', (e) => { console.log(e.code); process.exit(0) })`;
    const child = spawn(process.execPath, ['-e', script], { uid: 65534, gid: 65534 });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((resolve) => child.once('exit', resolve));
    expect(out.trim()).toBe('EACCES');
  });
});
