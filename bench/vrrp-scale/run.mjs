#!/usr/bin/env node
/**
 * bench/vrrp-scale: 1,000 VRRP instances at advert_int 1 (10 interfaces x 100 VRIDs, every one
 * Master), keepalived-ts against Debian's keepalived on the same configuration in the same
 * namespaces, one after the other (issue 14: <= 5 % of one core with every advert on time). For
 * each daemon: CPU time over `--seconds` of steady state, from /proc/<pid>/stat (keepalived: its
 * parent and children summed), as a percentage of one core, and from the capture on the far end
 * of the veth pairs, per router (source address + VRID) the adverts seen and every gap between
 * two of them. A measurement, not a test.
 *
 * "On time" (RFC 5798 §6.4.3 / §6.1): a Backup declares the Master dead after Master_Down_Interval
 * = 3 x Advertisement_Interval + Skew_Time of silence, so a gap under 3 x advert_int (the least
 * Master_Down_Interval of any Backup, skew being >= 0) never causes a failover: that is the bound
 * every advert must meet. How far past advert_int the adverts come is the finer measure, and
 * keepalived's lateness on the same configuration in the same run is the comparison: per router
 * the gap distribution (p50, p99, max) in units of advert_int, then across the routers the median
 * of their p50s, the largest p99 and the largest max; `late` counts routers with any gap over
 * advert_int + 100 ms.
 * Usage: npm run build && sudo node bench/vrrp-scale/run.mjs [--seconds 30] [--warmup 8]
 *        [--interfaces 10] [--vrids 100] [--rounds 1] [--node-flags "..."] [--only keepalived-ts]
 *        [--baseline OTHER/bin/keepalived-ts,...]   (other builds of ours, e.g. main's, in the same turns)
 */
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLOCK_TICKS, cpuTimes, createNamespaces, load, startCapture, startDaemon, stopDaemon } from '../vrrp-start/setup.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
};
const SECONDS = Number(arg('seconds', 30));
const WARMUP = Number(arg('warmup', 8));
const INTERFACES = Number(arg('interfaces', 10));
const VRIDS = Number(arg('vrids', 100));
const ROUNDS = Number(arg('rounds', 1));
const NODE_FLAGS = arg('node-flags', '').split(' ').filter(Boolean);
const ONLY = arg('only', null);
const BASELINES = arg('baseline', '').split(',').filter(Boolean);
const ADVERT_INT_MS = 1000;
const LATE_MS = ADVERT_INT_MS + 100;
/** The least Master_Down_Interval any Backup has (Skew_Time >= 0): a gap this long could cause a failover. */
const FAILOVER_MS = 3 * ADVERT_INT_MS;

/** The q-quantile of sorted numbers (nearest rank). */
function quantile(sorted, q) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** Every instance Master at once: the address owner, one VIP each, advert_int 1. */
function config() {
  const out = ['global_defs {\n    router_id bench-scale\n}'];
  for (let i = 0; i < INTERFACES; i++) {
    for (let v = 1; v <= VRIDS; v++) {
      out.push(`vrrp_instance VI_${i}_${v} {
    state MASTER
    interface eth${i}
    virtual_router_id ${v}
    priority 255
    advert_int 1
    virtual_ipaddress {
        10.78.${i}.${v}/32 dev eth${i}
    }
}`);
    }
  }
  return out.join('\n') + '\n';
}

