import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createNode,
  instanceConfig,
  nodeBroadcast,
  nodeReconfigure,
  nodeStep,
  planVrrpReload,
  sameRouter,
  type InstanceConfig,
  type SyncGroupConfig,
  type VrrpAction,
  type VrrpEvent,
  type VrrpNode,
} from '../../../src/vrrp/index.js';

const eth0 = { ifname: 'eth0', family: 'inet' as const, multicastGroup: '224.0.0.18' };

describe('matching running instances to a reloaded file (keepalived vrrp_exist)', () => {
  const base = instanceConfig({ name: 'VI_1', primaryAddress: '10.0.0.1', endpoint: eth0 });
  const unicast = instanceConfig({ name: 'VI_1', primaryAddress: '10.0.0.1', endpoint: { ifname: 'eth0', family: 'inet' } });

  it('matches on VRID, family, interface and multicast group, whatever the name', () => {
    expect(sameRouter(base, { ...base, name: 'other', priority: 50 })).toBe(true);
    expect(sameRouter(base, { ...base, vrid: 52 })).toBe(false);
    expect(sameRouter(base, { ...base, endpoint: { ...eth0, ifname: 'eth1' } })).toBe(false);
    expect(sameRouter(base, { ...base, endpoint: { ...eth0, multicastGroup: '224.0.0.19' } })).toBe(false);
    expect(sameRouter(base, { ...base, endpoint: { ...eth0, family: 'inet6' } })).toBe(false);
  });

  it('unicast matches unicast only, and then on the source address; a multicast source may change', () => {
    expect(sameRouter(base, unicast)).toBe(false);
    expect(sameRouter(unicast, { ...unicast, primaryAddress: '10.0.0.7' })).toBe(false);
    expect(sameRouter(unicast, { ...unicast, virtualAddresses: ['10.0.0.100'] })).toBe(true);
    expect(sameRouter(base, { ...base, primaryAddress: '10.0.0.7' })).toBe(true);
  });

  it('the plan names what starts, stops, changes (fields, VIPs) and stays', () => {
    const keep = instanceConfig({ name: 'keep', vrid: 1, primaryAddress: '10.0.0.1', endpoint: eth0 });
    const move = instanceConfig({ name: 'move', vrid: 2, primaryAddress: '10.0.0.1', endpoint: eth0, virtualAddresses: ['10.0.0.100', '10.0.0.101'] });
    const gone = instanceConfig({ name: 'gone', vrid: 3, primaryAddress: '10.0.0.1', endpoint: eth0 });
    const fresh = instanceConfig({ name: 'fresh', vrid: 4, primaryAddress: '10.0.0.1', endpoint: eth0 });
    const moved = { ...move, name: 'moved', priority: 150, virtualAddresses: ['10.0.0.101', '10.0.0.102'] };
    expect(planVrrpReload([keep, move, gone], [keep, moved, fresh])).toEqual({
      started: ['fresh'],
      stopped: ['gone'],
      changed: [{ name: 'moved', renamedFrom: 'move', fields: ['priority', 'virtualAddresses'], added: ['10.0.0.102'], removed: ['10.0.0.100'] }],
      unchanged: ['keep'],
    });
  });
});

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** A random history for a node: each entry picks what happens next, read against the node's armed timers. */
const historyArb = fc.array(
  fc.record({
    kind: fc.constantFrom('timer', 'timer', 'timer', 'advert', 'advert', 'tracker', 'interface', 'shutdown', 'startup'),
    pick: fc.nat(),
    priority: fc.integer({ min: 0, max: 255 }),
    source: fc.constantFrom('10.0.0.2', '10.0.0.9', '10.0.0.1'),
    up: fc.boolean(),
    dt: fc.integer({ min: 0, max: 2000 }),
  }),
  { maxLength: 40 },
);

const configArb = fc.array(
  fc.record({
    priority: fc.integer({ min: 1, max: 255 }),
    vips: fc.integer({ min: 0, max: 2 }),
    weight: fc.constantFrom(0, -20, 30),
    preemptDelayMs: fc.constantFrom(0, 1500),
    garpMasterRefreshMs: fc.constantFrom(0, 3000),
    version: fc.constantFrom(2 as const, 3 as const),
  }),
  { minLength: 1, maxLength: 3 },
);

function configsOf(picks: readonly { priority: number; vips: number; weight: number; preemptDelayMs: number; garpMasterRefreshMs: number; version: 2 | 3 }[]): InstanceConfig[] {
  return picks.map((p, i) =>
    instanceConfig({
      name: `VI_${i}`,
      vrid: 10 + i,
      version: p.version,
      primaryAddress: '10.0.0.5',
      priority: p.priority,
      virtualAddresses: Array.from({ length: p.vips }, (_, k) => `10.0.${i}.${100 + k}`),
      trackers: [{ name: 'chk', kind: 'script', weight: p.weight }],
      preemptDelayMs: p.preemptDelayMs,
      garpMasterRefreshMs: p.garpMasterRefreshMs,
      endpoint: eth0,
    }),
  );
}

