import { describe, expect, it } from 'vitest';
import { createInstance, explain, instanceConfig, renderExplanation, step, type Instance, type VrrpEvent } from '../../../src/vrrp/index.js';

function run(inst: Instance, events: [number, VrrpEvent][]): Instance {
  for (const [at, e] of events) inst = step(inst, e, at).instance;
  return inst;
}

const config = instanceConfig({
  name: 'VI_1',
  primaryAddress: '10.0.0.1',
  priority: 100,
  preempt: false,
  trackers: [
    { name: 'chk_nginx', kind: 'script', weight: -30 },
    { name: 'chk_bonus', kind: 'script', weight: 20 },
    { name: 'eth1', kind: 'interface', weight: 0 },
  ],
});

describe('explain', () => {
  it('shows the priority arithmetic tracker by tracker, and why nopreempt keeps a Backup', () => {
    let inst = createInstance(config, { chk_nginx: 'down', chk_bonus: 'down', eth1: 'up' });
    inst = run(inst, [
      [0, { type: 'startup' }],
      [1000, { type: 'advert', source: '10.0.0.2', priority: 90, advertIntervalMs: 1000 }],
    ]);
    const e = explain(inst);
    expect(e.state).toBe('BACKUP');
    expect(e.priority.effective).toBe(70);
    expect(e.priority.terms.map((t) => [t.tracker, t.delta])).toEqual([
      ['chk_nginx', -30],
      ['chk_bonus', 0],
      ['eth1', 0],
    ]);
    const text = renderExplanation(e);
    expect(text).toContain('Effective priority 70 = base 100 - 30 (chk_nginx) = 70.');
    expect(text).toContain('script chk_bonus (weight 20) is down: +0 (a positive weight adds only while up)');
    expect(text).toContain('Last master heard: 10.0.0.2 with priority 90, higher than ours (70).');
    expect(e.masterDownIntervalMs).toBeCloseTo(3000 + (186 * 1000) / 256, 9);
  });

  it('names nopreempt when the master heard is lower', () => {
    const inst = run(createInstance(config, { chk_nginx: 'up', chk_bonus: 'up', eth1: 'up' }), [
      [0, { type: 'startup' }],
      [1000, { type: 'advert', source: '10.0.0.2', priority: 90, advertIntervalMs: 1000 }],
    ]);
    const text = renderExplanation(explain(inst));
    expect(text).toContain('120');
    expect(text).toContain('nopreempt: it keeps accepting the lower-priority master');
  });

  it('says which weight-0 tracker holds the instance in FAULT', () => {
    const inst = run(createInstance(config, { eth1: 'up' }), [
      [0, { type: 'startup' }],
      [500, { type: 'tracker', name: 'eth1', up: false }],
    ]);
    const e = explain(inst);
    expect(e.state).toBe('FAULT');
    expect(e.faults).toEqual(['eth1']);
    expect(renderExplanation(e)).toContain('FAULT because a weight-0 tracker failed.');
    expect(renderExplanation(e)).toContain('interface eth1 (weight 0) is down: weight 0, holds the instance in FAULT');
  });

  it('shows clamping', () => {
    const c = instanceConfig({ name: 'VI_2', primaryAddress: '10.0.0.1', priority: 250, trackers: [{ name: 'a', kind: 'file', weight: 40 }] });
    const text = renderExplanation(explain(createInstance(c, { a: 'up' })));
    expect(text).toContain('Effective priority 254 = base 250 + 40 (a) = 290 clamped to 254');
  });
});
