import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/config/analyze.js';
import { parseConfigFile } from '../../../src/config/parse-config.js';
import { planDaemon, type PrimaryAddressLookup } from '../../../src/daemon/plan.js';
import { conf } from './fakes/vrrp-config.js';

function plan(text: string, primary: PrimaryAddressLookup = (_, family) => (family === 'inet' ? '10.0.0.11' : 'fe80::1')) {
  const parsed = parseConfigFile('/etc/keepalived/keepalived.conf', { fs: { readFile: () => text, glob: (p) => [p] }, configId: 'lb1' });
  const analyzed = analyze(parsed.statements, { hostname: 'lb1' });
  expect([...parsed.diagnostics, ...analyzed.diagnostics].filter((d) => d.severity === 'error')).toEqual([]);
  return planDaemon(analyzed.config, primary);
}

describe('planDaemon', () => {
  it('maps a v2 PASS multicast instance: interval in whole seconds, password, interface address as source, VIP details', () => {
    const p = plan(conf('  notify "/bin/n arg"\n'));
    const i = p.instances[0]!;
    expect(i.advert).toEqual({ version: 2, family: 'inet', vrid: 51, advertIntervalMs: 1000, virtualAddresses: ['10.0.0.100'], authType: 'pass', authPassword: 's3cret' });
    expect(i).toMatchObject({ ifname: 'eth0', family: 'inet', destinations: ['224.0.0.18'], multicastGroup: '224.0.0.18', source: '10.0.0.11', ttl: 255 });
    expect(i.vips).toEqual([{ address: '10.0.0.100', prefix: 24, ifname: 'eth0', label: 'eth0:vip', scope: 'global' }]);
    expect(i.fsm).toMatchObject({ name: 'VI_1', priority: 150, primaryAddress: '10.0.0.11', initialState: 'MASTER', preempt: true, notify: { generic: '/bin/n arg' } });
    expect(i.expectations).toMatchObject({ unicastPeers: [], checkAddresses: true, addressOwner: false });
  });

  it('maps v3 unicast with a fractional interval, tracked interfaces and scripts with their weights', () => {
    const p = plan(`vrrp_script chk {
  script "/bin/true"
  interval 2
  weight -30
}
vrrp_instance VI_2 {
  interface eth0
  version 3
  virtual_router_id 52
  advert_int 0.05
  unicast_src_ip 10.0.0.11
  unicast_peer {
    10.0.0.12
  }
  track_interface {
    eth1 weight 10
  }
  track_script {
    chk
  }
  virtual_ipaddress {
    10.0.0.101/24
  }
}`);
    const i = p.instances[0]!;
    expect(i).toMatchObject({ destinations: ['10.0.0.12'], source: '10.0.0.11', trackedInterfaces: ['eth1'] });
    expect(i.multicastGroup).toBeUndefined();
    expect(i.advert).toMatchObject({ version: 3, advertIntervalMs: 50 });
    expect(i.fsm.trackers).toEqual([
      { name: 'interface:eth1', kind: 'interface', weight: 10 },
      { name: 'script:chk', kind: 'script', weight: -30 },
    ]);
    expect(p.scripts).toEqual([{ name: 'chk', script: '/bin/true', intervalMs: 2000, timeoutMs: 2000, rise: 1, fall: 1, initFail: false }]);
  });

  it('makes IPv6 instances VRRPv3 and refuses an interface with no address to send from', () => {
    const text = `vrrp_instance V6 {
  interface eth0
  virtual_router_id 54
  virtual_ipaddress {
    fd00::100/64
  }
}`;
    expect(plan(text).instances[0]).toMatchObject({ family: 'inet6', source: 'fe80::1', destinations: ['ff02::12'], advert: { version: 3 } });
    const without = plan(text, () => undefined);
    expect(without.instances).toEqual([]);
    expect(without.unusable).toEqual([{ instance: 'V6', reason: expect.stringMatching(/V6: interface eth0 has no IPv6 link-local address/) }]);
  });

  it('maps virtual_routes and virtual_rules: defaults by family, named tables, metric and preference aliases', () => {
    const p = plan(`vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  virtual_ipaddress {
    10.0.0.100/24
  }
  virtual_routes {
    10.9.0.0/16 via 10.0.0.1 dev eth0 metric 7 table 100
    src 10.0.0.100 to default via 10.0.0.1 table main
    to 192.0.2.0/24 dev eth0 scope link no_track
  }
  virtual_rules {
    from 10.0.0.100 table 100 priority 1000
    from all to 198.51.100.0/24 lookup 200 fwmark 0x10
  }
}`);
    const i = p.instances[0]!;
    expect(i.routes).toEqual([
      { destination: '10.9.0.0', prefix: 16, gateway: '10.0.0.1', ifname: 'eth0', metric: 7, table: 100 },
      { destination: '0.0.0.0', prefix: 0, gateway: '10.0.0.1', source: '10.0.0.100', table: 254 },
      { destination: '192.0.2.0', prefix: 24, ifname: 'eth0', scope: 'link' },
    ]);
    expect(i.fsm.holdsRoutes).toBe(true);
    expect(i.rules).toEqual([
      { family: 'inet', from: { address: '10.0.0.100', prefix: 32 }, table: 100, priority: 1000 },
      { family: 'inet', to: { address: '198.51.100.0', prefix: 24 }, table: 200, fwmark: 16 },
    ]);
  });

  it('refuses a route option it cannot install instead of leaving it out: the instance is unusable', () => {
    const p = plan(`vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  virtual_routes {
    blackhole 10.9.0.0/16
  }
}`);
    expect(p.instances).toEqual([]);
    expect(p.unusable[0]?.reason).toMatch(/VI_1: virtual_routes 'blackhole 10.9.0.0\/16' \(line 5\): option 'blackhole' is not supported/);
  });
});