const work = mkdtempSync(join(tmpdir(), 'kts-vrrp-scale-'));
const conf = join(work, 'keepalived.conf');
writeFileSync(conf, config());
const ns = createNamespaces(`kts-vsc-${process.pid}`, INTERFACES);
const loadBefore = load();
const rows = [];
let capture;
try {
  capture = await startCapture(ns.capture);
  for (let round = 0; round < ROUNDS; round++) {
    const daemons = ['keepalived-ts', ...BASELINES, 'keepalived'];
    const order = round % 2 === 0 ? daemons : daemons.toReversed();
    for (const which of order.filter((w) => ONLY === null || w === ONLY)) {
      const daemon = startDaemon(which, ns.daemon, conf, work, NODE_FLAGS);
      const stopped = daemon.exited.then((e) => {
        throw new Error(`${which} exited (${e.code ?? e.signal}): ${e.stderr()}`);
      });
      await Promise.race([sleep(WARMUP * 1000), stopped]);
      capture.write('reset\n');
      const cpuBefore = cpuTimes(daemon.child.pid);
      const t0 = process.hrtime.bigint();
      await Promise.race([sleep(SECONDS * 1000), stopped]);
      const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpuAfter = cpuTimes(daemon.child.pid);
      const share = (ticks) => (100 * ticks) / CLOCK_TICKS / elapsed;
      capture.write('report\n');
      const { routers } = await capture.until((v) => 'routers' in v, 10_000);
      const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${daemon.child.pid}/status`, 'utf8'))[1]) / 1024;
      await stopDaemon(daemon);
      const perRouter = routers.map((r) => {
        const gaps = [...r.gapsMs].sort((a, b) => a - b);
        return { p50: quantile(gaps, 0.5), p99: quantile(gaps, 0.99), max: gaps.at(-1) ?? NaN };
      });
      const sorted = (f) => perRouter.map(f).sort((a, b) => a - b);
      const all = routers.flatMap((r) => r.gapsMs).sort((a, b) => a - b);
      rows.push({
        which,
        userPercent: share(cpuAfter.user - cpuBefore.user),
        systemPercent: share(cpuAfter.system - cpuBefore.system),
        routers: routers.length,
        adverts: routers.reduce((s, r) => s + r.count, 0),
        expected: INTERFACES * VRIDS * elapsed,
        medianP50: quantile(
          sorted((g) => g.p50),
          0.5,
        ),
        maxP99: sorted((g) => g.p99).at(-1) ?? NaN,
        maxGap: sorted((g) => g.max).at(-1) ?? NaN,
        allP50: quantile(all, 0.5),
        allP99: quantile(all, 0.99),
        late: routers.filter((r) => r.maxGapMs > LATE_MS).length,
        failover: all.filter((g) => g >= FAILOVER_MS).length,
        rss,
        load: load(),
      });
    }
  }
} finally {
  capture?.kill();
  ns.destroy();
  rmSync(work, { recursive: true, force: true });
}

console.log(
  `load average before: ${loadBefore}; after: ${load()}; ${INTERFACES} x ${VRIDS} instances, advert_int 1, warm-up ${WARMUP} s, ${SECONDS} s measured; node ${process.version}${NODE_FLAGS.length ? ` ${NODE_FLAGS.join(' ')}` : ''}`,
);
const inInt = (ms) => (ms / ADVERT_INT_MS).toFixed(3);
console.log(`gaps in units of advert_int (${ADVERT_INT_MS} ms); on time = every gap < 3 x advert_int (RFC 5798 §6.4.3 Master_Down_Interval less its skew): no Backup could take over`);
console.log(
  '| daemon | CPU % of one core (user + system) | load after | routers heard | adverts / expected | per-router gap: median p50, largest p99, largest max | all gaps: p50, p99 | routers with a gap > 1.1 x | gaps >= 3 x (on time?) | RSS (MiB, main process) |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.which} | ${(r.userPercent + r.systemPercent).toFixed(1)} (${r.userPercent.toFixed(1)} + ${r.systemPercent.toFixed(1)}) | ${r.load.split(' ')[0]} | ${r.routers} | ${r.adverts} / ${Math.round(r.expected)} | ${inInt(r.medianP50)}, ${inInt(r.maxP99)}, ${inInt(r.maxGap)} | ${inInt(r.allP50)}, ${inInt(r.allP99)} | ${r.late} | ${r.failover} (${r.failover === 0 && r.routers === INTERFACES * VRIDS ? 'yes' : 'no'}) | ${r.rss.toFixed(1)} |`,
  );
}
