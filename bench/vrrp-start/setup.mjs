/**
 * What bench/vrrp-start and bench/vrrp-scale share: two namespaces joined by veth pairs (the
 * daemon's ethN in one, the capture's capN in the other, created inside them so no name touches
 * the host), the capture child, and starting/stopping keepalived-ts and Debian's keepalived on the
 * same configuration with the same command-line shape.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inNs, ip } from '../../dist/lab/lan.js';
import { nodeInNs } from '../../dist/lab/node-in-ns.js';

/** `interfaces` pairs: eth<i> (10.77.<i>.1/24) in `<prefix>-d`, cap<i> in `<prefix>-c`. */
export function createNamespaces(prefix, interfaces) {
  const daemon = `${prefix}-d`;
  const capture = `${prefix}-c`;
  const destroy = () => {
    for (const ns of [daemon, capture]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // not created: setup failed half-way
      }
    }
  };
  try {
    ip('netns', 'add', daemon);
    ip('netns', 'add', capture);
    for (const ns of [daemon, capture]) inNs(ns, 'ip', ['link', 'set', 'lo', 'up']);
    for (let i = 0; i < interfaces; i++) {
      ip('link', 'add', `eth${i}`, 'netns', daemon, 'type', 'veth', 'peer', 'name', `cap${i}`, 'netns', capture);
      inNs(daemon, 'ip', ['addr', 'add', `10.77.${i}.1/24`, 'dev', `eth${i}`]);
      inNs(daemon, 'ip', ['link', 'set', `eth${i}`, 'up']);
      inNs(capture, 'ip', ['link', 'set', `cap${i}`, 'up']);
    }
  } catch (error) {
    destroy();
    throw error;
  }
  return { daemon, capture, destroy };
}

/** The capture child (capture.mjs) in namespace `ns`, once it is listening. */
export async function startCapture(ns) {
  const url = pathToFileURL(resolve('bench/vrrp-start/capture.mjs')).href;
  const child = nodeInNs(ns, `import ${JSON.stringify(url)};`);
  await child.next(10_000);
  return child;
}

/**
 * Starts one daemon in the foreground inside `ns` (ip netns exec replaces itself, so the child's
 * pid is the daemon's); `which` is 'keepalived' or a keepalived-ts command (bin/keepalived-ts
 * of this tree, or another build's to compare with). Returns the child and the CLOCK_MONOTONIC
 * time just before the spawn.
 */
export function startDaemon(which, ns, conf, work, nodeFlags = []) {
  const args =
    which !== 'keepalived'
      ? [process.execPath, ...nodeFlags, which === 'keepalived-ts' ? 'bin/keepalived-ts' : which, '-n', '-l', '-f', conf, '-p', `${work}/ours.pid`, `--control-socket=${work}/ctl.sock`]
      : ['keepalived', '-n', '-l', '-f', conf, '-p', `${work}/ka.pid`, '-r', `${work}/ka-vrrp.pid`, '-c', `${work}/ka-check.pid`];
  const startedNs = process.hrtime.bigint();
  const child = spawn('ip', ['netns', 'exec', ns, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise((done) => child.on('exit', (code, signal) => done({ code, signal, stderr: () => stderr })));
  return { child, startedNs, exited };
}

/** SIGTERM, then the exit (keepalived-ts hands over first; keepalived sends priority 0). */
export async function stopDaemon(daemon, timeoutMs = 15_000) {
  daemon.child.kill('SIGTERM');
  const timer = setTimeout(() => daemon.child.kill('SIGKILL'), timeoutMs);
  await daemon.exited;
  clearTimeout(timer);
}

/** utime + stime of a process and its children (keepalived's VRRP and checker processes), in clock ticks. */
export function cpuTicks(pid) {
  const { user, system } = cpuTimes(pid);
  return user + system;
}

/** utime and stime apart, of a process and its children, in clock ticks. */
export function cpuTimes(pid) {
  const times = (p) => {
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]), system: Number(fields[12]) }; // utime, stime (fields 14 and 15 of proc(5))
  };
  let children = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {
    // no children: keepalived-ts is one process
  }
  return [pid, ...children].map(times).reduce((sum, t) => ({ user: sum.user + t.user, system: sum.system + t.system }), { user: 0, system: 0 });
}

export const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** The host's load averages (1, 5, 15 min), as `uptime` prints them. */
export function load() {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}
