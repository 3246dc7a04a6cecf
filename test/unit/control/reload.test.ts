/**
 * The control socket's `reload` request and `keepalived-ts reload [--dry-run]`: parsed and
 * answered once the daemon is done, in order with the requests around it, a client waiting for
 * a long reload is not dropped as idle, and the command's text and exit status.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { parseRequest, respond } from '../../../src/control/protocol.js';
import type { ControlService } from '../../../src/daemon/control-service.js';
import type { ReloadOutcome, ReloadPreview } from '../../../src/daemon/reload.js';
import { startControl } from './harness.js';
import { status } from './fixtures.js';

const APPLIED: ReloadOutcome = { ok: true, result: 'applied', configFile: '/etc/keepalived/keepalived.conf', errors: [], durationUs: 1234, atUnix: 1 };
const REFUSED: ReloadOutcome = { ...APPLIED, ok: false, result: 'refused', errors: ['/etc/keepalived/keepalived.conf:2:3: error: unknown keyword [router_idd]'] };
const PREVIEW: ReloadPreview = {
  configFile: '/etc/keepalived/keepalived.conf',
  refused: false,
  errors: [],
  services: {
    vrrp: {
      service: 'vrrp',
      started: ['VI_3'],
      stopped: [],
      changed: [{ name: 'VI_1', fields: ['priority', 'virtualAddresses', 'vips'], added: ['10.0.0.9'], removed: ['10.0.0.8'] }],
      unchanged: ['VI_2'],
    },
    metrics: null,
    checkers: { started: ['TCP_CHECK [10.0.0.4]:tcp:80'], stopped: [], kept: 1 },
    lvs: { changes: [{ op: 'add', kind: 'destination', text: 'add destination 10.0.0.4:80 in TCP 10.0.0.1:80: masq weight 1' }] },
    control: null,
  },
};

const running: ControlService[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function start(reloads: Parameters<typeof startControl>[3], limits: Parameters<typeof startControl>[1] = {}) {
  const started = await startControl(() => status, limits, undefined, reloads);
  running.push(started.service);
  return started.path;
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** Writes `text` and resolves with the first `count` lines the daemon answers. */
function exchange(path: string, text: string, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(path, () => socket.write(text));
    let buffer = '';
    socket.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n').slice(0, -1);
      if (lines.length < count) return;
      socket.end();
      resolve(lines);
    });
    socket.on('error', reject);
  });
}

describe('the reload request', () => {
  it('is parsed with dryRun false unless it says true, and refuses a dryRun that is not a boolean', () => {
    expect(parseRequest('{"id":1,"command":"reload"}')).toEqual({ id: 1, command: 'reload', dryRun: false });
    expect(parseRequest('{"id":1,"command":"reload","dryRun":true}')).toEqual({ id: 1, command: 'reload', dryRun: true });
    expect(parseRequest('{"id":1,"command":"reload","dryRun":"yes"}')).toMatchObject({ error: { code: 'bad-request' } });
    expect(respond('{"id":1,"command":"reload"}', () => status)).toMatchObject({ ok: false, error: { code: 'reload-unavailable' } });
  });

  it('is answered when the reload is done, before the status asked after it on the same connection', async () => {
    let asked = (_finish: () => void): void => undefined;
    const requested = new Promise<() => void>((resolve) => (asked = resolve));
    const path = await start({ reload: () => new Promise((resolve) => asked(() => resolve(APPLIED))) });
    const answered = exchange(path, '{"id":1,"command":"reload"}\n{"id":2,"command":"status"}\n', 2);
    // the reload is asked for once the line is read; it ends only when the test says
    (await requested)();
    const [first, second] = (await answered).map((l) => JSON.parse(l) as { id: number; ok: boolean; result: unknown });
    expect(first).toEqual({ id: 1, ok: true, result: APPLIED });
    expect(second).toMatchObject({ id: 2, ok: true });
  });

  it('a client waiting for a reload longer than the idle timeout is answered, not dropped', async () => {
    const path = await start({ reload: () => new Promise((resolve) => setTimeout(() => resolve(APPLIED), 150)) }, { idleTimeoutMs: 30 });
    const [line] = await exchange(path, '{"id":7,"command":"reload"}\n', 1);
    expect(JSON.parse(line!)).toEqual({ id: 7, ok: true, result: APPLIED });
  });

  it('a daemon that takes no reloads says so; one whose reload throws answers internal', async () => {
    const none = await start({});
    expect(JSON.parse((await exchange(none, '{"id":1,"command":"reload","dryRun":true}\n', 1))[0]!)).toMatchObject({ ok: false, error: { code: 'reload-unavailable' } });
    const broken = await start({ reload: () => Promise.reject(new Error('boom')) });
    expect(JSON.parse((await exchange(broken, '{"id":1,"command":"reload"}\n', 1))[0]!)).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('boom') } });
  });
});

describe('keepalived-ts reload', () => {
  it('prints the outcome and exits 0 when applied, 1 with the located errors on stderr when refused', async () => {
    let outcome = APPLIED;
    const path = await start({ reload: async () => outcome });
    expect(await run('reload', '--control-socket', path)).toEqual({ code: 0, out: 'Reload of /etc/keepalived/keepalived.conf applied in 1.2 ms\n', err: '' });
    outcome = REFUSED;
    expect(await run('reload', '--control-socket', path)).toEqual({
      code: 1,
      out: '',
      err: 'Reload refused: 1 error(s) in /etc/keepalived/keepalived.conf; the running configuration is kept\n  /etc/keepalived/keepalived.conf:2:3: error: unknown keyword [router_idd]\n',
    });
    const json = await run('reload', '--json', '--control-socket', path);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toEqual(REFUSED);
  });

  it('--dry-run prints what each service would change and exits 0; 1 when the file would be refused', async () => {
    let preview = PREVIEW;
    const path = await start({ previewReload: async () => preview });
    expect(await run('reload', '--dry-run', '--control-socket', path)).toEqual({
      code: 0,
      err: '',
      out: [
        'A reload of /etc/keepalived/keepalived.conf would change:',
        'vrrp: 1 started, 0 stopped, 1 changed, 1 unchanged',
        '  + VI_3',
        '  ~ VI_1: priority, virtualAddresses, vips [+10.0.0.9 -10.0.0.8]',
        'checkers: 1 started, 0 stopped, 1 kept as they are',
        '  + TCP_CHECK [10.0.0.4]:tcp:80',
        'lvs: 1 IPVS write(s)',
        '  + add destination 10.0.0.4:80 in TCP 10.0.0.1:80: masq weight 1',
        '',
      ].join('\n'),
    });
    preview = { ...PREVIEW, refused: true, errors: REFUSED.errors, services: {} };
    expect(await run('reload', '--dry-run', '--control-socket', path)).toMatchObject({
      code: 1,
      err: expect.stringMatching(/would be refused: 1 error\(s\); nothing would change\n {2}\/etc\/keepalived\/keepalived\.conf:2:3: /),
    });
  });

  it('refuses reload options on other commands and a bad --timeout; exits 2 when nothing answers in time', async () => {
    expect(await run('status', '--dry-run')).toMatchObject({ code: 1, err: expect.stringContaining('--dry-run is an option of reload only') });
    expect(await run('reload', '--timeout', '0')).toMatchObject({ code: 1, err: expect.stringContaining('--timeout needs a number of seconds above 0') });
    const path = await start({ reload: () => new Promise(() => undefined) });
    expect(await run('reload', '--timeout=0.1', '--control-socket', path)).toMatchObject({ code: 2, err: expect.stringContaining('no answer within 100 ms') });
  });
});
