import { describe, expect, it } from 'vitest';
import { analyzeText, diagnostic } from './statements.js';

function instance(body: string, name = 'VI_1'): string {
  return `vrrp_instance ${name} {\n${body}\n}\n`;
}
const base = (vrid = 51, vip = '10.0.0.1') => ` interface eth0\n virtual_router_id ${vrid}\n virtual_ipaddress {\n  ${vip}\n }`;

describe('vrrp_instance checks', () => {
  it('requires a virtual_router_id, as a fatal error', () => {
    const r = analyzeText(instance(' virtual_ipaddress {\n 10.0.0.1\n }'));
    expect(diagnostic(r, 'vrid-missing').message).toBe('(VI_1) the virtual router id must be set');
    expect(r.fatal).toBe(true);
  });

  it('rounds a fractional VRRPv2 advert_int with a warning', () => {
    const r = analyzeText(instance(`${base()}\n advert_int 0.1`));
    const d = diagnostic(r, 'advert-int-rounded');
    expect(d.message).toBe('(VI_1) VRRPv2 advertisement interval 0.100000s must be an integer. rounding');
    expect(d.severity).toBe('warning');
    expect(r.config.vrrp_instances[0]?.advert_int).toBe(1);
    expect(analyzeText(instance(`${base()}\n advert_int 2.5`)).config.vrrp_instances[0]?.advert_int).toBe(3);
  });

  it('accepts centisecond intervals with VRRPv3 and clamps above 40.95 s', () => {
    const ok = analyzeText(instance(`${base()}\n version 3\n advert_int 0.05`));
    expect(ok.codes).toEqual([]);
    expect(ok.config.vrrp_instances[0]?.advert_int).toBe(0.05);
    const high = analyzeText(instance(`${base()}\n version 3\n advert_int 41`));
    expect(diagnostic(high, 'advert-int-clamped').message).toContain('Must be less than 40.96s. Setting to 40.95s');
    expect(high.config.vrrp_instances[0]?.advert_int).toBe(40.95);
    const fine = analyzeText(instance(`${base()}\n version 3\n advert_int 0.015`));
    expect(fine.codes).toEqual(['advert-int-rounded']);
    expect(fine.config.vrrp_instances[0]?.advert_int).toBe(0.02);
    expect(analyzeText(instance(`${base()}\n version 3\n advert_int 0.125`)).config.vrrp_instances[0]?.advert_int).toBe(0.13);
    expect(analyzeText(instance(`${base()}\n version 3\n advert_int 1.004`)).config.vrrp_instances[0]?.advert_int).toBe(1);
  });

  it('rejects advert_int below 0.01 s', () => {
    const r = analyzeText(instance(`${base()}\n advert_int 0.001`));
    expect(r.codes).toEqual(['out-of-range']);
  });

  it('ignores authentication with VRRPv3, in keepalived words', () => {
    const r = analyzeText(
      `global_defs {\n vrrp_version 3\n}\n` + instance(`${base()}\n authentication {\n  auth_type PASS\n  auth_pass secret\n }`),
    );
    expect(diagnostic(r, 'auth-ignored-v3').message).toBe('(VI_1) VRRP version 3 does not support authentication. Ignoring.');
    expect(r.config.vrrp_instances[0]?.authentication).toBeNull();
  });

  it('ignores authentication in strict mode and without a password', () => {
    const strict = analyzeText(instance(`${base()}\n strict_mode\n authentication {\n  auth_type PASS\n  auth_pass x\n }`));
    expect(strict.codes).toContain('auth-ignored-strict');
    const noPass = analyzeText(instance(`${base()}\n authentication {\n  auth_type AH\n }`));
    expect(noPass.codes).toEqual(['auth-no-password']);
  });

  it('keeps PASS authentication with v2, truncating the password to 8 characters', () => {
    const r = analyzeText(instance(`${base()}\n authentication {\n  auth_type PASS\n  auth_pass 1234567890\n }`));
    expect(r.codes).toEqual(['auth-pass-truncated']);
    expect(r.config.vrrp_instances[0]?.authentication).toEqual({ auth_type: 'PASS', auth_pass: '12345678' });
  });

  it('clears nopreempt with state MASTER, with keepalived\'s warning', () => {
    const r = analyzeText(instance(`${base()}\n state MASTER\n nopreempt`));
    expect(diagnostic(r, 'nopreempt-master').message).toBe(
      '(VI_1) Warning - nopreempt will not work with initial state MASTER - clearing',
    );
    expect(r.config.vrrp_instances[0]?.nopreempt).toBe(false);
    const backup = analyzeText(instance(`${base()}\n state BACKUP\n nopreempt`));
    expect(backup.codes).toEqual([]);
    expect(backup.config.vrrp_instances[0]?.nopreempt).toBe(true);
  });

  it('lets the later of preempt and nopreempt win', () => {
    expect(analyzeText(instance(`${base()}\n nopreempt\n preempt`)).config.vrrp_instances[0]?.nopreempt).toBe(false);
  });

  it('clears nopreempt for the address owner and preempt_delay with state MASTER', () => {
    const owner = analyzeText(instance(`${base()}\n priority 255\n state BACKUP\n nopreempt`));
    expect(owner.codes).toEqual(['nopreempt-owner']);
    const delay = analyzeText(instance(`${base()}\n state MASTER\n preempt_delay 30`));
    expect(delay.codes).toEqual(['preempt-delay-master']);
    expect(delay.config.vrrp_instances[0]?.preempt_delay).toBe(0);
  });

  it('refuses two instances with one VRID on one interface', () => {
    const r = analyzeText(instance(base(51, '10.0.0.1')) + instance(base(51, '10.0.0.2'), 'VI_2'));
    const d = diagnostic(r, 'duplicate-vrid');
    expect(d.message).toBe('VI_1 and VI_2 both use VRID 51 with IPv4 on interface eth0');
    expect(d.pos?.line).toBe(10);
    expect(r.fatal).toBe(true);
  });

  it('allows one VRID on two interfaces, for two families, or for unicast to different peers', () => {
    const twoIfs = analyzeText(instance(base(51)) + instance(base(51, '10.0.0.2').replace('eth0', 'eth1'), 'VI_2'));
    expect(twoIfs.codes).toEqual([]);
    const families = analyzeText(instance(base(51)) + instance(base(51, 'fe80::1'), 'VI_2'));
    expect(families.codes).not.toContain('duplicate-vrid');
    const peers = analyzeText(
      instance(`${base(51)}\n unicast_peer {\n  10.0.1.1\n }`) +
        instance(`${base(51, '10.0.0.2')}\n unicast_peer {\n  10.0.1.2\n }`, 'VI_2'),
    );
    expect(peers.codes).toEqual([]);
  });

  it('reports two instances claiming one VIP (keepalived does not)', () => {
    const r = analyzeText(instance(base(51, '10.0.0.1/24')) + instance(base(52, '10.0.0.1/24 dev eth0'), 'VI_2'));
    const d = diagnostic(r, 'vip-claimed-twice');
    expect(d.message).toBe('(VI_2) virtual address 10.0.0.1 is also held by VI_1; whichever becomes master last takes it');
    expect(d.pos?.line).toBe(12);
  });

  it('drops unknown track_script and track_file names with keepalived\'s message', () => {
    const r = analyzeText(
      `vrrp_script chk {\n script /bin/true\n}\n` +
        instance(`${base()}\n track_script {\n  chk weight 10\n  chk_gone\n }\n track_file {\n  nofile\n }`),
    );
    expect(diagnostic(r, 'unknown-track-script').message).toBe('(VI_1) track script chk_gone not found, ignoring...');
    expect(diagnostic(r, 'unknown-track-file').message).toBe('(VI_1) track file nofile not found, ignoring...');
    const vi = r.config.vrrp_instances[0];
    expect(vi?.track_script).toEqual([{ name: 'chk', weight: 10, reverse: false, pos: expect.anything() }]);
    expect(vi?.track_file).toEqual([]);
  });

  it('rejects tracking weights outside -253..253', () => {
    const r = analyzeText(`vrrp_script chk {\n script /bin/true\n}\n` + instance(`${base()}\n track_script {\n  chk weight 300\n }`));
    expect(r.codes).toContain('tracking-weight-range');
    expect(r.config.vrrp_instances[0]?.track_script).toEqual([]);
  });

  it('warns about a vrrp_script nothing tracks and removes one without script', () => {
    const r = analyzeText(`vrrp_script lonely {\n script /bin/true\n}\nvrrp_script empty {\n interval 2\n}\n`);
    expect(r.codes).toEqual(['unused-script', 'script-security-disabled', 'script-missing']);
    expect(r.config.vrrp_scripts.map((s) => s.name)).toEqual(['lonely']);
  });

  it('sets version 3 for an IPv6 instance configured as v2', () => {
    const r = analyzeText(instance(`${base(51, 'fe80::10')}\n version 2`));
    expect(r.codes).toEqual(['ipv6-needs-v3']);
    expect(r.config.vrrp_instances[0]).toMatchObject({ version: 3, family: 6, mcast_dst_ip: 'ff02::12' });
  });

  it('drops VIPs of the other address family', () => {
    const r = analyzeText(instance(` virtual_router_id 1\n virtual_ipaddress {\n  10.0.0.1\n  2001:db8::1\n }`));
    expect(diagnostic(r, 'mixed-family').message).toBe('(VI_1) 2001:db8::1 is IPv6 but the instance is IPv4 - ignoring');
    expect(r.config.vrrp_instances[0]?.virtual_ipaddress.map((v) => v.ip)).toEqual(['10.0.0.1']);
  });

  it('reports a bad VIP line', () => {
    const r = analyzeText(instance(` virtual_router_id 1\n virtual_ipaddress {\n  10.0.0.300/24\n  10.0.0.2 dev\n  10.0.0.3 colour red\n }`));
    expect(r.diagnostics.filter((d) => d.code === 'invalid-line').map((d) => d.message)).toEqual([
      "'10.0.0.300/24' is not an IP address (in virtual_ipaddress)",
      "'dev' needs a value in virtual address 10.0.0.2",
      "Unknown configuration entry 'colour' for ip address - ignoring",
      "Unknown configuration entry 'red' for ip address - ignoring",
    ]);
  });

  it('ignores what keepalived ignores on an address line', () => {
    const r = analyzeText(
      instance(` virtual_router_id 1\n virtual_ipaddress {\n  2001:db8::1/64 scope link label x brd 2001:db8::ff\n }\n virtual_ipaddress_excluded {\n  2001:db8::2 label much-too-long-label\n }`),
    );
    expect(r.diagnostics.filter((d) => d.code === 'invalid-line').map((d) => d.message)).toEqual([
      'Cannot specify scope for IPv6 addresses (2001:db8::1/64) - ignoring scope',
      'Cannot specify label for IPv6 addresses (2001:db8::1/64) - ignoring label',
      'Cannot assign a broadcast address to the IPv6 address 2001:db8::1/64 - ignoring',
      'Address label much-too-long-label is longer than maximum length 15 - removing address',
    ]);
    const vi = r.config.vrrp_instances[0];
    expect(vi?.virtual_ipaddress[0]).toMatchObject({ ip: '2001:db8::1', prefix: 64, label: null, brd: null });
    expect(vi?.virtual_ipaddress_excluded).toEqual([]);
  });

  it('warns about an instance without VIPs, and makes it fatal in strict mode', () => {
    expect(analyzeText(instance(' virtual_router_id 1')).codes).toEqual(['no-vip']);
    const strict = analyzeText(instance(' virtual_router_id 1\n strict_mode\n no_accept'));
    expect(strict.codes).toEqual(['no-vip-strict', 'not-implemented']);
    expect(strict.fatal).toBe(true);
    expect(analyzeText(instance(' virtual_router_id 1\n version 3')).codes).toEqual(['no-vip-strict']);
    expect(analyzeText(instance(' virtual_router_id 1\n no_virtual_ipaddress')).codes).toEqual(['not-implemented']);
    expect(analyzeText(instance(' virtual_router_id 1\n no_accept\n strict_mode\n no_virtual_ipaddress')).codes).toEqual([
      'no-vip-strict',
      'not-implemented',
      'not-implemented',
      'strict-mode-reset',
    ]);
  });

  it('refuses unicast peers in strict mode', () => {
    const r = analyzeText(`global_defs {\n vrrp_strict\n}\n` + instance(`${base()}\n no_accept\n unicast_peer {\n  10.0.1.1\n }`));
    expect(r.codes).toEqual(['not-implemented', 'unicast-strict']);
    expect(r.fatal).toBe(true);
    expect(r.config.vrrp_instances[0]?.unicast_peer).toEqual([]);
  });

  it('warns when unicast keywords come without peers', () => {
    const r = analyzeText(instance(`${base()}\n unicast_src_ip 10.0.0.5`));
    expect(diagnostic(r, 'unicast-without-peers').message).toContain('Defaulting to multicast');
  });

  it('warns when unicast_peer lists nobody (keepalived silently multicasts)', () => {
    const r = analyzeText(instance(`${base()}\n unicast_peer {\n }`));
    expect(diagnostic(r, 'unicast-without-peers').message).toBe('(VI_1) unicast_peer lists no usable peer. Defaulting to multicast.');
  });

  it('reads unicast peers with their TTL options', () => {
    const r = analyzeText(instance(`${base()}\n unicast_peer {\n  10.0.1.1 min_ttl 250\n  10.0.1.2\n }`));
    expect(r.codes).toEqual([]);
    expect(r.config.vrrp_instances[0]?.unicast_peer.map(({ ip, min_ttl, max_ttl }) => ({ ip, min_ttl, max_ttl }))).toEqual([
      { ip: '10.0.1.1', min_ttl: 250, max_ttl: null },
      { ip: '10.0.1.2', min_ttl: null, max_ttl: null },
    ]);
  });
});

