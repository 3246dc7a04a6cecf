// Runs inside the VM (the host's node, the repo shared at its own path): reads command
// sequences as JSON on stdin, runs each once with Debian's ipvsadm and once with ipvsadm-ts
// (in this process, over the netlink client, as bin/ipvsadm-ts would), each time from a reset
// kernel, and prints as JSON what every command printed and what both programs list after.
import { spawnSync } from 'node:child_process';
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

function debian(args, stdin = '') {
  const r = spawnSync('/usr/sbin/ipvsadm', args, { input: stdin, encoding: 'utf8', argv0: 'ipvsadm' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ours(args, stdin = '') {
  return runIpvsadm(args, {
    openClient: () => openNetlinkIpvs(),
    names,
    program: 'ipvsadm',
    readStdin: async () => stdin,
    readConnectionTable: () => readFile('/proc/net/ip_vs_conn', 'utf8').catch(() => null),
  });
}

/** An empty table, default timeouts, no sync daemon: the state every run starts from. */
function reset() {
  debian(['-C']);
  debian(['--set', '900', '120', '300']);
  debian(['--stop-daemon', 'master']);
  debian(['--stop-daemon', 'backup']);
}

async function listings(program) {
  const out = {};
  for (const args of LISTINGS) out[args.join(' ')] = await program(args);
  return out;
}

const sequences = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const sequence of sequences) {
  const runs = {};
  for (const [side, program] of [['debian', debian], ['ours', ours]]) {
    reset();
    const steps = [];
    for (const command of sequence.commands) steps.push(await program(command.args, command.stdin));
    runs[side] = { steps, debianListings: await listings(debian), ourListings: await listings(ours) };
  }
  results.push({ name: sequence.name, ...runs });
}
reset();
process.stdout.write(JSON.stringify(results));
