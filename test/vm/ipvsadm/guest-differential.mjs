// Runs inside the VM (the host's node, the repo shared at its own path): reads command
// sequences as JSON on stdin, runs each once with Debian's ipvsadm and once with ipvsadm-ts
// (in this process, over the netlink client, as bin/ipvsadm-ts would), each time from a reset
// kernel, and prints as JSON what every command printed and what both programs list after.
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolverFromFiles } from '../../../dist/ipvs/ipvsadm/names.js';
import { runIpvsadm } from '../../../dist/ipvs/ipvsadm/run.js';
import { openNetlinkIpvs } from '../../../dist/linux/ipvs-netlink.js';

/** The listings compared after each sequence, under the name of their command line. */
const LISTINGS = [
  ['-S', '-n'],
  ['-S'],
  ['-Ln'],
  ['-L'],
  ['-Ln', '--stats'],
  ['-Ln', '--stats', '--exact'],
  ['-Ln', '--rate'],
  ['-Ln', '--thresholds'],
  ['-Ln', '--persistent-conn'],
  ['-Ln', '--tun-info'],
  ['-Ln', '--nosort'],
  ['-Lnc'],
  ['-L', '--timeout'],
  ['-L', '--daemon'],
];

const names = resolverFromFiles(readFileSync('/etc/hosts', 'utf8'), readFileSync('/etc/services', 'utf8'));

/**
 * The vm tier boots once for every test file, and IPVS keeps a connection entry for minutes
 * after its service is gone (ESTABLISHED: 15 min): other files' clients show in the connection
 * table too, their expiry ticking between two listings. A connection listing (-c) is therefore
 * compared on this file's own entries only (the virtual addresses of the live traffic below);
 * its header lines stay.
 */
const OWN_VIRTUAL_ADDRESSES = /\s(10\.11\.0\.1|\[2001:db8:11::1\]):/;
const isConnectionListing = (args) => args.some((a) => a === '-c' || a === '--connection' || /^-L[a-z]*c/.test(a));
function ownConnections(args, printed) {
  if (!isConnectionListing(args)) return printed;
  const rows = printed.stdout.split('\n').filter((row) => !/^(TCP|UDP|SCTP|AH|ESP|IP)\s/.test(row) || OWN_VIRTUAL_ADDRESSES.test(row));
  return { ...printed, stdout: rows.join('\n') };
}

function debian(args, stdin = '') {
  const r = spawnSync('/usr/sbin/ipvsadm', args, { input: stdin, encoding: 'utf8', argv0: 'ipvsadm' });
  return ownConnections(args, { status: r.status, stdout: r.stdout, stderr: r.stderr });
}

async function ours(args, stdin = '') {
  const printed = await runIpvsadm(args, {
    openClient: () => openNetlinkIpvs(),
    names,
    program: 'ipvsadm',
    readStdin: async () => stdin,
    readConnectionTable: () => readFile('/proc/net/ip_vs_conn', 'utf8').catch(() => null),
  });
  return ownConnections(args, printed);
}

/** An empty table, default timeouts, no sync daemon: the state every run starts from. */
function reset() {
  debian(['-C']);
  debian(['--set', '900', '120', '300']);
  debian(['--stop-daemon', 'master']);
  debian(['--stop-daemon', 'backup']);
}

/** What shows the kernel state a sequence leaves: compared between the two runs. */
const STATE = [['-S', '-n'], ['-Ln'], ['-L', '--timeout'], ['-L', '--daemon']];

async function listings(program, which) {
  const out = {};
  for (const args of which) out[args.join(' ')] = await program(args);
  return out;
}

const sequences = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const sequence of sequences) {
  const runs = {};
  for (const [side, program] of [
    ['debian', debian],
    ['ours', ours],
  ]) {
    reset();
    const steps = [];
    for (const command of sequence.commands) steps.push(await program(command.args, command.stdin));
    // Debian's run only needs the state; on ours, every listing of both programs is compared.
    runs[side] =
      side === 'debian' ? { steps, debianListings: await listings(debian, STATE) } : { steps, debianListings: await listings(debian, LISTINGS), ourListings: await listings(ours, LISTINGS) };
  }
  results.push({ name: sequence.name, ...runs });
}

