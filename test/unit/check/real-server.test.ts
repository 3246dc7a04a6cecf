import { describe, expect, it } from 'vitest';
import { initialRealServer, onStop, onVerdict, type RealServerNames } from '../../../src/check/real-server.js';

const names: RealServerNames = { rs: '[10.0.0.2]:tcp:80', vs: '[192.168.1.1]:tcp:80', notifyUp: '/bin/up.sh', notifyDown: '/bin/down.sh' };
const v = (up: boolean, firstRun = false, alpha = false) => ({ up, firstRun, alpha, reason: up ? 'success' : 'failed' });

describe('real server state (ipwrapper.c update_svr_checker_state)', () => {
  it('starts alive unless a checker is alpha', () => {
    expect(initialRealServer([false, false])).toEqual({ alive: true, checkersUp: [true, true] });
    expect(initialRealServer([false, true])).toEqual({ alive: false, checkersUp: [true, false] });
  });

  it('goes down at the first failed checker: notify_down and the FIFO line with its NUL', () => {
    const r = onVerdict(names, initialRealServer([false, false]), 1, v(false));
    expect(r.state).toEqual({ alive: false, checkersUp: [true, false] });
    expect(r.actions).toEqual([
      { type: 'checker', checker: 1, up: false, reason: 'failed' },
      { type: 'script', script: '/bin/down.sh' },
      { type: 'fifo', line: 'RS [10.0.0.2]:tcp:80 [192.168.1.1]:tcp:80 DOWN\n\0' },
    ]);
  });

  it('comes back only when the last failed checker is up again', () => {
    let s = initialRealServer([false, false]);
    s = onVerdict(names, s, 0, v(false)).state;
    s = onVerdict(names, s, 1, v(false)).state;
    const first = onVerdict(names, s, 0, v(true));
    expect(first.state.alive).toBe(false);
    expect(first.actions).toEqual([{ type: 'checker', checker: 0, up: true, reason: 'success' }]);
    const second = onVerdict(names, first.state, 1, v(true));
    expect(second.state.alive).toBe(true);
    expect(second.actions.map((a) => a.type)).toEqual(['checker', 'script', 'fifo']);
    expect(second.actions[2]).toEqual({ type: 'fifo', line: 'RS [10.0.0.2]:tcp:80 [192.168.1.1]:tcp:80 UP\n\0' });
  });

  it('a first verdict that changes nothing still notifies under alpha or on failure', () => {
    const alpha = initialRealServer([true]);
    expect(onVerdict(names, alpha, 0, v(false, true, true)).actions.map((a) => a.type)).toEqual(['script', 'fifo']);
    expect(onVerdict(names, initialRealServer([false]), 0, v(true, true)).actions).toEqual([]);
  });

  it('without scripts only the FIFO line is written', () => {
    const r = onVerdict({ ...names, notifyDown: null }, initialRealServer([false]), 0, v(false));
    expect(r.actions.map((a) => a.type)).toEqual(['checker', 'fifo']);
  });

  it('omega: a live server runs its down notifies at shutdown', () => {
    expect(onStop(names, initialRealServer([false]), true).map((a) => a.type)).toEqual(['script', 'fifo']);
    expect(onStop(names, initialRealServer([false]), false)).toEqual([]);
    expect(onStop(names, initialRealServer([true]), true)).toEqual([]);
  });
});