describe('vrrp_sync_group checks', () => {
  const two = instance(base(1, '10.0.0.1')) + instance(base(2, '10.0.0.2'), 'VI_2');

  it('reads the group { } form', () => {
    const r = analyzeText(two + 'vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}');
    expect(r.codes).toEqual([]);
    expect(r.config.vrrp_sync_groups[0]?.group).toEqual(['VI_1', 'VI_2']);
    expect(r.config.vrrp_instances.map((i) => i.sync_group)).toEqual(['G', 'G']);
  });

  it('reads the old form without group { } with a deprecation warning', () => {
    const r = analyzeText(two + 'vrrp_sync_group G {\n VI_1 VI_2\n}');
    const d = diagnostic(r, 'legacy-sync-group');
    expect(d.pos?.line).toBe(16);
    expect(d.hint).toBe('write: group { VI_1 VI_2 }');
    expect(r.config.vrrp_sync_groups[0]?.group).toEqual(['VI_1', 'VI_2']);
  });

  it('reports each old-form member, and members that are no instance', () => {
    const r = analyzeText(instance(base(1, '10.0.0.1')) + 'vrrp_sync_group G {\n VI_1\n VI_2\n}');
    expect(r.diagnostics.map((d) => [d.code, d.keyword, d.pos?.line])).toEqual([
      ['sync-group-single', 'vrrp_sync_group', 8],
      ['legacy-sync-group', 'VI_1', 9],
      ['legacy-sync-group', 'VI_2', 10],
      ['sync-group-unknown-instance', 'vrrp_sync_group', 10],
    ]);
    expect(diagnostic(r, 'sync-group-unknown-instance').message).toBe('Unable to find vrrp instance VI_2 for sync group G');
  });

  it('still reports a misspelt keyword inside a sync group', () => {
    const r = analyzeText(two + 'vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n notfy_master /bin/true\n}');
    expect(diagnostic(r, 'unknown-keyword').hint).toBe("did you mean 'notify_master'?");
  });

  it('reports unknown members, single-member groups, empty groups and instances in two groups', () => {
    const r = analyzeText(
      two +
        'vrrp_sync_group A {\n group {\n  VI_1\n  VI_9\n }\n}\n' +
        'vrrp_sync_group B {\n group {\n  VI_1\n }\n}\n' +
        'vrrp_sync_group C {\n group {\n  VI_2\n  VI_1\n }\n}\n',
    );
    expect(r.diagnostics.map((d) => [d.code, d.pos?.line])).toEqual([
      ['sync-group-single', 15],
      ['sync-group-unknown-instance', 18],
      ['sync-group-empty', 21],
      ['instance-in-two-groups', 23],
      ['sync-group-single', 26],
      ['instance-in-two-groups', 29],
    ]);
    expect(diagnostic(r, 'sync-group-unknown-instance').message).toBe('Unable to find vrrp instance VI_9 for sync group A');
    expect(r.config.vrrp_sync_groups.map((g) => [g.name, g.group])).toEqual([
      ['A', ['VI_1']],
      ['C', ['VI_2']],
    ]);
  });
});

