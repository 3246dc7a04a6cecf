/** Fake ports for the checker service: a manual clock with timers, scripted probes, recorded side effects. */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { analyze } from '../../../src/config/analyze.js';
import type { CheckerType, KeepalivedConfig } from '../../../src/config/model.js';
import type { ProbeResult, ProbeTarget, Prober } from '../../../src/check/probe.js';
import type { CheckerPorts } from '../../../src/daemon/checker-service.js';
import { FakeTimers } from '../daemon/fakes/timers.js';
import type { ServiceContext, ServiceEvent } from '../../../src/daemon/service.js';
import { parseText } from '../config/helpers.js';

export function config(text: string): KeepalivedConfig {
  const parsed = parseText(text);
  const analyzed = analyze(parsed.statements);
  const errors = [...parsed.diagnostics, ...analyzed.diagnostics].filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(JSON.stringify(errors));
  return analyzed.config;
}

export class ScriptedProber implements Prober {
  readonly calls: { target: ProbeTarget; at: number }[] = [];
  constructor(
    private readonly clock: FakeTimers,
    public answer: (target: ProbeTarget) => Partial<ProbeResult> & { ok: boolean },
  ) {}
  async probe(target: ProbeTarget): Promise<ProbeResult> {
    this.calls.push({ target, at: this.clock.now() });
    const a = this.answer(target);
    return { reason: a.ok ? 'success' : 'failed', latencyMs: 1, ...a };
  }
}

export interface Recorded {
  readonly clock: FakeTimers;
  readonly prober: ScriptedProber;
  readonly ports: CheckerPorts;
  readonly context: ServiceContext;
  readonly events: { at: number; event: ServiceEvent }[];
  readonly scripts: { at: number; script: string }[];
  readonly fifo: { path: string; line: string }[];
  readonly logs: { level: number; msg: string; [k: string]: unknown }[];
  /** the log records as written, where a repeated key would still show */
  readonly rawLogs: string[];
}

export function fakes(types: readonly CheckerType[] = ['TCP_CHECK', 'HTTP_GET', 'SSL_GET']): Recorded {
  const clock = new FakeTimers(0);
  const prober = new ScriptedProber(clock, () => ({ ok: true }));
  const events: Recorded['events'] = [];
  const scripts: Recorded['scripts'] = [];
  const fifo: Recorded['fifo'] = [];
  const logs: Recorded['logs'] = [];
  const rawLogs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        logs.push(JSON.parse(line));
        rawLogs.push(line);
      }
      cb();
    },
  });
  const log: Logger = pino({ level: 'debug' }, sink);
  const ports: CheckerPorts = {
    probers: Object.fromEntries(types.map((t) => [t, prober])),
    now: () => clock.now(),
    random: () => 0,
    timers: clock,
    scripts: () => async (script) => {
      scripts.push({ at: clock.now(), script });
    },
    openFifo: (path) => ({ write: (line) => (fifo.push({ path, line }), true), close: () => undefined }),
  };
  const context: ServiceContext = {
    // as the supervisor hands it over
    log: log.child({ service: 'checkers' }),
    publish: (event) => events.push({ at: clock.now(), event }),
    snapshot: () => ({ pid: 1, version: 'test', configFile: '', loadedAtUnix: 0, lastReload: null, services: {} }),
  };
  return { clock, prober, ports, context, events, scripts, fifo, logs, rawLogs };
}
