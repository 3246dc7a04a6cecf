import { describe, expect, it } from 'vitest';
import { createNode, instanceConfig, nodeAdvance, nodeBroadcast, nodeStep, nodeStopped, type VrrpEvent, type VrrpNode } from '../../../src/vrrp/index.js';

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

  it('nodeBroadcast leaves the node it is given as it was', () => {
    const node = deepFreeze(createNode([vi1, vi2], [{ name: 'G', members: ['VI_1', 'VI_2'], notify: {} }]));
    const r = nodeBroadcast(node, { type: 'startup' }, 0);
    expect(Object.values(r.node.instances).map((i) => i.state)).toEqual(['BACKUP', 'BACKUP']);
    expect(Object.values(node.instances).map((i) => i.state)).toEqual(['INITIALIZE', 'INITIALIZE']);
  });

  it('nodeAdvance (in place, for the shell that owns the node) gives what nodeStep gives, sync groups included', () => {
    const vi3 = instanceConfig({ name: 'VI_3', vrid: 53, primaryAddress: '10.0.0.1' });
    const groups = [{ name: 'G', members: ['VI_1', 'VI_2'], notify: { master: '/bin/g-master' } }];
    const events: [string, VrrpEvent, number][] = [
      ['VI_1', { type: 'startup' }, 0],
      ['VI_2', { type: 'startup' }, 0],
      ['VI_3', { type: 'startup' }, 0],
      ['VI_1', { type: 'timer', timer: 'masterDown' }, 3609.375],
      ['VI_2', { type: 'timer', timer: 'masterDown' }, 3609.375],
      ['VI_3', { type: 'timer', timer: 'masterDown' }, 3609.375],
      ['VI_1', { type: 'interface', up: false }, 5000],
      ['VI_3', { type: 'advert', source: '10.0.0.2', priority: 200, advertIntervalMs: 1000 }, 5500],
      ['VI_1', { type: 'interface', up: true }, 6000],
    ];
    let pure: VrrpNode = createNode([vi1, vi2, vi3], groups);
    let owned: VrrpNode = createNode([vi1, vi2, vi3], groups);
    const table = owned.instances;
    for (const [name, event, at] of events) {
      const a = nodeStep(pure, name, event, at);
      const b = nodeAdvance(owned, name, event, at);
      expect(b.actions).toEqual(a.actions);
      pure = a.node;
      owned = b.node;
      expect(owned).toEqual(pure);
    }
    // the same table throughout: no copy per event
    expect(owned.instances).toBe(table);
    expect(owned.groups[0]?.state).toBe('BACKUP');
    expect(owned.instances.VI_3?.state).toBe('BACKUP');
  });

  it('ignores events for instances it does not have', () => {
    const node = createNode([vi1]);
    const r = nodeStep(node, 'VI_9', { type: 'startup' }, 0);
    expect(r.actions).toEqual([]);
    expect(r.node.instances).toEqual(node.instances);
  });

  it('an instance with routes or rules but no VIPs still gets addVips as Master and removeVips on leaving', () => {
    for (const holdsRoutes of [false, true]) {
      const bare = instanceConfig({ name: 'VI_R', primaryAddress: '10.0.0.1', holdsRoutes });
      let node = nodeBroadcast(createNode([bare]), { type: 'startup' }, 0).node;
      const up = nodeStep(node, 'VI_R', { type: 'timer', timer: 'masterDown' }, 3609.375);
      node = up.node;
      const down = nodeStep(node, 'VI_R', { type: 'advert', source: '10.0.0.2', priority: 200, advertIntervalMs: 1000 }, 5000);
      expect(node.instances.VI_R?.state).toBe('MASTER');
      expect(up.actions.some((a) => a.type === 'addVips')).toBe(holdsRoutes);
      expect(down.actions.some((a) => a.type === 'removeVips')).toBe(holdsRoutes);
    }
  });

  it('nodeStopped is true only once every instance is STOP: a Master holding VIPs first hands them over', () => {
    const withVip = instanceConfig({ name: 'VI_V', vrid: 53, primaryAddress: '10.0.0.1', virtualAddresses: ['10.0.0.100'] });
    let node = nodeBroadcast(createNode([vi2, withVip]), { type: 'startup' }, 0).node;
    node = nodeStep(node, 'VI_V', { type: 'timer', timer: 'masterDown' }, 3609.375).node;
    expect(nodeStopped(node)).toBe(false);
    node = nodeBroadcast(node, { type: 'shutdown' }, 5000).node;
    expect(node.instances.VI_2?.state).toBe('STOP');
    expect(node.instances.VI_V?.state).toBe('MASTER');
    expect(nodeStopped(node)).toBe(false);
    for (const at of [5500, 6500]) node = nodeStep(node, 'VI_V', { type: 'advert', source: '10.0.0.2', priority: 100, advertIntervalMs: 1000 }, at).node;
    expect(nodeStopped(node)).toBe(false);
    node = nodeStep(node, 'VI_V', { type: 'timer', timer: 'handoverGrace' }, 6600).node;
    expect(nodeStopped(node)).toBe(true);
  });
});
