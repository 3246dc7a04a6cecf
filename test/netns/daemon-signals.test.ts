import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LanCapture, largestGap, type Heard } from './support/capture.js';
import { DaemonPeer } from './support/daemon.js';
import { KeepalivedPeer, vrrpConfig } from './support/keepalived.js';
import { Lan, inNs, type Host } from './support/netns.js';
import { holds } from './support/vip.js';

/**
 * keepalived's signals at a running keepalived-ts Master: every one handled and harmless, the
 * dump files in keepalived 2.2.7's layout (compared with the files keepalived itself writes for
 * the same configuration), no inspector on USR1, and a storm that leaves the Master in place.
 */

/** lb1's address: the source of our Master's adverts. */
const LB1 = '10.64.0.11';
const VIP_OURS = '10.64.0.100';
const VIP_THEIRS = '10.64.0.101';
const ADVERT_INT_MS = 1000;
/** How late an advert may come on this shared, loaded machine before we call it a gap. */
const TOLERANCE_MS = 500;

function config(routerId: string, vrid: number, vip: string, extraGlobal = ''): string {
  const base = vrrpConfig({ routerId, state: 'MASTER', priority: 150, vrid, advertInt: 1, authPass: 'pa55word', vips: [`${vip}/24`], extra: '    track_script {\n        chk\n    }\n' });
  const script = 'vrrp_script chk {\n    script "/bin/true"\n    interval 1\n    weight -20\n}\n';
  return base.replace('}\nvrrp_instance', `${extraGlobal}}\n${script}vrrp_instance`);
}

/** The words before ` = ` or `:` (or the whole line) of each line: the shape the exporters read. */
function keysOf(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const eq = l.indexOf(' = ');
      if (eq >= 0) return l.slice(0, eq);
      const colon = l.indexOf(':');
      return colon >= 0 ? l.slice(0, colon + 1) : l.replace(/[0-9.]+/g, '#');
    });
}

/** The section of a data file between its banner and the next one. */
function section(text: string, banner: string): string {
  const start = text.indexOf(`------< ${banner} >------`);
  if (start < 0) return '';
  const rest = text.slice(start);
  const next = rest.indexOf('------<', 1);
  return next < 0 ? rest : rest.slice(0, next);
}

/** Whether `ours` appears in `theirs` in the same order (lines may be missing, none added or moved). */
function missingFrom(ours: readonly string[], theirs: readonly string[]): { extra: string[]; missing: string[] } {
  const extra: string[] = [];
  let j = 0;
  for (const key of ours) {
    const at = theirs.indexOf(key, j);
    if (at < 0) extra.push(key);
    else j = at + 1;
  }
  return { extra, missing: theirs.filter((k) => !ours.includes(k)) };
}

