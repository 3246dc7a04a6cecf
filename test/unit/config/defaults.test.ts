import { describe, expect, it } from 'vitest';
import { analyzeText } from './statements.js';

describe('defaults, as keepalived documents them', () => {
  it('fills global_defs', () => {
    const g = analyzeText('', { hostname: 'lb1' }).config.global_defs;
    expect(g).toMatchObject({
      router_id: 'lb1',
      notification_email_from: 'keepalived@lb1',
      smtp_connect_timeout: 30,
      default_interface: 'eth0',
      vrrp_mcast_group4: '224.0.0.18',
      vrrp_mcast_group6: 'ff02::12',
      vrrp_garp_master_delay: 5,
      vrrp_garp_master_repeat: 5,
      vrrp_garp_master_refresh: 0,
      vrrp_garp_master_refresh_repeat: 1,
      vrrp_garp_lower_prio_delay: 5,
      vrrp_garp_lower_prio_repeat: 5,
      vrrp_down_timer_adverts: 3,
      vrrp_version: 2,
      vrrp_strict: false,
      lvs_flush: false,
      lvs_flush_on_stop: 'disabled',
      enable_script_security: false,
      script_user: null,
    });
  });

  it('fills a vrrp_instance from keepalived defaults and global_defs', () => {
    const r = analyzeText('global_defs {\n vrrp_garp_master_delay 2\n default_interface bond0\n}\nvrrp_instance VI_1 {\n virtual_router_id 9\n virtual_ipaddress {\n  10.0.0.1/24\n }\n}');
    expect(r.codes).toEqual([]);
    expect(r.config.vrrp_instances[0]).toMatchObject({
      state: 'BACKUP',
      interface: 'bond0',
      priority: 100,
      advert_int: 1,
      version: 2,
      mcast_dst_ip: '224.0.0.18',
      unicast_ttl: 255,
      nopreempt: false,
      preempt_delay: 0,
      accept: true,
      strict_mode: false,
      garp_master_delay: 2,
      garp_master_repeat: 5,
      garp_master_refresh: 0,
      garp_master_refresh_repeat: 1,
      down_timer_adverts: 3,
      authentication: null,
      smtp_alert: false,
    });
    expect(r.config.vrrp_instances[0]?.virtual_ipaddress[0]).toMatchObject({ ip: '10.0.0.1', prefix: 24, dev: 'bond0', scope: 'global' });
  });

  it('derives the initial state from the priority; strict mode turns accept off except for the owner', () => {
    const text = (priority: number) => `vrrp_instance VI_1 {\n virtual_router_id 9\n priority ${priority}\n strict_mode\n virtual_ipaddress {\n  10.0.0.1\n }\n}`;
    expect(analyzeText(text(255)).config.vrrp_instances[0]).toMatchObject({ state: 'MASTER', accept: true, strict_mode: true });
    expect(analyzeText(text(100)).config.vrrp_instances[0]).toMatchObject({
      state: 'BACKUP',
      accept: false,
      lower_prio_no_advert: true,
      higher_prio_send_advert: false,
      garp_lower_prio_repeat: 0,
      garp_lower_prio_delay: 0,
    });
  });

  it('fills a vrrp_script: interval 1 s, timeout = interval, weight 0, rise 1, fall 1', () => {
    const one = analyzeText('vrrp_script a {\n script "/bin/check.sh arg"\n}').config.vrrp_scripts[0];
    expect(one).toMatchObject({ script: '/bin/check.sh arg', interval: 1, timeout: 1, weight: 0, rise: 1, fall: 1, init_fail: false });
    const slow = analyzeText('vrrp_script a {\n script /bin/true\n interval 5\n weight -20 reverse\n}').config.vrrp_scripts[0];
    expect(slow).toMatchObject({ interval: 5, timeout: 5, weight: -20, weight_reverse: true });
  });

  it('fills a virtual server: wlc, NAT, UDP (!), delay_loop 60, quorum 1, hysteresis 0', () => {
    const v = analyzeText('virtual_server 10.0.0.1 80 {\n}').config.virtual_servers[0];
    expect(v).toMatchObject({
      lvs_sched: 'wlc',
      lvs_method: 'NAT',
      protocol: 'UDP',
      delay_loop: 60,
      connect_timeout: 5,
      quorum: 1,
      hysteresis: 0,
      persistence_timeout: null,
      alpha: false,
      omega: false,
    });
  });

  it('uses 360 s for persistence_timeout given without a value', () => {
    expect(analyzeText('virtual_server 10.0.0.1 80 {\n persistence_timeout\n}').config.virtual_servers[0]?.persistence_timeout).toBe(360);
  });

  it('fills real servers: weight 1, the virtual server lvs_method', () => {
    const rs = analyzeText('virtual_server 10.0.0.1 80 {\n lvs_method DR\n real_server 10.0.0.2 80 {\n }\n}').config.virtual_servers[0]?.real_servers[0];
    expect(rs).toMatchObject({ weight: 1, lvs_method: 'DR', uthreshold: 0, lthreshold: 0, inhibit_on_failure: false });
  });

  it('gives each checker type its retry and delay_before_retry defaults', () => {
    const r = analyzeText(
      'virtual_server 10.0.0.1 80 {\n delay_loop 10\n real_server 10.0.0.2 80 {\n' +
        '  TCP_CHECK {\n  }\n  HTTP_GET {\n   url {\n    path /\n   }\n  }\n  DNS_CHECK {\n  }\n  MISC_CHECK {\n   misc_path /bin/true\n  }\n }\n}',
    );
    const timing = r.config.virtual_servers[0]?.real_servers[0]?.checkers.map((c) => [c.type, c.retry, c.delay_before_retry, c.warmup, c.delay_loop]);
    expect(timing).toEqual([
      ['TCP_CHECK', 1, 1, 10, 10],
      ['HTTP_GET', 1, 3, 10, 10],
      ['DNS_CHECK', 3, 10, 10, 10],
      ['MISC_CHECK', 0, 1, 10, 10],
    ]);
    const misc = r.config.virtual_servers[0]?.real_servers[0]?.checkers[3];
    expect(misc && 'misc_timeout' in misc ? misc.misc_timeout : undefined).toBe(10);
    const dns = r.config.virtual_servers[0]?.real_servers[0]?.checkers[2];
    expect(dns).toMatchObject({ query_type: 'SOA', name: '.' });
  });

  it('inherits checker settings checker <- real_server <- virtual_server', () => {
    const r = analyzeText(
      'virtual_server 10.0.0.1 80 {\n retry 4\n connect_timeout 7\n real_server 10.0.0.2 80 {\n  delay_before_retry 2\n' +
        '  TCP_CHECK {\n  }\n  TCP_CHECK {\n   retry 9\n   connect_timeout 1\n  }\n }\n}',
    );
    const checkers = r.config.virtual_servers[0]?.real_servers[0]?.checkers ?? [];
    expect(checkers.map((c) => [c.retry, c.delay_before_retry, 'connect_timeout' in c ? c.connect_timeout : null])).toEqual([
      [4, 2, 7],
      [9, 2, 1],
    ]);
  });
});
