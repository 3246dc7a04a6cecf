import { describe, expect, it } from 'vitest';
import { createNode, instanceConfig, nodeBroadcast, nodeStep, type VrrpNode } from '../../../src/vrrp/index.js';

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

const vi1 = instanceConfig({ name: 'VI_1', primaryAddress: '10.0.0.1', trackers: [{ name: 'chk', kind: 'script', weight: -20 }] });
const vi2 = instanceConfig({ name: 'VI_2', vrid: 52, primaryAddress: '10.0.0.1' });

describe('VrrpNode', () => {
  it('broadcasts an event to every instance; only those tracking a tracker change priority', () => {
    let node: VrrpNode = nodeBroadcast(createNode([vi1, vi2]), { type: 'startup' }, 0).node;
    const r = nodeBroadcast(node, { type: 'tracker', name: 'chk', up: false }, 100);
    node = r.node;
    expect(node.instances.VI_1?.effectivePriority).toBe(80);
    expect(node.instances.VI_2?.effectivePriority).toBe(100);
    expect(r.actions.filter((a) => a.type === 'armTimer').map((a) => a.type === 'armTimer' && a.instance)).toEqual(['VI_1']);
  });

  it('never mutates the node or instance it is given', () => {
    let node = deepFreeze(createNode([vi1, vi2], [{ name: 'G', members: ['VI_1', 'VI_2'], notify: {} }]));
    const events = [
      ['VI_1', { type: 'startup' }, 0],
      ['VI_2', { type: 'startup' }, 0],
      ['VI_1', { type: 'timer', timer: 'masterDown' }, 3609.375],
      ['VI_2', { type: 'timer', timer: 'masterDown' }, 3609.375],
      ['VI_1', { type: 'advert', source: '10.0.0.2', priority: 50, advertIntervalMs: 1000 }, 4000],
      ['VI_2', { type: 'interface', up: false }, 5000],
      ['VI_2', { type: 'interface', up: true }, 6000],
      ['VI_1', { type: 'shutdown' }, 7000],
    ] as const;
    for (const [name, event, at] of events) node = deepFreeze(nodeStep(node, name, event, at).node);
    expect(node.instances.VI_1?.state).toBe('STOP');
    expect(node.instances.VI_2?.state).toBe('BACKUP');
  });

  it('ignores events for instances it does not have', () => {
    const node = createNode([vi1]);
    const r = nodeStep(node, 'VI_9', { type: 'startup' }, 0);
    expect(r.actions).toEqual([]);
    expect(r.node.instances).toEqual(node.instances);
  });
});
