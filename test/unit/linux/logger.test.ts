import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { logDestination } from '../../../src/linux/logger.js';
import type { LogRecord } from '../../../src/log/journal-entry.js';

const dir = mkdtempSync(join(tmpdir(), 'kts-logger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
vi.setConfig({ testTimeout: 30_000 });

describe('logDestination', () => {
  it('decodes each line once and gives every sink its form', () => {
    const got: Record<string, unknown[]> = { json: [], journal: [], console: [], file: [] };
    const line = `${JSON.stringify({ level: 30, time: new Date(2026, 11, 7, 16, 9, 7).getTime(), msg: '(VI_1) Entering MASTER STATE' })}\n`;
    logDestination({
      json: (l) => got.json!.push(l),
      journal: (r: LogRecord) => got.journal!.push(r.msg),
      console: (t) => got.console!.push(t),
      file: (t) => got.file!.push(t),
    }).write(line);
    expect(got).toEqual({
      json: [line],
      journal: ['(VI_1) Entering MASTER STATE'],
      console: ['Mon Dec  7 16:09:07 2026: (VI_1) Entering MASTER STATE\n'],
      file: ['Mon Dec 07 16:09:07.000000000 2026: (VI_1) Entering MASTER STATE\n'],
    });
  });

  it('a failing sink loses its line and the others still get it', () => {
    const file: string[] = [];
    const destination = logDestination({
      json: () => {
        throw Object.assign(new Error('EPIPE'), { code: 'EPIPE' });
      },
      file: (t) => file.push(t),
    });
    expect(() => destination.write('{"level":40,"msg":"a"}\n')).not.toThrow();
    expect(file).toHaveLength(1);
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
