#!/usr/bin/env node
/**
 * bench/vrrp-start: daemon start to first advert on the wire (issue 14: <= 300 ms), keepalived-ts
 * against Debian's keepalived on the same configuration in the same namespaces, taking turns.
 * One VRRP instance, the address owner (priority 255), which RFC 5798 §6.4.1 and keepalived both
 * send an advert for at once: what is timed is the daemon's own start-up. The clock starts just
 * before `ip netns exec` is spawned (its few ms count for both) and stops when the capture child,
 * on the far end of the veth pair, receives the first advert. Each build of ours starts once
 * uncounted first, which writes its code cache (docs/startup.md). A measurement, not a test.
 * Usage: npm run build && sudo node bench/vrrp-start/run.mjs [--rounds 7] [--node-flags "..."]
 *        [--baseline OTHER/bin/keepalived-ts,...]   (other builds of ours, e.g. main's, in the same turns)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOCK_TICKS, cpuTicks, createNamespaces, load, startCapture, startDaemon, stopDaemon } from './setup.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
};
const ROUNDS = Number(arg('rounds', 7));
const NODE_FLAGS = arg('node-flags', '').split(' ').filter(Boolean);
const BASELINES = arg('baseline', '').split(',').filter(Boolean);

const CONFIG = `global_defs {
    router_id bench-start
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 255
    advert_int 1
    virtual_ipaddress {
        10.77.0.100/24 dev eth0
    }
}
`;

const work = mkdtempSync(join(tmpdir(), 'kts-vrrp-start-'));
const conf = join(work, 'keepalived.conf');
writeFileSync(conf, CONFIG);
const ns = createNamespaces(`kts-vst-${process.pid}`, 1);
const daemons = ['keepalived-ts', 'keepalived', ...BASELINES];
const times = Object.fromEntries(daemons.map((d) => [d, []]));
const cpu = Object.fromEntries(daemons.map((d) => [d, []]));
const loadBefore = load();
let capture;
try {
  capture = await startCapture(ns.capture);
  // one uncounted start of each of ours: it writes the daemon's code cache (docs/startup.md), as a host's first start would
  for (const which of daemons.filter((d) => d !== 'keepalived')) {
    capture.write('arm\n');
    const daemon = startDaemon(which, ns.daemon, conf, work, NODE_FLAGS);
    await Promise.race([capture.next(20_000), daemon.exited]);
    await stopDaemon(daemon);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const which of round % 2 === 0 ? daemons : [...daemons].reverse()) {
      capture.write('arm\n');
      const daemon = startDaemon(which, ns.daemon, conf, work, NODE_FLAGS);
      const first = await Promise.race([
        capture.next(20_000),
        daemon.exited.then((e) => {
          throw new Error(`${which} exited (${e.code ?? e.signal}) before its first advert: ${e.stderr()}`);
        }),
      ]);
      times[which].push(Number(BigInt(first.first) - daemon.startedNs) / 1e6);
      // CPU spent by then (a few ms more: the capture's answer took a moment): load moves it far less than wall time
      cpu[which].push((cpuTicks(daemon.child.pid) * 1000) / CLOCK_TICKS);
      await stopDaemon(daemon);
    }
  }
} finally {
  capture?.kill();
  ns.destroy();
  rmSync(work, { recursive: true, force: true });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => `${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
console.log(`load average before: ${loadBefore}; after: ${load()}; ${ROUNDS} rounds, taking turns; node ${process.version}${NODE_FLAGS.length ? ` ${NODE_FLAGS.join(' ')}` : ''}`);
console.log('| daemon | start to first advert, wall (ms): median | min–max | CPU used by then (ms): median | min–max |');
console.log('|---|---:|---:|---:|---:|');
for (const d of daemons) console.log(`| ${d === 'keepalived' ? 'keepalived 2.2.7' : d} | ${fmt(times[d])} | ${fmt(cpu[d])} |`);
