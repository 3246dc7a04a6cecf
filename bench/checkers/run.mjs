#!/usr/bin/env node
/**
 * bench/checkers: the checker service under keepalived's worst ordinary load, in namespaces (root).
 * 1,000 virtual servers x 10 real servers with TCP_CHECK at delay_loop 1 (warmup 1 s) against a
 * server namespace listening on every port asked for. Two configurations:
 *   distinct - each virtual server has its own 10 real servers (10,000 different checks a second);
 *   shared   - all 1,000 virtual servers share the same 10 real servers (keepalived runs 10,000
 *              checks a second; identical checks run once here, so 10).
 * Reports checks a second asked for and achieved, the checker process's CPU, RSS, and timer
 * drift (how late each check's timer fired). A measurement, not a test.
 * With --profile DIR the checker process is also profiled (node:inspector: a CPU profile of the
 * measured window, a sampling heap profile from the process's start), written to DIR as
 * <config>.cpuprofile / .heapprofile, and the functions with the most self time and the
 * allocation sites holding the most memory are printed.
 * Usage: npm run build && sudo node bench/checkers/run.mjs [--seconds 30] [--only distinct|shared] [--profile DIR]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { Lan } from '../../dist/lab/lan.js';
import { nodeInNs } from '../../dist/lab/node-in-ns.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
};
const SECONDS = Number(arg('seconds', 30));
const ONLY = arg('only', null);
const PROFILE = arg('profile', null);
const VS = 1000;
const RS = 10;
const BASE_PORT = 20000;
const dist = resolve('dist');

function config(kind) {
  const out = [];
  for (let v = 0; v < VS; v++) {
    out.push(`virtual_server 10.94.${v >> 8}.${v & 255} 80 {\n  delay_loop 1\n  protocol TCP`);
    for (let r = 0; r < RS; r++) {
      const port = kind === 'distinct' ? BASE_PORT + v : BASE_PORT;
      out.push(`  real_server 10.93.1.${r + 1} ${port} {\n    TCP_CHECK {\n      connect_timeout 1\n    }\n  }`);
    }
    out.push('}');
  }
  return out.join('\n') + '\n';
}

const SERVER = `
import { createServer } from 'node:net';
let n = 0;
for (let p = ${BASE_PORT}; p < ${BASE_PORT + VS}; p++) createServer((s) => { n++; s.on('error', () => {}); s.destroy(); }).listen(p, '0.0.0.0');
setInterval(() => {}, 1000);
console.log(JSON.stringify({ ready: true }));
`;

const BALANCER = (file, profileTo) => `
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseConfigFile } from '${dist}/config/parse-config.js';
import { analyze } from '${dist}/config/analyze.js';
import { CheckerService } from '${dist}/daemon/checker-service.js';
import { linuxCheckerPorts } from '${dist}/daemon/checker-ports.js';
import { pino } from 'pino';
// the heap is sampled from the start, so what the configuration and the plan hold shows too
const profileTo = ${JSON.stringify(profileTo)};
const session = profileTo ? new Session() : null;
if (session) {
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 32768 });
}
const { config } = analyze(parseConfigFile('${file}').statements);
const ports = linuxCheckerPorts();
const service = new CheckerService(ports);
let events = 0;
const log = pino({ level: 'warn' }, { write: () => {} });
await service.start(config, { log, publish: () => events++, snapshot: () => ({}) });
// the first checks come within BOOTSTRAP_DELAY + warmup (2 s); measure after that
await new Promise((r) => setTimeout(r, 3000));
if (session) {
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const l0 = { ...ports.timers.lateness };
const p0 = service.probes;
const c0 = process.cpuUsage();
const t0 = performance.now();
let rssMax = 0;
const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 250);
await new Promise((r) => setTimeout(r, ${SECONDS} * 1000));
clearInterval(sampler);
const memory = process.memoryUsage();
let afterFullGcMiB = null;
if (session) {
  // what is live, as opposed to garbage not collected yet
  setFlagsFromString('--expose-gc');
  runInNewContext('gc')();
  afterFullGcMiB = Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, v / 1048576]));
  writeFileSync(profileTo + '.cpuprofile', JSON.stringify((await session.post('Profiler.stop')).profile));
  writeFileSync(profileTo + '.heapprofile', JSON.stringify((await session.post('HeapProfiler.stopSampling')).profile));
}
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
const l1 = ports.timers.lateness;
const fired = l1.count - l0.count;
const status = service.status();
console.log(JSON.stringify({
  probeGroups: status.probeGroups,
  checksPerSecond: (service.probes - p0) / wall,
  cpuPercent: ((cpu.user + cpu.system) / 1e6 / wall) * 100,
  // the kernel's share: connect() over the veth pair runs much of the server side's TCP too
  systemPercent: (cpu.system / 1e6 / wall) * 100,
  rssMiB: rssMax / 1048576,
  memoryMiB: Object.fromEntries(Object.entries(memory).map(([k, v]) => [k, v / 1048576])),
  afterFullGcMiB,
  drift: { fired, meanMs: fired ? (l1.totalMs - l0.totalMs) / fired : 0, maxMs: l1.maxMs },
  downEvents: events,
}));
await service.stop();
process.exit(0);
`;

if (PROFILE) mkdirSync(PROFILE, { recursive: true });
const loadBefore = loadavg();
const lan = new Lan(`ktsbn${process.pid % 10000}`);
const dir = mkdtempSync(join(tmpdir(), 'kts-bench-checkers-'));
const results = [];
try {
  const lb = lan.addHost('lb', '10.93.0.1/16');
  const rs = lan.addHost('rs', '10.93.0.2/16');
  // the real servers' addresses, all on the server namespace's interface
  for (let r = 1; r <= RS; r++) execFileSync('ip', ['netns', 'exec', rs.ns, 'ip', 'addr', 'add', `10.93.1.${r}/16`, 'dev', 'eth0']);
  const server = nodeInNs(rs.ns, SERVER);
  await server.next(30_000);
  for (const kind of ['distinct', 'shared']) {
    if (ONLY && ONLY !== kind) continue;
    const file = join(dir, `${kind}.conf`);
    writeFileSync(file, config(kind));
    const balancer = nodeInNs(lb.ns, BALANCER(file, PROFILE ? join(resolve(PROFILE), kind) : null));
    const r = await balancer.next((SECONDS + 60) * 1000);
    results.push({ kind, asked: VS * RS, ...r });
    balancer.kill();
  }
  server.kill();
} finally {
  lan.destroy();
  rmSync(dir, { recursive: true, force: true });
}

const f = (x, d = 1) => Number(x).toFixed(d);
console.log(
  `load average (1/5/15 min) before: ${loadBefore.map((x) => f(x, 2)).join(' ')}, after: ${loadavg()
    .map((x) => f(x, 2))
    .join(' ')}; ${cpus().length} CPUs; ${SECONDS} s measured per run\n`,
);
console.log('| config | checks/s asked (keepalived) | probe groups | checks/s achieved | CPU % of one core | CPU ms per check (of it system) | RSS MiB | timer drift mean / max ms |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(
    `| ${r.kind} | ${r.asked} | ${r.probeGroups} | ${f(r.checksPerSecond)} | ${f(r.cpuPercent)} | ${f((r.cpuPercent * 10) / r.checksPerSecond, 3)} (${f((r.systemPercent * 10) / r.checksPerSecond, 3)}) | ${f(r.rssMiB)} | ${f(r.drift.meanMs)} / ${f(r.drift.maxMs)} |`,
  );
}
console.log('\nmemory at the end of the window, MiB:');
const split = (m) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${f(v)}`)
    .join(', ');
for (const r of results) console.log(`  ${r.kind}: ${split(r.memoryMiB)}${r.afterFullGcMiB ? `; after a full GC: ${split(r.afterFullGcMiB)}` : ''}`);
if (PROFILE) for (const r of results) report(r.kind, join(resolve(PROFILE), r.kind));

/** The top of each profile: self time by function, and live sampled allocations by site. */
function report(kind, base) {
  const cpu = JSON.parse(readFileSync(`${base}.cpuprofile`, 'utf8'));
  const selfUs = new Map();
  const byId = new Map(cpu.nodes.map((n) => [n.id, n]));
  const deltas = cpu.timeDeltas;
  cpu.samples.forEach((id, i) => {
    const n = byId.get(id);
    const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
    selfUs.set(key, (selfUs.get(key) ?? 0) + (deltas[i] ?? 0));
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${kind}: CPU self time, top 20 of ${f(total / 1e6)} s sampled`);
  for (const [k, us] of [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${f((us / total) * 100)} %  ${k}`);
  const heap = JSON.parse(readFileSync(`${base}.heapprofile`, 'utf8'));
  const sites = new Map();
  const walk = (n) => {
    const own = n.selfSize;
    if (own > 0) {
      const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
      sites.set(key, (sites.get(key) ?? 0) + own);
    }
    for (const c of n.children) walk(c);
  };
  walk(heap.head);
  const sampled = [...sites.values()].reduce((a, b) => a + b, 0);
  const byFile = new Map();
  for (const [k, bytes] of sites) {
    const file = k.split(' ')[1].split(':')[0] || '(native)';
    byFile.set(file, (byFile.get(file) ?? 0) + bytes);
  }
  console.log(
    `${kind}: sampled heap still live at the end: ${f(sampled / 1048576)} MiB; by file (MiB): ${[...byFile]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([k, v]) => `${k} ${f(v / 1048576)}`)
      .join(', ')}`,
  );
  console.log(`${kind}: sampled heap still live at the end (since the start), top 15 allocation sites (MiB)`);
  for (const [k, bytes] of [...sites].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${f(bytes / 1048576, 2)}  ${k}`);
}