describe('weighted tracking where priorities cannot float', () => {
  const scripts = 'vrrp_script up {\n script /bin/true\n weight 10\n}\nvrrp_script plain {\n script /bin/true\n}\n';
  const tracked = ' track_script {\n  up\n  plain\n }\n track_interface {\n  eth1 weight 5\n }';

  it('drops weighted scripts and zeroes interface weights in a sync group', () => {
    const r = analyzeText(
      scripts +
        instance(`${base(1, '10.0.0.1')}\n${tracked}`) +
        instance(base(2, '10.0.0.2'), 'VI_2') +
        'vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}\n',
    );
    expect(r.diagnostics.filter((d) => d.code === 'tracking-weight-ignored').map((d) => d.message)).toEqual([
      '(VI_1) ignoring tracked script up with weight 10 due to SYNC group',
      '(VI_1) ignoring tracked interface eth1 with weight 5 due to SYNC group',
    ]);
    const vi = r.config.vrrp_instances[0];
    expect(vi?.track_script.map((t) => t.name)).toEqual(['plain']);
    expect(vi?.track_interface.map((t) => [t.name, t.weight])).toEqual([['eth1', 0]]);
  });

  it('keeps them with sync_group_tracking_weight, and ignores them for the address owner', () => {
    const grouped = analyzeText(
      scripts +
        instance(`${base(1, '10.0.0.1')}\n${tracked}`) +
        instance(base(2, '10.0.0.2'), 'VI_2') +
        'vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n sync_group_tracking_weight\n}\n',
    );
    expect(grouped.codes).not.toContain('tracking-weight-ignored');
    const owner = analyzeText(scripts + instance(`${base(1, '10.0.0.1')}\n priority 255\n${tracked}`));
    expect(owner.diagnostics.find((d) => d.code === 'tracking-weight-ignored')?.message).toBe(
      '(VI_1) ignoring tracked script up with weight 10 due to address owner',
    );
  });
});

