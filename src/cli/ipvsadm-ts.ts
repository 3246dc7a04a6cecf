/**
 * ipvsadm-ts: Debian's ipvsadm 1.31, command for command and byte for byte, over our own
 * generic-netlink client. This file only wires the OS in: the netlink socket (after the same
 * `modprobe ip_vs` retry ipvsadm does), /etc/hosts and /etc/services, stdin, and
 * /proc/net/ip_vs_conn.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { resolverFromFiles } from '../ipvs/ipvsadm/names.js';
import { runIpvsadm } from '../ipvs/ipvsadm/run.js';
import type { IpvsClient } from '../ipvs/types.js';
import { openNetlinkIpvs } from '../linux/ipvs-netlink.js';

function readOptional(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

async function openClient(): Promise<IpvsClient> {
  try {
    return await openNetlinkIpvs();
  } catch {
    try {
      execFileSync('/sbin/modprobe', ['--', 'ip_vs'], { stdio: ['ignore', 'inherit', 'inherit'] });
    } catch {
      // ipvsadm reports the failed initialisation, not modprobe's exit status.
    }
    return openNetlinkIpvs();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const result = await runIpvsadm(process.argv.slice(2), {
  openClient,
  names: resolverFromFiles(readOptional('/etc/hosts'), readOptional('/etc/services')),
  program: basename(process.argv[1] ?? 'ipvsadm-ts'),
  readStdin,
  readConnectionTable: () => readFile('/proc/net/ip_vs_conn', 'utf8').catch(() => null),
});
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.status;
