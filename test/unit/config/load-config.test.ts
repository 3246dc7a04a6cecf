import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';

function load(text: string) {
  return loadConfig('/etc/keepalived/keepalived.conf', { fs: { readFile: () => text, glob: (p) => [p] }, configId: 'lb1', hostname: 'lb1' });
}

const instance = (name: string, vrid: number, extra = '') => `vrrp_instance ${name} {
  state BACKUP
  interface eth0
  virtual_router_id ${vrid}
  priority 100
${extra}  virtual_ipaddress {
    10.0.0.${vrid}/24
  }
}
`;

describe('loadConfig', () => {
  it('runs a clean configuration whole: nothing disabled, -t status 0', () => {
    const loaded = load(instance('VI_1', 51) + instance('VI_2', 52));
    expect(loaded).toMatchObject({ fatal: false, exitCode: 0, disabled: [] });
    expect(loaded.config.vrrp_instances.map((i) => i.name)).toEqual(['VI_1', 'VI_2']);
  });

  it('disables the instance whose block holds an error and runs the others, as keepalived does (-t status 4)', () => {
    const loaded = load(instance('VI_1', 51) + instance('VI_2', 52, '  advert_int banana\n') + 'vrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n}\n');
    expect(loaded).toMatchObject({ fatal: false, exitCode: 4 });
    expect(loaded.disabled.map((d) => d.instance)).toEqual(['VI_2']);
    expect(loaded.disabled[0]?.errors[0]?.pos).toMatchObject({ line: 15 });
    expect(loaded.config.vrrp_instances.map((i) => i.name)).toEqual(['VI_1']);
    expect(loaded.config.vrrp_sync_groups[0]?.group).toEqual(['VI_1']);
    // what -t -d prints is the configuration as read
    expect(loaded.read.vrrp_instances.map((i) => i.name)).toEqual(['VI_1', 'VI_2']);
  });

  it('an error outside any instance disables none', () => {
    const loaded = load('global_defs {\n  vrrp_garp_master_delay banana\n}\n' + instance('VI_1', 51));
    expect(loaded.exitCode).toBe(4);
    expect(loaded.disabled).toEqual([]);
    expect(loaded.config.vrrp_instances).toHaveLength(1);
  });

  it('refuses to run only on fatal problems: an unreadable file is -t status 3', () => {
    const loaded = loadConfig('/nonexistent/kts-load-config.conf');
    expect(loaded).toMatchObject({ fatal: true, exitCode: 3 });
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(['config-file-unreadable']);
  });
});
