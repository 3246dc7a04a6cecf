import { describe, expect, it } from 'vitest';
import { dumpPath } from '../../../src/daemon/dump-paths.js';
import type { ServiceEvent } from '../../../src/daemon/service.js';
import { CONFIG, FakeService, gated, setup } from './fakes/supervisor.js';
import { settle } from './fakes/timers.js';

const DUMPING = (calls: string[]) => [
  new FakeService('vrrp', calls, { data: 'keepalived.data', stats: 'keepalived.stats', json: 'keepalived.json' }),
  new FakeService('checkers', calls, { data: 'keepalived_check.data' }),
];

describe('Supervisor', () => {
  it('starts services in order, tells systemd READY, and stops them in reverse on TERM with exit status 0', async () => {
    const { supervisor, calls, signals, notified } = setup(DUMPING);
    await supervisor.start(CONFIG);
    expect(notified).toEqual(['READY=1', 'STATUS=running']);
    signals.send('SIGTERM');
    expect(await supervisor.finished).toBe(0);
    expect(calls).toEqual(['start vrrp', 'start checkers', 'stop checkers', 'stop vrrp']);
    expect(notified).toEqual(['READY=1', 'STATUS=running', 'STOPPING=1']);
    expect(signals.closed).toBe(true);
  });

  it('queues a HUP and a dump that come during start-up behind it, and a TERM behind them; a second TERM changes nothing', async () => {
    const { supervisor, calls, list, signals, lines } = setup(DUMPING);
    const gate = gated();
    list[0]!.gate = gate.promise;
    const starting = supervisor.start(CONFIG);
    signals.send('SIGHUP');
    signals.send('SIGUSR1');
    signals.send('SIGTERM');
    signals.send('SIGTERM');
    await settle();
    expect(calls).toEqual(['start vrrp']);
    gate.open();
    await starting;
    expect(await supervisor.finished).toBe(0);
    expect(calls).toEqual(['start vrrp', 'start checkers', 'write /run/kts-test/keepalived.data', 'write /run/kts-test/keepalived_check.data', 'stop checkers', 'stop vrrp']);
    // the TERM came before the HUP's turn: the reload is dropped, not half-run on the way down
    expect(lines.filter((l) => l.msg === 'Reloading ...')).toHaveLength(0);
  });

  it("USR1, USR2 and 36 write each service's keepalived file at its path (TMPDIR, or the configured *_dump_file) with keepalived's log line", async () => {
    const { supervisor, signals, written, lines } = setup(DUMPING);
    await supervisor.start(CONFIG);
    signals.send('SIGUSR1');
    signals.send('SIGUSR2');
    signals.send('SIGJSON');
    await settle();
    expect(written.map((w) => w.path)).toEqual(['/run/kts-test/keepalived.data', '/run/kts-test/keepalived_check.data', '/var/run/kts.stats', '/run/kts-test/keepalived.json']);
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['Printing VRRP data for process(4242) on signal', 'Printing VRRP stats for process(4242) on signal', 'Printing VRRP as json for process(4242) on signal']),
    );
  });

  it('63 writes the stats and then clears them, in the services that write stats', async () => {
    const { supervisor, signals, written, list } = setup(DUMPING);
    await supervisor.start(CONFIG);
    signals.send('SIGSTATS_CLEAR');
    await settle();
    signals.send('SIGUSR2');
    await settle();
    expect(written.map((w) => w.text)).toEqual(['vrrp stats cleared=0\n', 'vrrp stats cleared=1\n']);
    expect(list[0]!.cleared).toBe(1);
    expect(list[1]!.cleared).toBe(0);
  });

  it('a storm of the same dump signal while one waits writes one file, not one per signal', async () => {
    const { supervisor, signals, written, list } = setup(DUMPING);
    const gate = gated();
    list[1]!.gate = gate.promise;
    const starting = supervisor.start(CONFIG);
    for (let i = 0; i < 500; i++) {
      signals.send('SIGUSR2');
      signals.send('SIGJSON');
    }
    gate.open();
    await starting;
    await settle();
    expect(written.map((w) => w.path)).toEqual(['/var/run/kts.stats', '/run/kts-test/keepalived.json']);
  });

  it("a failed dump write is logged with keepalived's words and the daemon carries on", async () => {
    const { supervisor, signals, lines, calls } = setup(DUMPING);
    await supervisor.start(CONFIG);
    (supervisor as unknown as { ports: { writeDump: () => Promise<void> } }).ports.writeDump = () => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
    signals.send('SIGUSR2');
    await settle();
    expect(lines.some((l) => l.msg.startsWith("Can't open /var/run/kts.stats (EACCES"))).toBe(true);
    signals.send('SIGTERM');
    expect(await supervisor.finished).toBe(0);
    expect(calls.at(-1)).toBe('stop vrrp');
  });

  it('when a service fails to start, those started stop again in reverse and start rejects', async () => {
    const { supervisor, calls, list, notified } = setup((c) => [new FakeService('vrrp', c), new FakeService('lvs', c), new FakeService('control', c)]);
    list[1]!.failStart = true;
    await expect(supervisor.start(CONFIG)).rejects.toThrow('lvs cannot start');
    expect(calls).toEqual(['start vrrp', 'start lvs', 'stop vrrp']);
    expect(notified).toEqual([]);
  });

  it('relays a published event to every other service at once, and aggregates their status', async () => {
    const { supervisor, list } = setup((c) => [new FakeService('vrrp', c), new FakeService('lvs', c), new FakeService('control', c)]);
    await supervisor.start(CONFIG);
    const event: ServiceEvent = { type: 'vrrp-state', instance: 'VI_1', state: 'MASTER', addresses: ['10.0.0.100'] };
    list[0]!.context!.publish(event);
    expect(list.map((s) => s.received)).toEqual([[], [event], [event]]);
    const snapshot = list[2]!.context!.snapshot();
    expect(snapshot).toMatchObject({ pid: 4242, version: 'test', configFile: '/k.conf', loadedAtUnix: 1_700_000_000_000, lastReload: null });
    expect(Object.keys(snapshot.services)).toEqual(['vrrp', 'lvs', 'control']);
  });

  it('sends STATUS= at once after READY, then at most once a second however many events come, the last value always; none after STOPPING', async () => {
    const { supervisor, list, signals, notified, timers } = setup((c) => [new FakeService('vrrp', c)]);
    let state = 'BACKUP';
    list[0]!.status = () => ({ instances: [{ name: 'VI_1', state }] });
    await supervisor.start(CONFIG);
    expect(notified).toEqual(['READY=1', 'STATUS=VI_1 BACKUP']);
    const publish = () => list[0]!.context!.publish({ type: 'vrrp-state', instance: 'VI_1', state: 'MASTER', addresses: [] });
    for (const s of ['MASTER', 'BACKUP', 'MASTER']) {
      state = s;
      publish();
    }
    // inside the interval: nothing yet, one timer armed
    expect(notified).toEqual(['READY=1', 'STATUS=VI_1 BACKUP']);
    expect(timers.map((t) => t.delayMs)).toEqual([1000]);
    timers[0]!.run();
    expect(notified).toEqual(['READY=1', 'STATUS=VI_1 BACKUP', 'STATUS=VI_1 MASTER']);
    // a quiet interval ends with nothing to send
    timers[1]!.run();
    expect(timers).toHaveLength(2);
    state = 'FAULT';
    publish();
    expect(notified.at(-1)).toBe('STATUS=VI_1 FAULT');
    signals.send('SIGTERM');
    expect(await supervisor.finished).toBe(0);
    expect(timers.at(-1)!.cancelled).toBe(true);
    expect(notified.at(-1)).toBe('STOPPING=1');
  });

  it("a slow stop of one service does not hold up another service's own work", async () => {
    const { supervisor, list, signals } = setup((c) => [new FakeService('vrrp', c), new FakeService('lvs', c)]);
    await supervisor.start(CONFIG);
    const gate = gated();
    list[1]!.gate = gate.promise;
    signals.send('SIGTERM');
    await settle();
    // lvs is still stopping; vrrp, not yet asked, still publishes and is heard at once
    list[0]!.context!.publish({ type: 'vrrp-state', instance: 'VI_1', state: 'BACKUP', addresses: [] });
    expect(list[1]!.received).toHaveLength(1);
    gate.open();
    expect(await supervisor.finished).toBe(0);
  });

  it('signals other than TERM and INT leave the services running', async () => {
    const { supervisor, calls, signals } = setup(DUMPING);
    await supervisor.start(CONFIG);
    for (const s of ['SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGJSON', 'SIGSTATS_CLEAR'] as const) signals.send(s);
    await settle();
    expect(calls.filter((c) => c.startsWith('stop'))).toEqual([]);
    signals.send('SIGINT');
    expect(await supervisor.finished).toBe(0);
  });
});

describe('dumpPath', () => {
  it('follows keepalived: the configured *_dump_file, else $TMPDIR when absolute, else /tmp', () => {
    expect(dumpPath(CONFIG, 'keepalived.stats', {})).toBe('/var/run/kts.stats');
    expect(dumpPath(CONFIG, 'keepalived.data', {})).toBe('/tmp/keepalived.data');
    expect(dumpPath(CONFIG, 'keepalived.json', { TMPDIR: '/run/x' })).toBe('/run/x/keepalived.json');
    expect(dumpPath(CONFIG, 'keepalived.json', { TMPDIR: 'relative' })).toBe('/tmp/keepalived.json');
  });
});
