import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

/** One pino line of the daemon's log. */
export interface LogEntry {
  readonly level: number;
  readonly msg: string;
  readonly instance?: string;
  readonly state?: string;
  readonly reason?: string;
  readonly peer?: string;
  readonly [field: string]: unknown;
}

/** The command itself, found from this module in src/lab or dist/lab. */
const BIN = fileURLToPath(new URL('../../bin/keepalived-ts', import.meta.url));

/**
 * keepalived-ts as a director in a namespace (`-n -l -D -P`), with the same waiting API as
 * `KeepalivedPeer`: its log messages say `(VI_1) Entering MASTER STATE` as keepalived's do, so
 * a test can await either kind of peer with one pattern.
 */
export class DaemonPeer {
  readonly log: LogEntry[] = [];
  readonly stderr: string[] = [];
  readonly dir: string;
  private readonly child: ChildProcess;
  private readonly watchers: { match: (e: LogEntry) => boolean; resolve: (e: LogEntry) => void }[] = [];
  readonly exited: Promise<number | null>;

  /**
   * `dir` holds the config and pid file: a fresh one, removed at exit, unless the caller passes
   * its own. `args` go after the usual flags (`--control-socket PATH`, ...).
   */
  constructor(
    readonly ns: string,
    config: string,
    dir?: string,
    args: readonly string[] = [],
    /** The daemon's environment (NOTIFY_SOCKET for a test standing in for systemd). */
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), `kts-d-${ns}-`));
    const owned = dir === undefined;
    const conf = join(this.dir, 'keepalived.conf');
    writeFileSync(conf, config);
    // daemons in namespaces share one file system: each gets its own control socket unless told
    const control = args.includes('--control-socket') ? [] : ['--control-socket', join(this.dir, 'control.sock')];
    this.child = spawn('ip', ['netns', 'exec', ns, process.execPath, BIN, '-n', '-l', '-D', '-P', '-f', conf, '-p', join(this.dir, 'keepalived-ts.pid'), ...control, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      let entry: LogEntry;
      try {
        entry = JSON.parse(line) as LogEntry;
      } catch {
        entry = { level: 50, msg: `unparsable log line: ${line}` };
      }
      this.log.push(entry);
      for (const w of [...this.watchers]) {
        if (w.match(entry)) {
          this.watchers.splice(this.watchers.indexOf(w), 1);
          w.resolve(entry);
        }
      }
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => this.stderr.push(line));
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        if (owned) rmSync(this.dir, { recursive: true, force: true });
        resolve(code ?? (signal ? -1 : null));
      }),
    );
  }

  /** Sends a signal and returns at once (HUP for a reload, USR1 for a dump). */
  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  mark(): number {
    return this.log.length;
  }

  /** The first log entry from `since` on whose message matches (or that `pattern` accepts). */
  waitFor(pattern: RegExp | ((e: LogEntry) => boolean), timeoutMs = 15_000, since = 0): Promise<LogEntry> {
    const match = typeof pattern === 'function' ? pattern : (e: LogEntry) => pattern.test(e.msg);
    const seen = this.log.slice(since).find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`keepalived-ts in ${this.ns} never logged ${String(pattern)}; log:\n${this.log.map((e) => JSON.stringify(e)).join('\n')}\nstderr:\n${this.stderr.join('\n')}`)),
        timeoutMs,
      );
      this.watchers.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }

  /** SIGTERM for a planned stop; SIGKILL for a crash. `ip netns exec` execs node, so the pid is the daemon's. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    this.child.kill(signal);
    return this.exited;
  }

  /** Log entries at warning level or above: a healthy run has none. */
  problems(): LogEntry[] {
    return this.log.filter((e) => e.level >= 40);
  }
}