async function waitForFile(path: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const text = readFileSync(path, 'utf8');
      if (text !== '') return text;
    } catch {
      // not written yet
    }
    if (Date.now() > deadline) throw new Error(`${path} never appeared`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("keepalived's signals at a keepalived-ts Master", () => {
  let lan: Lan;
  let lb1: Host;
  let lb2: Host;
  let mon: Host;
  let ours: DaemonPeer;
  let theirs: KeepalivedPeer;
  let capture: LanCapture;
  const oursDir = mkdtempSync(join(tmpdir(), 'kts-sig-ours-'));
  const theirsDir = mkdtempSync(join(tmpdir(), 'kts-sig-ka-'));

  beforeAll(async () => {
    lan = new Lan(`ksg${process.pid % 1000}`);
    lb1 = lan.addHost('lb1', `${LB1}/24`);
    lb2 = lan.addHost('lb2', '10.64.0.12/24');
    mon = lan.addHost('mon', '10.64.0.50/24');
    capture = await LanCapture.start(mon.ns);
    // ours writes where state_dump_file and friends say; keepalived 2.2.7, which lacks them, where $TMPDIR says
    const files = `    state_dump_file ${oursDir}/keepalived.data\n    stats_dump_file ${oursDir}/keepalived.stats\n    json_dump_file ${oursDir}/keepalived.json\n`;
    ours = new DaemonPeer(lb1.ns, config('lb1', 51, VIP_OURS, files));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = theirsDir;
    try {
      theirs = new KeepalivedPeer(lb2.ns, config('lb2', 52, VIP_THEIRS));
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    await ours.waitFor(/\(VI_1\) Entering MASTER STATE/, 20_000);
    await theirs.waitFor(/\(VI_1\) Entering MASTER STATE/, 20_000);
  });

  afterAll(async () => {
    await ours?.stop('SIGKILL');
    await theirs?.stop('SIGKILL');
    capture?.stop();
    lan?.destroy();
    rmSync(oursDir, { recursive: true, force: true });
    rmSync(theirsDir, { recursive: true, force: true });
  });

  const pidOf = (peer: DaemonPeer | KeepalivedPeer): number => {
    const pid = (peer as unknown as { child: { pid: number } }).child.pid;
    expect(pid).toBeGreaterThan(0);
    return pid;
  };
  /** keepalived's VRRP child: the process that writes the files (the parent only forwards signals). */
  const signal = (pid: number, sig: string) => execFileSync('kill', [`-${sig}`, String(pid)]);

  it('USR1 writes the data file and opens no inspector: nothing listens on 9229', async () => {
    const since = ours.mark();
    signal(pidOf(ours), 'USR1');
    await ours.waitFor(/^Printing VRRP data for process\(\d+\) on signal$/, 10_000, since);
    await waitForFile(`${oursDir}/keepalived.data`);
    expect(inNs(lb1.ns, 'ss', ['-Hltn'])).not.toMatch(/:9229\b/);
    expect(ours.stderr.join('\n')).not.toContain('Debugger listening');
  });

  it("writes its data, stats and JSON files in keepalived 2.2.7's layout and field names, for the same configuration", async () => {
    for (const sig of ['USR1', 'USR2', '36']) {
      signal(pidOf(ours), sig);
      signal(pidOf(theirs), sig);
    }
    const [oursData, oursStats, oursJson] = await Promise.all(['data', 'stats', 'json'].map((k) => waitForFile(`${oursDir}/keepalived.${k}`)));
    const [theirsData, theirsStats, theirsJson] = await Promise.all(['data', 'stats', 'json'].map((k) => waitForFile(`${theirsDir}/keepalived.${k}`)));

    // stats: line for line the same keys, sections and indentation
    expect(keysOf(oursStats!)).toEqual(keysOf(theirsStats!));

    // JSON: the same keys in the same order, in data and in stats
    const [o] = JSON.parse(oursJson!) as { data: object; stats: object }[];
    const [t] = JSON.parse(theirsJson!) as { data: object; stats: object }[];
    expect(Object.keys(o!)).toEqual(Object.keys(t!));
    expect(Object.keys(o!.data)).toEqual(Object.keys(t!.data));
    expect(Object.keys(o!.stats)).toEqual(Object.keys(t!.stats));
    // keepalived's json_writer escapes '/'; so do we
    expect(oursJson).toContain('\\/24');

    // data: each section's lines in keepalived's order; what we leave out is exactly what docs/signals.md lists
    const topology = missingFrom(keysOf(section(oursData!, 'VRRP Topology')), keysOf(section(theirsData!, 'VRRP Topology')));
    expect(topology).toEqual({ extra: [], missing: ['   fd_in #, fd_out #'] });
    const scripts = missingFrom(keysOf(section(oursData!, 'VRRP Scripts')), keysOf(section(theirsData!, 'VRRP Scripts')));
    expect(scripts).toEqual({ extra: [], missing: ['   Result', '   Script uid:gid', '   State'] });
    const global = missingFrom(keysOf(section(oursData!, 'Global definitions')), keysOf(section(theirsData!, 'Global definitions')));
    expect(global.extra).toEqual([]);
    // sections we do not write at all
    expect(oursData).not.toContain('------< Interfaces >------');
    expect(theirsData).toContain('------< Interfaces >------');
  });

  it('63 writes the stats and zeroes them', async () => {
    const stats = `${oursDir}/keepalived.stats`;
    rmSync(stats, { force: true });
    const since = ours.mark();
    signal(pidOf(ours), '63');
    expect(await waitForFile(stats)).toContain('  Became master: 1\n');
    rmSync(stats);
    signal(pidOf(ours), 'USR2');
    expect(await waitForFile(stats)).toContain('  Became master: 0\n');
    // The log line travels through the daemon's stdout, which may arrive after the file is written.
    await ours.waitFor(/^Printing and clearing VRRP stats for process\(\d+\) on signal$/, 10_000, since);
  });

  it('HUP reloads the unchanged file and changes nothing: no state change, the VIP held', async () => {
    const since = ours.mark();
    signal(pidOf(ours), 'HUP');
    await ours.waitFor(/^Reloading \.\.\.$/, 10_000, since);
    await ours.waitFor(/^Reload complete$/, 10_000, since);
    expect(ours.log.slice(since).filter((e) => /Entering .* STATE/.test(e.msg))).toEqual([]);
    expect(holds(lb1, VIP_OURS)).toBe(true);
  });

  it('a storm of 1,000 mixed signals leaves it Master with its VIP, adverts on time, and stoppable', async () => {
    const since = ours.mark();
    await capture.drain();
    const listening = capture.adverts(LB1, 8, 40_000);
    // keepalived's signals, and some it ignores: SIGWINCH, SIGCHLD, SIGURG, SIGCONT
    const mix = ['HUP', 'USR1', 'USR2', '36', '63', 'WINCH', 'CHLD', 'URG', 'CONT'];
    const pid = String(pidOf(ours));
    for (let sent = 0; sent < 1000; sent += 100) {
      const batch = Array.from({ length: 100 }, (_, i) => `kill -${mix[(sent + i) % mix.length]} ${pid}`).join('; ');
      execFileSync('sh', ['-c', batch]);
    }
    let heard: Heard[];
    try {
      heard = await listening;
    } catch (error) {
      throw new Error(
        `${(error as Error).message}\ndaemon log tail:\n${ours.log
          .slice(-15)
          .map((e) => JSON.stringify(e))
          .join('\n')}\nstderr: ${ours.stderr.join('\n')}`,
      );
    }
    const gap = largestGap(heard, LB1);
    console.log(`largest advert gap during and after the storm: ${Math.round(gap)} ms`);
    expect(gap).toBeLessThan(ADVERT_INT_MS + TOLERANCE_MS);
    expect(ours.log.slice(since).filter((e) => e.state !== undefined && e.state !== 'MASTER')).toEqual([]);
    expect(holds(lb1, VIP_OURS)).toBe(true);
    expect(ours.problems().filter((e) => e.level >= 50)).toEqual([]);
    expect(await ours.stop('SIGTERM')).toBe(0);
  }, 120_000);
});