// bin/ipvsadm-ts as a process (node start-up included), beside Debian's on one table.
function binary(args, stdin = '') {
  const r = spawnSync(process.execPath, ['bin/ipvsadm-ts', ...args], { input: stdin, encoding: 'utf8' });
  return ownConnections(args, { status: r.status, stdout: r.stdout, stderr: r.stderr });
}
reset();
const restored = binary(['-R'], '-A -t 10.10.0.1:80 -s wrr -p 120\n-a -t 10.10.0.1:80 -r 10.10.1.1:8080 -m -w 3\n-A -f 9 -6 -s sh -b sh-port\n');
const binaryRuns = { restore: { ours: restored, saved: debian(['-S', '-n']) }, listings: {} };
for (const args of [['-Ln'], ['-S', '-n'], ['-Ln', '--stats'], ['-L', '--timeout'], ['-Lnc']]) {
  binaryRuns.listings[args.join(' ')] = { ours: binary(args), debian: debian(args) };
}

// Live traffic for -Lc and the counters: local clients reach virtual services (IPVS schedules
// locally generated packets too) whose NAT destinations sit behind a dummy interface, so every
// packet is scheduled and forwarded into nothing. Expiry counts down, SYNs are retried and rates
// are re-estimated every 2 s, so each of our listings is taken between two of Debian's, and must
// equal one of them.
function sh(script) {
  const r = spawnSync('/bin/sh', ['-ec', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script}: ${r.stderr}`);
}
reset();
sh(`
  ip link add kts-ipvsadm0 type dummy
  ip link set kts-ipvsadm0 up
  ip addr add 10.11.1.254/24 dev kts-ipvsadm0
  ip -6 addr add 2001:db8:12::254/64 dev kts-ipvsadm0 nodad
  ip addr add 10.11.0.1/32 dev lo
  ip -6 addr add 2001:db8:11::1/128 dev lo nodad
`);
for (const line of [
  '-A -t 10.11.0.1:80 -s rr',
  '-a -t 10.11.0.1:80 -r 10.11.1.1:8080 -m',
  '-A -u 10.11.0.1:53 -s rr -p 120',
  '-a -u 10.11.0.1:53 -r 10.11.1.2 -m',
  '-A -t [2001:db8:11::1]:443 -s rr',
  '-a -t [2001:db8:11::1]:443 -r [2001:db8:12::1]:8443 -m',
]) {
  debian(line.split(' '));
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const tcp = (host, port) => {
  const socket = connect({ host, port });
  socket.on('error', () => {});
  return socket;
};
const sockets = [tcp('10.11.0.1', 80), tcp('10.11.0.1', 80), tcp('2001:db8:11::1', 443)];
const udp = createSocket('udp4');
for (let i = 0; i < 2; i++) udp.send('x', 53, '10.11.0.1');
await sleep(1500);
const connectionRuns = {};
const LIVE = [['-Lnc'], ['-Lc'], ['-Lnc', '--persistent-conn'], ['-Ln', '--stats'], ['-Ln', '--stats', '--exact'], ['-Ln', '--rate'], ['-Ln', '--persistent-conn'], ['-Ln']];
for (const args of LIVE) {
  const before = debian(args);
  const mine = await ours(args);
  const after = debian(args);
  connectionRuns[args.join(' ')] = { before, ours: mine, after };
}
for (const socket of sockets) socket.destroy();
udp.close();
reset();
sh(`
  ip link del kts-ipvsadm0
  ip addr del 10.11.0.1/32 dev lo
  ip -6 addr del 2001:db8:11::1/128 dev lo
`);
process.stdout.write(JSON.stringify({ sequences: results, binary: binaryRuns, connections: connectionRuns }));
