import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { pino, type Logger } from 'pino';
import { logDestination, type LogDestination, type LogSinks } from '../../../src/linux/logger.js';
import { batchedLog } from '../../../src/log/batch.js';
import { journalFields, type LogRecord } from '../../../src/log/journal-entry.js';

const dir = mkdtempSync(join(tmpdir(), 'kts-logger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
vi.setConfig({ testTimeout: 30_000 });

/** A pino logger over logDestination(sinks), as createDaemonLog makes it. */
function loggerOver(sinks: LogSinks): { log: Logger; destination: LogDestination } {
  const destination = logDestination(sinks);
  return { log: pino({ level: 'debug', base: { pid: 42 } }, destination), destination };
}

describe('logDestination', () => {
  it("gives every sink its form from pino's record, without parsing the line", () => {
    const got: Record<string, unknown[]> = { json: [], journal: [], console: [], file: [] };
    const { log } = loggerOver({
      json: (l) => got.json!.push(l),
      journal: (r: LogRecord) => got.journal!.push(r.msg),
      console: (t) => got.console!.push(t),
      file: (t) => got.file!.push(t),
    });
    const parse = vi.spyOn(JSON, 'parse');
    vi.useFakeTimers({ now: new Date(2026, 11, 7, 16, 9, 7), toFake: ['Date'] });
    try {
      log.child({ service: 'vrrp' }).info({ instance: 'VI_1' }, '(VI_1) Entering MASTER STATE');
    } finally {
      vi.useRealTimers();
    }
    const time = new Date(2026, 11, 7, 16, 9, 7).getTime();
    expect(got).toEqual({
      json: [`{"level":30,"time":${time},"pid":42,"service":"vrrp","instance":"VI_1","msg":"(VI_1) Entering MASTER STATE"}\n`],
      journal: ['(VI_1) Entering MASTER STATE'],
      console: ['Mon Dec  7 16:09:07 2026: (VI_1) Entering MASTER STATE\n'],
      file: ['Mon Dec 07 16:09:07.000000000 2026: (VI_1) Entering MASTER STATE\n'],
    });
    // the child's bindings, once; never the line
    expect(parse.mock.calls.map(([text]) => text)).toEqual(['{"pid":42,"service":"vrrp"}']);
    parse.mockRestore();
  });

  it('the journal gets the record JSON.parse of the line would give', () => {
    const records: LogRecord[] = [];
    const lines: string[] = [];
    const { log } = loggerOver({ json: (l) => lines.push(l), journal: (r) => records.push(r) });
    const vrrp = log.child({ service: 'vrrp', instance: 'VI_1' });
    const nested = vrrp.child({ instance: 'VI_2', extra: { a: 1 } });
    const error = Object.assign(new Error('boom'), { code: 'EPIPE' });
    vrrp.info('plain');
    vrrp.warn({ state: 'MASTER', n: 3, ok: true, gone: undefined, inf: Infinity, nil: null }, 'fields %s', 'formatted');
    vrrp.error({ err: error, code: 'EPIPE' }, 'with an error');
    vrrp.error(error);
    nested.info({ instance: 'VI_3', list: [1, 'two'], at: new Date(0), deep: { b: { c: 2 } } }, 'overrides');
    nested.info({ msg: 'in the object' });
    nested.info({ msg: 'both' }, 'argument wins');
    log.debug({ level: 'odd', time: 5 }, 'reserved keys');
    vrrp.setBindings({ instance: 'VI_9' });
    vrrp.info('rebound');
    expect(records).toEqual(lines.map((l) => JSON.parse(l) as LogRecord));
    expect(records.map((r) => journalFields(r, 3))).toEqual(lines.map((l) => journalFields(JSON.parse(l) as LogRecord, 3)));
  });

  it('batch writes what its records give each line sink at once, in order', () => {
    const writes: Record<string, string[]> = { json: [], console: [], journal: [] };
    const { log, destination } = loggerOver({ json: (l) => writes.json!.push(l), console: (t) => writes.console!.push(t), journal: (r) => writes.journal!.push(String(r.msg)) });
    const result = destination.batch(() => {
      log.info('one');
      log.info('two');
      expect(writes.json).toEqual([]);
      return 7;
    });
    expect(result).toBe(7);
    expect(writes.json).toHaveLength(1);
    expect(writes.json![0]!.split('\n').map((l) => (l === '' ? '' : (JSON.parse(l) as LogRecord).msg))).toEqual(['one', 'two', '']);
    expect(writes.console![0]).toMatch(/^.*: one\n.*: two\n$/);
    expect(writes.journal).toEqual(['one', 'two']);
    log.info('three');
    expect(writes.json).toHaveLength(2);
  });

  it('batchedLog batches through a logger over logDestination, and simply runs over any other', () => {
    const json: string[] = [];
    const { log } = loggerOver({ json: (l) => json.push(l) });
    batchedLog(log.child({ service: 'lvs' }), () => {
      log.info('a');
      log.info('b');
    });
    expect(json).toHaveLength(1);
    const other = pino({ base: null, timestamp: false }, { write: (l: string) => json.push(l) });
    batchedLog(other, () => {
      other.info('c');
      other.info('d');
    });
    expect(json.slice(1)).toEqual(['{"level":30,"msg":"c"}\n', '{"level":30,"msg":"d"}\n']);
  });

  it('a failing sink loses its line and the others still get it, in a batch too', () => {
    const file: string[] = [];
    const { log, destination } = loggerOver({
      json: () => {
        throw Object.assign(new Error('EPIPE'), { code: 'EPIPE' });
      },
      file: (t) => file.push(t),
    });
    expect(() => log.warn('a')).not.toThrow();
    expect(() => destination.batch(() => log.warn('b'))).not.toThrow();
    expect(file).toHaveLength(2);
  });
});

// The built logger in a child whose stdout is a file, as systemd's journal stream would be.
const LOGGER = resolve('dist/linux/logger.js');
const SETTINGS = resolve('dist/log/settings.js');
const OPTIONS = resolve('dist/cli/options.js');

function runLogger(args: string[], env: Record<string, string>, stdoutFile: string): { stdout: string; stderr: string } {
  const script = `
    import { createDaemonLog } from ${JSON.stringify(LOGGER)};
    import { logSettings } from ${JSON.stringify(SETTINGS)};
    import { parseCommandLine } from ${JSON.stringify(OPTIONS)};
    const { log, syslog } = createDaemonLog(logSettings(parseCommandLine(process.argv.slice(1)).options), process.env, ${JSON.stringify(join(dir, 'no-journal.sock'))});
    const vrrp = log.child({ service: 'vrrp' });
    vrrp.info({ instance: 'VI_1', state: 'MASTER' }, '(VI_1) Entering MASTER STATE');
    vrrp.warn({ instance: 'VI_1' }, 'a warning');
    vrrp.debug('a detail');
    process.stderr.write('syslog=' + syslog + '\\n');
  `;
  const out = openSync(stdoutFile, 'w');
  try {
    const { dev, ino } = fstatSync(out);
    const wanted = env.JOURNAL_STREAM === 'stdout' ? { ...env, JOURNAL_STREAM: `${dev}:${ino}` } : env;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, '--', ...args], { env: { PATH: process.env.PATH, ...wanted }, stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
    return { stdout: readFileSync(stdoutFile, 'utf8'), stderr: r.stderr };
  } finally {
    closeSync(out);
  }
}

describe('createDaemonLog', () => {
  it('without a journal: pino JSON lines on stdout, -D adds debug', () => {
    const r = runLogger(['-D'], {}, join(dir, 'plain'));
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as LogRecord);
    expect(lines.map((l) => [l.level, l.msg, l.service])).toEqual([
      [30, '(VI_1) Entering MASTER STATE', 'vrrp'],
      [40, 'a warning', 'vrrp'],
      [20, 'a detail', 'vrrp'],
    ]);
    expect(r.stderr).toBe('syslog=stdout\n');
  });

  it('stdout is the journal stream but journald is gone: each message with its <N> priority', () => {
    const r = runLogger([], { JOURNAL_STREAM: 'stdout' }, join(dir, 'journal'));
    expect(r.stdout).toBe('<6>(VI_1) Entering MASTER STATE\n<4>a warning\n');
    expect(r.stderr).toBe('syslog=journal\n');
  });

  it("-l adds keepalived's console lines on stderr; -G leaves stdout empty", () => {
    const r = runLogger(['-l', '-G'], {}, join(dir, 'console'));
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}: \(VI_1\) Entering MASTER STATE\n\w{3} .*: a warning\nsyslog=none\n$/);
  });

  it('-g appends file lines; a file it cannot open does not stop the other outputs', () => {
    const file = join(dir, 'ka.log');
    runLogger(['-G', `-g${file}`], {}, join(dir, 'f1'));
    runLogger(['-G', `-g${file}`], {}, join(dir, 'f2'));
    expect(readFileSync(file, 'utf8')).toMatch(/^(\w{3} \w{3} \d\d \d\d:\d\d:\d\d\.\d{9} \d{4}: (\(VI_1\) Entering MASTER STATE|a warning)\n){4}$/);
    const bad = runLogger([`-g${join(dir, 'missing-dir', 'x.log')}`], {}, join(dir, 'f3'));
    expect(bad.stdout).toContain('a warning');
  });
});
