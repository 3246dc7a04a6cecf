/**
 * The supervisor's reload path with fake services: the order services apply a new file in,
 * a file with errors refused whole, a service's failure putting the others back, HUPs queued
 * behind start-up and behind each other, systemd's RELOADING=1 / READY=1, and the dry-run.
 */
import { describe, expect, it } from 'vitest';
import { CONFIG, CONFIG_TEXT, FakeService, gated, setup } from './fakes/supervisor.js';
import { settle } from './fakes/timers.js';

const THREE = (calls: string[]) => [new FakeService('vrrp', calls), new FakeService('checkers', calls), new FakeService('lvs', calls)];
const NEW_FILE = CONFIG_TEXT.replace('router_id lb1', 'router_id lb2');
/** Line 2 column 3 holds a keyword keepalived does not know. */
const BAD_FILE = 'global_defs {\n  router_idd lb2\n}\n';

/** The harness with its supervisor started and the start-up's calls and notifications cleared. */
async function running(make: Parameters<typeof setup>[0] = THREE): Promise<ReturnType<typeof setup>> {
  const h = setup(make);
  await h.supervisor.start(CONFIG);
  h.calls.length = 0;
  h.notified.length = 0;
  return h;
}

describe('Supervisor reload', () => {
  it('on HUP reads the file again and has every service apply it in start order, between RELOADING=1 and READY=1', async () => {
    const { supervisor, calls, list, signals, notified, lines, file } = await running();
    file.text = NEW_FILE;
    signals.send('SIGHUP');
    await settle();
    expect(calls).toEqual(['load', 'reconfigure vrrp', 'reconfigure checkers', 'reconfigure lvs']);
    expect(list.map((s) => s.configs)).toEqual([['lb2'], ['lb2'], ['lb2']]);
    expect(notified[0]).toMatch(/^RELOADING=1\nMONOTONIC_USEC=\d+$/);
    expect(notified.slice(1)).toEqual(['READY=1']);
    // each step says how long it took, on a clock that steps 250 us per reading
    expect(lines.filter((l) => l.msg.startsWith('Reload')).map((l) => [l.msg, l['durationUs']])).toEqual([
      ['Reloading ...', undefined],
      ['Reload: /k.conf read', 250],
      ['Reload: vrrp applied the new configuration', 250],
      ['Reload: checkers applied the new configuration', 250],
      ['Reload: lvs applied the new configuration', 250],
      ['Reload finished in 2000 usec', 2000],
      ['Reload complete', 2000],
    ]);
    expect(supervisor.snapshot()).toMatchObject({ lastReload: { ok: true, result: 'applied', errors: [], durationUs: 2000 }, reloads: { ok: 1, failed: 0 } });
  });

  it('says a reload is over once READY=1 is sent, applied or refused, so the next reader thread starts then and not during it', async () => {
    const { supervisor, signals, notified, reloadsOver, file } = setup(THREE);
    await supervisor.start(CONFIG);
    notified.length = 0;
    file.text = NEW_FILE;
    signals.send('SIGHUP');
    await settle();
    expect(reloadsOver).toEqual([['RELOADING=1\nMONOTONIC_USEC=5000250', 'READY=1']]);
    file.text = BAD_FILE;
    signals.send('SIGHUP');
    await settle();
    expect(reloadsOver).toHaveLength(2);
    expect(reloadsOver[1]!.slice(-2)).toEqual(['READY=1', expect.stringMatching(/^STATUS=last reload not applied/)]);
  });

  it('the MONOTONIC_USEC it sends is the monotonic clock at the start of the reload, in microseconds', async () => {
    const { signals, notified } = await running();
    signals.send('SIGHUP');
    await settle();
    const sent = notified.find((n) => n.startsWith('RELOADING=1'));
    // the clock starts at 5 s and steps 250 us per reading; the reload reads it first
    expect(sent).toBe('RELOADING=1\nMONOTONIC_USEC=5000250');
  });

  it('refuses a file with errors whole: no service is asked, each error is logged at error level as file:line:col, systemd hears why', async () => {
    const { supervisor, calls, signals, notified, lines, file } = await running();
    file.text = BAD_FILE;
    signals.send('SIGHUP');
    await settle();
    expect(calls).toEqual(['load']);
    const errors = lines.filter((l) => l.level === 50);
    expect(errors[0]).toMatchObject({ at: '/k.conf:2:3', msg: expect.stringMatching(/^\/k\.conf:2:3: error: .*router_idd/) });
    expect(errors.at(-1)?.msg).toBe(`Reload refused: ${errors.length - 1} error(s) in /k.conf; the running configuration is kept`);
    expect(notified[0]).toMatch(/^RELOADING=1\n/);
    expect(notified[1]).toBe('READY=1');
    expect(notified[2]).toMatch(/^STATUS=last reload not applied \(\d error\(s\)\), running configuration kept: \/k\.conf:2:3: error: /);
    expect(lines.map((l) => l.msg)).not.toContain('Reload complete');
    expect(supervisor.snapshot()).toMatchObject({ lastReload: { ok: false, result: 'refused' }, reloads: { ok: 0, failed: 1 } });
  });

  it('when a service rejects the new file, those that had applied it go back to the running one, last first, and later ones are not asked', async () => {
    const { supervisor, calls, list, signals, lines, file } = await running((c) => [...THREE(c), new FakeService('control', c)]);
    list[2]!.failReconfigure = 'IPVS said no';
    file.text = NEW_FILE;
    signals.send('SIGHUP');
    await settle();
    expect(calls).toEqual(['load', 'reconfigure vrrp', 'reconfigure checkers', 'reconfigure lvs', 'reconfigure checkers', 'reconfigure vrrp']);
    expect(list.map((s) => s.configs)).toEqual([['lb2', 'lb1'], ['lb2', 'lb1'], [], []]);
    expect(lines.map((l) => l.msg)).toContain('Reload failed: lvs could not apply the new configuration: IPVS said no; the running configuration is kept');
    expect(supervisor.snapshot().lastReload).toMatchObject({ ok: false, result: 'failed', errors: ['lvs could not apply the new configuration: IPVS said no'] });
  });

  it('a HUP during start-up is applied once start-up is done', async () => {
    const { supervisor, calls, list, signals } = setup(THREE);
    const gate = gated();
    list[1]!.gate = gate.promise;
    const starting = supervisor.start(CONFIG);
    signals.send('SIGHUP');
    await settle();
    expect(calls).toEqual(['start vrrp', 'start checkers']);
    gate.open();
    await starting;
    await settle();
    expect(calls).toEqual(['start vrrp', 'start checkers', 'start lvs', 'load', 'reconfigure vrrp', 'reconfigure checkers', 'reconfigure lvs']);
  });

  it('HUPs during a reload wait for it; those that come before the next one begins share it, and it reads the file as it is then', async () => {
    const { supervisor, calls, list, signals, file } = await running();
    const gate = gated();
    list[1]!.gate = gate.promise;
    file.text = NEW_FILE;
    signals.send('SIGHUP');
    await settle();
    expect(calls).toEqual(['load', 'reconfigure vrrp', 'reconfigure checkers']);
    signals.send('SIGHUP');
    signals.send('SIGHUP');
    file.text = CONFIG_TEXT.replace('router_id lb1', 'router_id lb3');
    gate.open();
    await settle();
    expect(calls.filter((c) => c === 'load')).toHaveLength(2);
    expect(list.map((s) => s.configs)).toEqual([
      ['lb2', 'lb3'],
      ['lb2', 'lb3'],
      ['lb2', 'lb3'],
    ]);
    expect(supervisor.snapshot().reloads).toEqual({ ok: 2, failed: 0 });
  });

  it('a reload requested through the context resolves with its outcome, after the HUP queued before it', async () => {
    const { supervisor, list, signals, file } = await running();
    const gate = gated();
    list[0]!.gate = gate.promise;
    signals.send('SIGHUP');
    await settle();
    file.text = BAD_FILE;
    const asked = list[2]!.context!.reload!();
    gate.open();
    const outcome = await asked;
    expect(outcome).toMatchObject({ ok: false, result: 'refused', configFile: '/k.conf' });
    expect(outcome.errors[0]).toMatch(/^\/k\.conf:2:3: error: /);
    expect(supervisor.snapshot().reloads).toEqual({ ok: 1, failed: 1 });
  });

  it('a HUP queued before a TERM is dropped: systemd is not told RELOADING after STOPPING', async () => {
    const { supervisor, calls, list, signals, notified } = await running();
    const gate = gated();
    list[0]!.gate = gate.promise;
    signals.send('SIGUSR1');
    signals.send('SIGHUP');
    signals.send('SIGTERM');
    gate.open();
    expect(await supervisor.finished).toBe(0);
    expect(calls).not.toContain('load');
    expect(notified.filter((n) => n.startsWith('RELOADING'))).toEqual([]);
  });

  it('the dry-run asks each service that offers a preview, applies nothing, and shows null for the others', async () => {
    const { supervisor, calls, list, file, notified } = await running();
    list[2]!.preview = (config) => ({ routerId: config.global_defs.router_id });
    file.text = NEW_FILE;
    const preview = await list[0]!.context!.previewReload!();
    expect(preview).toEqual({ configFile: '/k.conf', refused: false, errors: [], services: { vrrp: null, checkers: null, lvs: { routerId: 'lb2' } } });
    expect(calls).toEqual(['load']);
    expect(notified).toEqual([]);
    file.text = BAD_FILE;
    const refused = await list[0]!.context!.previewReload!();
    expect(refused).toMatchObject({ refused: true, services: { vrrp: null, checkers: null, lvs: null } });
    expect(refused.errors[0]).toMatch(/^\/k\.conf:2:3: error: /);
    expect(supervisor.snapshot().lastReload).toBeNull();
  });

  it("a service whose preview throws shows its error in its place, and the others' previews still come", async () => {
    const { list } = await running();
    list[0]!.preview = () => {
      throw new Error('no plan');
    };
    list[1]!.preview = () => ({ started: 0 });
    expect((await list[0]!.context!.previewReload!()).services).toEqual({ vrrp: { error: 'no plan' }, checkers: { started: 0 }, lvs: null });
  });

  it('a fault of its own during a reload (systemd notify throwing) is logged and answered as failed, and the next reload runs', async () => {
    const { supervisor, list, lines, calls } = await running();
    const ports = (supervisor as unknown as { ports: { notify: (state: string) => void } }).ports;
    const notify = ports.notify;
    ports.notify = () => {
      throw new Error('ECONNREFUSED');
    };
    expect(await list[0]!.context!.reload!()).toMatchObject({ ok: false, result: 'failed', errors: ['ECONNREFUSED'] });
    expect(lines.map((l) => l.msg)).toContain('Reload failed: ECONNREFUSED');
    ports.notify = notify;
    calls.length = 0;
    expect(await list[0]!.context!.reload!()).toMatchObject({ ok: true });
    expect(calls).toEqual(['load', 'reconfigure vrrp', 'reconfigure checkers', 'reconfigure lvs']);
  });
});
