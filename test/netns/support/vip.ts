import { inNs, type Host } from './netns.js';

/** Whether `host` has `vip` on its eth0. */
export function holds(host: Host, vip: string): boolean {
  return inNs(host.ns, 'ip', ['-o', 'addr', 'show', 'dev', 'eth0']).includes(` ${vip}/`);
}

/** The MAC address `client`'s neighbour table has for `vip`, if any. */
export function clientSees(client: Host, vip: string): string | undefined {
  return /lladdr (\S+)/.exec(inNs(client.ns, 'ip', ['neigh', 'show', vip, 'dev', 'eth0']))?.[1];
}

/** What the server behind `vip:port` answers a new TCP connection from `client`. */
export function tcpAnswer(client: Host, vip: string, port: number): string {
  return inNs(client.ns, process.execPath, ['-e', `require('net').connect(${port}, '${vip}').on('data', (d) => process.stdout.write(d))`]);
}
