import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

/** Runs `ip` and returns its stdout; throws with ip's stderr on failure. */
export function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function inNs(ns: string, command: string, args: string[]): string {
  return execFileSync('ip', ['netns', 'exec', ns, command, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function spawnInNs(ns: string, command: string, args: string[]): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns, command, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
}

export interface Host {
  readonly ns: string;
  /** The interface inside the namespace, always `eth0`. */
  readonly dev: 'eth0';
  readonly address: string;
  readonly mac: string;
}

/**
 * A LAN of namespaces joined by a bridge that lives in its own namespace, so nothing touches
 * the host's interfaces. Names carry a per-test prefix; `destroy` removes everything.
 */
export class Lan {
  readonly hosts: Host[] = [];
  private readonly bridgeNs: string;

  constructor(readonly prefix: string) {
    this.bridgeNs = `${prefix}-br`;
    ip('netns', 'add', this.bridgeNs);
    inNs(this.bridgeNs, 'ip', ['link', 'add', 'br0', 'type', 'bridge']);
    inNs(this.bridgeNs, 'ip', ['link', 'set', 'br0', 'up']);
  }

  /** Adds a namespace with `eth0` on the bridge; `cidr` like `10.0.0.11/24`, IPv6 link-local comes by itself. */
  addHost(name: string, cidr: string): Host {
    const ns = `${this.prefix}-${name}`;
    const index = this.hosts.length + 1;
    const mac = `02:00:00:00:00:${index.toString(16).padStart(2, '0')}`;
    ip('netns', 'add', ns);
    // no duplicate address detection: link-local IPv6 is usable as a source at once
    inNs(ns, 'sysctl', ['-qw', 'net.ipv6.conf.default.accept_dad=0', 'net.ipv6.conf.all.accept_dad=0']);
    ip('link', 'add', `${this.prefix}${index}`, 'netns', this.bridgeNs, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
    inNs(this.bridgeNs, 'ip', ['link', 'set', `${this.prefix}${index}`, 'master', 'br0', 'up']);
    inNs(ns, 'ip', ['link', 'set', 'lo', 'up']);
    inNs(ns, 'ip', ['link', 'set', 'eth0', 'address', mac]);
    inNs(ns, 'ip', ['addr', 'add', cidr, 'dev', 'eth0']);
    inNs(ns, 'ip', ['link', 'set', 'eth0', 'up']);
    const host: Host = { ns, dev: 'eth0', address: cidr.split('/')[0] ?? cidr, mac };
    this.hosts.push(host);
    return host;
  }

  destroy(): void {
    for (const ns of [...this.hosts.map((h) => h.ns), this.bridgeNs]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // already gone: destroy is also called after a failed setup
      }
    }
  }
}