describe('strict mode, as keepalived enforces it', () => {
  const strict = (body: string, priority = 100) =>
    instance(`${base()}\n strict_mode\n priority ${priority}\n${body}`);

  it.each([
    [' state MASTER', '(VI_1) State MASTER must match being address owner'],
    [' preempt_delay 10', '(VI_1) preempt_delay is incompatible with strict mode - resetting'],
    [' down_timer_adverts 5', '(VI_1) down_timer_adverts is incompatible with strict mode - resetting'],
    [' accept', '(VI_1) warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting'],
    [' garp_lower_prio_repeat 3', '(VI_1) Strict mode requires no repeat garps. resetting'],
    [' lower_prio_no_advert off', '(VI_1) Strict mode requires no lower priority advert. resetting'],
    [' higher_prio_send_advert', '(VI_1) strict mode requires higher_prio_send_advert to be clear. resetting'],
  ])('resets%s', (line, message) => {
    const r = analyzeText(strict(line));
    const resets = r.diagnostics.filter((d) => d.code !== 'strict-no-accept');
    expect(resets.map((d) => [d.code, d.message])).toEqual([['strict-mode-reset', message]]);
  });

  it('says that strict mode leaves the VIPs unanswered (keepalived does not)', () => {
    const r = analyzeText(strict(''));
    expect(r.codes).toEqual(['strict-no-accept']);
    expect(diagnostic(r, 'strict-no-accept').hint).toBe('VRRPv2 in strict mode cannot accept; use version 3 with accept, or drop strict mode');
    expect(analyzeText(strict(' no_accept')).codes).toEqual(['not-implemented']);
    expect(analyzeText(strict('', 255)).codes).toEqual([]);
  });

  it('applies the reset values to the model', () => {
    const vi = analyzeText(strict(' state MASTER\n preempt_delay 10\n down_timer_adverts 5\n accept')).config.vrrp_instances[0];
    expect(vi).toMatchObject({ state: 'BACKUP', preempt_delay: 0, down_timer_adverts: 3, accept: false });
  });
});

