#!/usr/bin/env node
/**
 * bench/vrrp-scale: 1,000 VRRP instances at advert_int 1 (10 interfaces x 100 VRIDs, every one
 * Master), keepalived-ts against Debian's keepalived on the same configuration in the same
 * namespaces, one after the other (issue 14: <= 5 % of one core with every advert on time). For
 * each daemon: CPU time over `--seconds` of steady state, from /proc/<pid>/stat (keepalived: its
 * parent and children summed), as a percentage of one core, and from the capture on the far end
 * of the veth pairs, per router (source address + VRID) the adverts seen and the largest gap
 * between two. An advert more than 3 x advert_int + Skew_Time after the previous one would let
 * a Backup take over; `late` counts gaps over advert_int + 100 ms. A measurement, not a test.
 * Usage: npm run build && sudo node bench/vrrp-scale/run.mjs [--seconds 30] [--warmup 8]
 *        [--interfaces 10] [--vrids 100] [--rounds 1] [--node-flags "..."] [--only keepalived-ts]
 */
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLOCK_TICKS, cpuTicks, createNamespaces, load, startCapture, startDaemon, stopDaemon } from '../vrrp-start/setup.mjs';

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
const LATE_MS = 1100;

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
    const order = round % 2 === 0 ? ['keepalived-ts', 'keepalived'] : ['keepalived', 'keepalived-ts'];
    for (const which of order.filter((w) => ONLY === null || w === ONLY)) {
      const daemon = startDaemon(which, ns.daemon, conf, work, NODE_FLAGS);
      const stopped = daemon.exited.then((e) => {
        throw new Error(`${which} exited (${e.code ?? e.signal}): ${e.stderr()}`);
      });
      await Promise.race([sleep(WARMUP * 1000), stopped]);
      capture.write('reset\n');
      const cpuBefore = cpuTicks(daemon.child.pid);
      const t0 = process.hrtime.bigint();
      await Promise.race([sleep(SECONDS * 1000), stopped]);
      const cpu = cpuTicks(daemon.child.pid) - cpuBefore;
      const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
      capture.write('report\n');
      const { routers } = await capture.until((v) => 'routers' in v, 10_000);
      const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${daemon.child.pid}/status`, 'utf8'))[1]) / 1024;
      await stopDaemon(daemon);
      const gaps = routers.map((r) => r.maxGapMs).sort((a, b) => a - b);
      rows.push({
        which,
        cpuPercent: (100 * cpu) / CLOCK_TICKS / elapsed,
        routers: routers.length,
        adverts: routers.reduce((s, r) => s + r.count, 0),
        expected: INTERFACES * VRIDS * elapsed,
        medianMaxGap: gaps[Math.floor(gaps.length / 2)] ?? NaN,
        maxGap: gaps.at(-1) ?? NaN,
        late: routers.filter((r) => r.maxGapMs > LATE_MS).length,
        rss,
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
console.log('| daemon | CPU % of one core | routers heard | adverts / expected | per-router max gap: median, max (ms) | routers with a gap > 1,100 ms | RSS (MiB, main process) |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.which} | ${r.cpuPercent.toFixed(1)} | ${r.routers} | ${r.adverts} / ${Math.round(r.expected)} | ${r.medianMaxGap.toFixed(0)}, ${r.maxGap.toFixed(0)} | ${r.late} | ${r.rss.toFixed(1)} |`,
  );
}