describe('nodeReconfigure', () => {
  it('reloading the same file is a no-op from any reachable state: no action, the node unchanged', () => {
    fc.assert(
      fc.property(configArb, historyArb, fc.boolean(), (picks, history, grouped) => {
        const configs = configsOf(picks);
        const groups: SyncGroupConfig[] = grouped && configs.length > 1 ? [{ name: 'G', members: configs.map((c) => c.name), notify: {} }] : [];
        const started = nodeBroadcast(createNode(configs, groups, { chk: 'up' }), { type: 'startup' }, 0);
        let node: VrrpNode = started.node;
        const armed = new Map<string, { instance: string; timer: string; at: number }>();
        let now = 0;
        const record = (actions: readonly VrrpAction[]): void => {
          for (const a of actions) {
            if (a.type === 'armTimer') armed.set(`${a.instance}/${a.timer}`, a);
            if (a.type === 'cancelTimer') armed.delete(`${a.instance}/${a.timer}`);
          }
        };
        record(started.actions);
        for (const h of history) {
          const names = Object.keys(node.instances);
          const target = names[h.pick % names.length]!;
          let event: VrrpEvent;
          let instance = target;
          if (h.kind === 'timer') {
            const timers = [...armed.values()];
            if (timers.length === 0) continue;
            const t = timers[h.pick % timers.length]!;
            armed.delete(`${t.instance}/${t.timer}`);
            now = Math.max(now, t.at);
            instance = t.instance;
            event = { type: 'timer', timer: t.timer as Extract<VrrpEvent, { type: 'timer' }>['timer'] };
          } else {
            now += h.dt;
            if (h.kind === 'advert') event = { type: 'advert', source: h.source, priority: h.priority, advertIntervalMs: 1000 };
            else if (h.kind === 'tracker') event = { type: 'tracker', name: 'chk', up: h.up };
            else if (h.kind === 'interface') event = { type: 'interface', up: h.up };
            else event = { type: h.kind };
          }
          const r = nodeStep(node, instance, event, now);
          node = r.node;
          record(r.actions);
        }
        deepFreeze(node);
        const again = configsOf(picks);
        const r = nodeReconfigure(node, { type: 'reconfigure', instances: again, groups: structuredClone(groups), trackers: {} }, now + 1);
        expect(r.actions).toEqual([]);
        expect(r.node).toEqual(node);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a sync group by name, and never mutates what it is given', () => {
    const a = instanceConfig({ name: 'A', vrid: 1, primaryAddress: '10.0.0.1', endpoint: eth0, virtualAddresses: ['10.0.0.100'] });
    const b = instanceConfig({ name: 'B', vrid: 2, primaryAddress: '10.0.0.1', endpoint: eth0 });
    const groups = [{ name: 'G', members: ['A', 'B'], notify: {} }];
    let node = nodeBroadcast(createNode([a, b], groups), { type: 'startup' }, 0).node;
    for (const name of ['A', 'B']) node = nodeStep(node, name, { type: 'timer', timer: 'masterDown' }, 3609.375).node;
    deepFreeze(node);
    expect(node.groups[0]?.state).toBe('MASTER');
    const r = nodeReconfigure(node, { type: 'reconfigure', instances: [a, { ...b, priority: 200 }], groups, trackers: {} }, 10);
    expect(r.node.groups[0]).toMatchObject({ state: 'MASTER', since: 3609.375 });
    expect(r.node.instances.B).toMatchObject({ state: 'MASTER', effectivePriority: 200 });
    expect(r.actions.filter((x) => x.type === 'transition')).toEqual([]);
  });

  it('a removed instance in FAULT without notify_deleted reports nothing; its timers are forgotten', () => {
    const a = instanceConfig({ name: 'A', primaryAddress: '10.0.0.1', endpoint: eth0 });
    const node = nodeStep(nodeBroadcast(createNode([a]), { type: 'startup' }, 0).node, 'A', { type: 'interface', up: false }, 5).node;
    expect(node.instances.A?.state).toBe('FAULT');
    const r = nodeReconfigure(node, { type: 'reconfigure', instances: [], groups: [], trackers: {} }, 10);
    expect(r.actions).toEqual([
      { type: 'transition', scope: 'INSTANCE', name: 'A', from: 'FAULT', to: 'STOP', reason: 'removed-by-reload', at: 10 },
      { type: 'forgetInstance', instance: 'A' },
    ]);
    expect(r.node.instances).toEqual({});
  });

  it('a running instance whose tracker statuses the shell now reports differently takes them', () => {
    const a = instanceConfig({ name: 'A', primaryAddress: '10.0.0.1', endpoint: eth0, trackers: [{ name: 'interface:eth1', kind: 'interface', weight: -50 }] });
    const node = nodeBroadcast(createNode([a], [], { 'interface:eth1': 'up' }), { type: 'startup' }, 0).node;
    const r = nodeReconfigure(node, { type: 'reconfigure', instances: [a], groups: [], trackers: { 'interface:eth1': 'down' } }, 10);
    expect(r.node.instances.A?.effectivePriority).toBe(50);
  });
});