describe('other settings keepalived resets', () => {
  it('clears preempt_delay with nopreempt', () => {
    const r = analyzeText(instance(`${base()}\n nopreempt\n preempt_delay 5`));
    expect(r.codes).toEqual(['preempt-delay-nopreempt']);
    expect(r.config.vrrp_instances[0]?.preempt_delay).toBe(0);
  });

  it('ignores mcast_dst_ip on a unicast instance', () => {
    const r = analyzeText(instance(`${base()}\n mcast_dst_ip 224.0.0.99\n unicast_peer {\n  10.0.1.1\n }`));
    expect(r.codes).toEqual(['mcast-dst-with-unicast']);
    const multicast = analyzeText(instance(`${base()}\n mcast_dst_ip 224.0.0.99`));
    expect(multicast.config.vrrp_instances[0]?.mcast_dst_ip).toBe('224.0.0.99');
  });

  it('ignores owner_ignore_adverts below priority 255', () => {
    const r = analyzeText(instance(`${base()}\n owner_ignore_adverts`));
    expect(r.codes).toEqual(['owner-ignore-adverts-not-owner']);
    expect(r.config.vrrp_instances[0]?.owner_ignore_adverts).toBe(false);
    expect(analyzeText(instance(`${base()}\n priority 255\n owner_ignore_adverts`)).config.vrrp_instances[0]?.owner_ignore_adverts).toBe(true);
  });
});

