import { describe, expect, it } from 'vitest';
import { dumpConfig } from '../../../src/config/dump.js';
import type { BlockName } from '../../../src/config/keyword-spec.js';
import { KEYWORDS } from '../../../src/config/keywords.js';
import { analyzeText } from './statements.js';

const text = `
global_defs {
  router_id lb1
  vrrp_no_swap
}
vrrp_script chk {
  script "/usr/bin/check web"
  interval 2
}
track_file tf {
  file /run/weight
}
vrrp_sync_group G {
  group {
    VI_1
    VI_2
  }
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  advert_int 2
  track_script {
    chk
  }
  virtual_ipaddress {
    10.0.0.29/24 dev eth0 label eth0:vip
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 52
  virtual_ipaddress {
    10.0.0.30
  }
}
virtual_server_group web {
  10.0.0.40 80
}
virtual_server 10.0.0.29 80 {
  lb_algo rr
  real_server 10.0.1.1 80 {
    HTTP_GET {
      url {
        path /health
      }
    }
  }
}
virtual_server fwmark 3 {
  real_server 10.0.1.2 443 {
    TCP_CHECK {
    }
  }
}
virtual_server group web {
}
`;

function keysDeep(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysDeep(v, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      keysDeep(v, out);
    }
  }
  return out;
}

describe('dumpConfig', () => {
  const dump = dumpConfig(analyzeText(text).config) as Record<string, any>;

  it('has exactly the seven top-level keys', () => {
    expect(Object.keys(dump)).toEqual(['global_defs', 'vrrp_scripts', 'track_files', 'vrrp_sync_groups', 'vrrp_instances', 'virtual_server_groups', 'virtual_servers']);
  });

  it('is plain JSON without source positions', () => {
    expect(JSON.parse(JSON.stringify(dump))).toEqual(dump);
    expect(keysDeep(dump).has('pos')).toBe(false);
    expect(keysDeep(dump).has('other')).toBe(false);
  });

  it('names named blocks and fills defaults, durations in seconds', () => {
    expect(dump.vrrp_scripts[0]).toMatchObject({ name: 'chk', script: '/usr/bin/check web', interval: 2, timeout: 2, weight: 0 });
    expect(dump.track_files[0]).toMatchObject({ name: 'tf', file: '/run/weight', weight: 1 });
    expect(dump.vrrp_sync_groups[0]).toMatchObject({ name: 'G', group: ['VI_1', 'VI_2'] });
    expect(dump.vrrp_instances[0]).toMatchObject({
      name: 'VI_1',
      advert_int: 2,
      priority: 100,
      sync_group: 'G',
      track_script: [{ name: 'chk', weight: null, reverse: false }],
      virtual_ipaddress: [{ ip: '10.0.0.29', prefix: 24, dev: 'eth0', label: 'eth0:vip', scope: 'global', brd: null }],
    });
    expect(dump.virtual_server_groups[0]).toMatchObject({ name: 'web', entries: [{ ip: '10.0.0.40', port: 80 }] });
  });

  it('merges keywords not acted on yet into their block', () => {
    expect(dump.global_defs).toMatchObject({ router_id: 'lb1', vrrp_no_swap: true });
  });

  it('gives virtual servers ip+port, fwmark or group, with aliases resolved', () => {
    const [byIp, byMark, byGroup] = dump.virtual_servers;
    expect(byIp).toMatchObject({ ip: '10.0.0.29', port: 80, lvs_sched: 'rr', lvs_method: 'NAT', protocol: 'UDP', hashed: false });
    expect(byIp).not.toHaveProperty('lb_algo');
    expect(byMark).toMatchObject({ fwmark: 3 });
    expect(byMark).not.toHaveProperty('ip');
    expect(byGroup).toMatchObject({ group: 'web' });
  });

  it('gives real servers ip+port and a checkers array typed by checker', () => {
    const rs = dump.virtual_servers[0].real_servers[0];
    expect(rs).toMatchObject({ ip: '10.0.1.1', port: 80, weight: 1 });
    expect(rs.checkers).toEqual([
      expect.objectContaining({
        type: 'HTTP_GET',
        connect_ip: '10.0.1.1',
        connect_port: 80,
        connect_timeout: 5,
        retry: 1,
        delay_before_retry: 3,
        delay_loop: 60,
        url: [expect.objectContaining({ path: '/health', status_code: [[200, 299]] })],
      }),
    ]);
    expect(dump.virtual_servers[1].real_servers[0].checkers[0].type).toBe('TCP_CHECK');
  });
});

describe('nothing acted on is lost between the keyword table and the dump', () => {
  /** Acted-on keywords whose value lands under another key, and where. */
  const movedTo: Record<string, string> = {
    preempt: 'nopreempt',
    no_accept: 'accept',
    real_server: 'real_servers',
    retry: 'checkers',
    delay_before_retry: 'checkers',
    warmup: 'checkers',
    alpha: 'checkers',
    connect_timeout: 'checkers',
    delay_loop: 'checkers',
    virtualhost: 'checkers',
    HTTP_GET: 'checkers',
    SSL_GET: 'checkers',
    TCP_CHECK: 'checkers',
    SMTP_CHECK: 'checkers',
    DNS_CHECK: 'checkers',
    MISC_CHECK: 'checkers',
    FILE_CHECK: 'checkers',
    PING_CHECK: 'checkers',
    UDP_CHECK: 'checkers',
  };
  const full = analyzeText('vrrp_instance VI_1 {\n virtual_router_id 1\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n' + 'virtual_server 10.0.0.9 80 {\n real_server 10.0.0.2 80 {\n }\n}\n').config;
  const dump = dumpConfig(full) as Record<string, any>;
  const samples: [BlockName, Record<string, unknown>][] = [
    ['global_defs', dump.global_defs],
    ['vrrp_instance', dump.vrrp_instances[0]],
    ['virtual_server', dump.virtual_servers[0]],
    ['real_server', dump.virtual_servers[0].real_servers[0]],
  ];

  it.each(samples)('every acted-on keyword of %s has a key in the dump', (block, object) => {
    const missing = KEYWORDS.filter((k) => k.blocks.includes(block) && k.status === 'acted-on' && !k.canonical)
      .map((k) => k.name)
      .filter((name) => !(name in object) && !(movedTo[name] !== undefined && (movedTo[name] === 'checkers' || movedTo[name] in object)));
    expect(missing).toEqual([]);
  });
});
