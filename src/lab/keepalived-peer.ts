import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const COMPLAINT = /invalid|bogus|bad |error|wrong|mismatch|ignor|malformed|fail|unknown|discard/i;
/** A higher-priority Backup waiting out a lower-priority Master (RFC 5798 §6.4.2): normal. */
const PREEMPTING = /received lower priority \(\d+\) advert from \S+ - discarding/;

/**
 * Debian's keepalived as a peer in a namespace: VRRP only, in the foreground, logging to the
 * console so that tests can await its own words ("Entering MASTER STATE") instead of sleeping.
 */
export class KeepalivedPeer {
  readonly log: string[] = [];
  private readonly child: ChildProcess;
  private readonly watchers: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(
    readonly ns: string,
    config: string,
  ) {
    const dir = mkdtempSync(join(tmpdir(), `kts-ka-${ns}-`));
    const conf = join(dir, 'keepalived.conf');
    writeFileSync(conf, config);
    this.child = spawn(
      'ip',
      [
        'netns',
        'exec',
        ns,
        'keepalived',
        '--vrrp',
        '--dont-fork',
        '--log-console',
        '--log-detail',
        '--no-syslog',
        '--use-file',
        conf,
        '--pid',
        join(dir, 'keepalived.pid'),
        '--vrrp_pid',
        join(dir, 'vrrp.pid'),
        '--checkers_pid',
        join(dir, 'checkers.pid'),
        '--bfd_pid',
        join(dir, 'bfd.pid'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.log.push(line);
        for (const w of [...this.watchers]) {
          if (w.pattern.test(line)) {
            this.watchers.splice(this.watchers.indexOf(w), 1);
            w.resolve(line);
          }
        }
      });
    }
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code) => {
        rmSync(dir, { recursive: true, force: true });
        resolve(code);
      }),
    );
  }

  /** How many lines it has logged: pass to `waitFor` to await only what comes later. */
  mark(): number {
    return this.log.length;
  }

  /** Resolves with the first log line from line `since` on, past or future, that matches. */
  waitFor(pattern: RegExp, timeoutMs = 15_000, since = 0): Promise<string> {
    const seen = this.log.slice(since).find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`keepalived in ${this.ns} never logged ${pattern}; log:\n${this.log.join('\n')}`)), timeoutMs);
      this.watchers.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  }

  /** Lines where keepalived complains about a packet or anything else: an interop run has none. */
  complaints(): string[] {
    return this.log.filter((line) => COMPLAINT.test(line) && !PREEMPTING.test(line));
  }

  /** SIGTERM, as systemd stops it; SIGKILL simulates a crash. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    // `ip netns exec` execs keepalived, so the child's pid is keepalived's own
    this.child.kill(signal);
    return this.exited;
  }
}

/** A minimal keepalived.conf for one VRRP instance, as the interop tests vary it. */
export function vrrpConfig(o: {
  routerId: string;
  state?: 'MASTER' | 'BACKUP';
  priority: number;
  vrid?: number;
  version?: 2 | 3;
  advertInt?: number;
  authPass?: string;
  vips: string[];
  unicastSrc?: string;
  unicastPeers?: string[];
  extra?: string;
}): string {
  return `global_defs {
    router_id ${o.routerId}
    vrrp_version ${o.version ?? 2}
}
vrrp_instance VI_1 {
    state ${o.state ?? 'BACKUP'}
    interface eth0
    virtual_router_id ${o.vrid ?? 51}
    priority ${o.priority}
    advert_int ${o.advertInt ?? 1}
${o.authPass ? `    authentication {\n        auth_type PASS\n        auth_pass ${o.authPass}\n    }\n` : ''}${o.unicastSrc ? `    unicast_src_ip ${o.unicastSrc}\n` : ''}${o.unicastPeers ? `    unicast_peer {\n${o.unicastPeers.map((p) => `        ${p}\n`).join('')}    }\n` : ''}    virtual_ipaddress {
${o.vips.map((v) => `        ${v}\n`).join('')}    }
${o.extra ?? ''}}
`;
}