describe('list blocks', () => {
  it('appends repeated blocks, as keepalived does', () => {
    const r = analyzeText(instance(`${base()}\n virtual_ipaddress {\n  10.0.0.2\n }\n track_interface {\n  eth1 weight -10 reverse\n }\n track_interface {\n  eth2\n }`));
    expect(r.codes).toEqual([]);
    const vi = r.config.vrrp_instances[0];
    expect(vi?.virtual_ipaddress.map((v) => v.ip)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(vi?.track_interface.map((t) => [t.name, t.weight, t.reverse])).toEqual([
      ['eth1', -10, true],
      ['eth2', null, false],
    ]);
  });
});

describe('interfaces', () => {
  const config = instance(`${base()}\n track_interface {\n  eth9\n }`);

  it('checks interface names against the host when the caller knows them, fatally', () => {
    const r = analyzeText(config, { interfaces: ['lo', 'eth0'] });
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['unknown-interface', '(VI_1) interface eth9 in track_interface doesn\'t exist'],
    ]);
    expect(r.fatal).toBe(true);
    const missing = analyzeText(config, { interfaces: ['lo'] });
    expect(diagnostic(missing, 'unknown-interface').message).toBe("WARNING - interface eth0 for vrrp_instance VI_1 doesn't exist");
  });

  it('only warns with dynamic_interfaces, and checks nothing without the host list', () => {
    const dynamic = analyzeText('global_defs {\n dynamic_interfaces\n}\n' + config, { interfaces: ['eth0'] });
    expect(dynamic.codes).toEqual(['not-implemented', 'unknown-interface-dynamic']);
    expect(dynamic.fatal).toBe(false);
    expect(analyzeText(config).codes).toEqual([]);
  });

  it('refuses the loopback interface, as keepalived does', () => {
    const r = analyzeText(instance(base().replace('eth0', 'lo')));
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([['loopback-interface', '(VI_1) cannot use a loopback interface (lo) for vrrp - ignoring']]);
  });

  it('rejects names the kernel cannot hold', () => {
    const r = analyzeText(instance(base().replace('eth0', 'a-very-long-ifname0')));
    expect(diagnostic(r, 'interface-name-too-long').message).toBe("Interface name 'a-very-long-ifname0' too long - ignoring");
    expect(r.codes).toEqual(['interface-name-too-long']);
    expect(r.config.vrrp_instances[0]?.interface).toBe('eth0');
  });
});
