/**
 * The supervisor's test doubles: services that record what they are asked, a signal port the
 * test fires, and a supervisor wired to them with a configuration file held in memory.
 */
import { pino } from 'pino';
import { loadConfig, type LoadedConfig } from '../../../../src/config/load-config.js';
import type { KeepalivedConfig } from '../../../../src/config/model.js';
import { dumpPath } from '../../../../src/daemon/dump-paths.js';
import type { DumpKind, Service, ServiceContext, ServiceEvent, ServiceName } from '../../../../src/daemon/service.js';
import type { DaemonSignal, SignalPort } from '../../../../src/daemon/signals.js';
import { Supervisor } from '../../../../src/daemon/supervisor.js';

export const CONFIG_TEXT = 'global_defs {\n  router_id lb1\n  stats_dump_file /var/run/kts.stats\n}\n';

/** The configuration as the daemon would load /k.conf holding `text`. */
export function load(text: string): LoadedConfig {
  return loadConfig('/k.conf', { fs: { readFile: () => text, glob: (p) => [p] }, hostname: 'lb1' });
}

export const CONFIG = load(CONFIG_TEXT).config;

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A service that records what the supervisor asks of it; `gate` holds its start or stop until released. */
export class FakeService implements Service {
  readonly calls: string[];
  readonly received: ServiceEvent[] = [];
  context: ServiceContext | undefined;
  gate: Promise<void> = Promise.resolve();
  failStart = false;
  /** Set: reconfigure rejects with this message (and, as the contract asks, changes nothing). */
  failReconfigure: string | undefined;
  /** Set: the service offers a preview, this picture of the configuration it is asked about. */
  preview: ((config: KeepalivedConfig) => object) | undefined;
  /** The router_id of each configuration reconfigure was given, in order. */
  readonly configs: (string | null)[] = [];
  cleared = 0;

  constructor(
    readonly name: ServiceName,
    calls: string[],
    private readonly files: Partial<Record<DumpKind, string>> = {},
  ) {
    this.calls = calls;
  }

  async start(_config: KeepalivedConfig, context: ServiceContext): Promise<void> {
    this.calls.push(`start ${this.name}`);
    this.context = context;
    await this.gate;
    if (this.failStart) throw new Error(`${this.name} cannot start`);
  }

  async reconfigure(config: KeepalivedConfig): Promise<void> {
    this.calls.push(`reconfigure ${this.name}`);
    await this.gate;
    if (this.failReconfigure !== undefined) throw new Error(this.failReconfigure);
    this.configs.push(config.global_defs.router_id);
  }

  get previewReconfigure(): ((config: KeepalivedConfig) => object) | undefined {
    return this.preview;
  }

  async stop(): Promise<void> {
    this.calls.push(`stop ${this.name}`);
    await this.gate;
  }

  status(): object {
    return { name: this.name, cleared: this.cleared };
  }

  receive(event: ServiceEvent): void {
    this.received.push(event);
  }

  dump(kind: DumpKind): { name: string; text: string } | undefined {
    const name = this.files[kind];
    return name === undefined ? undefined : { name, text: `${this.name} ${kind} cleared=${this.cleared}\n` };
  }

  clearStats(): void {
    this.cleared++;
  }
}

export class FakeSignals implements SignalPort {
  private handler: ((signal: DaemonSignal) => void) | undefined;
  closed = false;
  on(handler: (signal: DaemonSignal) => void): void {
    this.handler = handler;
  }
  close(): void {
    this.closed = true;
  }
  send(signal: DaemonSignal): void {
    this.handler?.(signal);
  }
}

export function gated(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** A clock the test reads: each reading is `step` microseconds after the one before. */
function steppingClock(stepUs: bigint): () => bigint {
  let ns = 5_000_000_000n;
  return () => (ns += stepUs * 1000n);
}

export function setup(services: (calls: string[]) => FakeService[]) {
  const file = { text: CONFIG_TEXT };
  const calls: string[] = [];
  const list = services(calls);
  const signals = new FakeSignals();
  const written: { path: string; text: string }[] = [];
  const notified: string[] = [];
  const lines: LogLine[] = [];
  // the STATUS= rate limit's timers, fired by the test
  const timers: { delayMs: number; run: () => void; cancelled: boolean }[] = [];
  // each reloadOver call, as what systemd had been told by then
  const reloadsOver: string[][] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => lines.push(JSON.parse(s) as LogLine) });
  const supervisor = new Supervisor(
    list,
    {
      log,
      signals,
      writeDump: async (path, text) => {
        calls.push(`write ${path}`);
        written.push({ path, text });
      },
      dumpPath: (config, name) => dumpPath(config, name, { TMPDIR: '/run/kts-test' }),
      notify: (state) => notified.push(state),
      now: () => 1_700_000_000_000,
      monotonicNs: steppingClock(250n),
      loadConfig: () => {
        calls.push('load');
        return load(file.text);
      },
      schedule: (delayMs, run) => {
        const timer = { delayMs, run, cancelled: false };
        timers.push(timer);
        return () => (timer.cancelled = true);
      },
      reloadOver: () => reloadsOver.push([...notified]),
    },
    { pid: 4242, version: 'test', configFile: '/k.conf' },
  );
  return { supervisor, calls, list, signals, written, notified, lines, file, timers, reloadsOver };
}
