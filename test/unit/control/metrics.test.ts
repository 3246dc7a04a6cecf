import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { exposition } from '../../../src/control/exposition.js';
import { renderMetrics, type ProcessSample } from '../../../src/control/metrics.js';
import { bareStatus, status } from './fixtures.js';

const proc: ProcessSample = { cpuSeconds: 1.5, residentMemoryBytes: 52_428_800, heapUsedBytes: 10_485_760, startTimeSeconds: 1_796_659_000, openFds: 21 };
const text = renderMetrics(status, proc);
const samples = text.split('\n').filter((l) => l && !l.startsWith('#'));

const promtool = spawnSync('promtool', ['--version']).status === 0;
if (!promtool) console.warn('!!! promtool is missing (apt-get install prometheus): the promtool checks are SKIPPED, not passed !!!');

describe('metrics text', () => {
  it("reports the state per instance with keepalived's numbers and the exporters' labels", () => {
    expect(samples).toContain('keepalived_vrrp_state{iname="VI_1",intf="eth0",vrid="51"} 1');
    expect(samples).toContain('keepalived_vrrp_state{iname="VI_6",intf="eth0",vrid="52"} 2');
    expect(samples).toContain('keepalived_vrrp_sync_group_state{group="G1"} 1');
  });

  it('names the VRRP counters as keepalived exporters chart them, and only those the daemon counts', () => {
    expect(samples).toContain('keepalived_advertisements_received_total{iname="VI_1",intf="eth0",vrid="51"} 40');
    expect(samples).toContain('keepalived_advertisements_sent_total{iname="VI_6",intf="eth0",vrid="52"} 300');
    expect(samples).toContain('keepalived_become_master_total{iname="VI_1",intf="eth0",vrid="51"} 1');
    expect(samples).toContain('keepalived_priority_zero_sent_total{iname="VI_1",intf="eth0",vrid="51"} 0');
    expect(samples).toContain('keepalived_ip_ttl_errors_total{iname="VI_1",intf="eth0",vrid="51"} 3');
    expect(samples).toContain('keepalived_authentication_failure_total{iname="VI_1",intf="eth0",vrid="51"} 1');
    expect(samples.some((l) => l.startsWith('keepalived_advertisements_received_total{iname="VI_6"'))).toBe(false);
  });

  it('counts gratuitous ARPs for IPv4 instances and unsolicited NAs for IPv6 ones', () => {
    expect(samples).toContain('keepalived_gratuitous_arp_sent_total{iname="VI_1",intf="eth0",vrid="51"} 5');
    expect(samples).toContain('keepalived_unsolicited_neighbor_advertisements_sent_total{iname="VI_6",intf="eth0",vrid="52"} 2');
    expect(samples.filter((l) => /^keepalived_(gratuitous_arp|unsolicited_neighbor_advertisements)_sent_total/.test(l))).toHaveLength(2);
  });

  it('puts no state label on any counter', () => {
    const counters = [...text.matchAll(/^# TYPE (\S+) counter$/gm)].map((m) => m[1]);
    expect(counters.length).toBeGreaterThan(10);
    for (const name of counters) {
      expect(name).toMatch(/_total$/);
      for (const line of samples.filter((l) => l.startsWith(`${name}{`))) expect(line).not.toMatch(/[{,]state=/);
    }
  });

  it('counts drops by reason, timers in seconds, and the LVS side', () => {
    expect(samples).toContain('keepalived_vrrp_advert_dropped_total{reason="bad-ttl"} 3');
    expect(samples).toContain('keepalived_vrrp_advert_dropped_total{reason="vrid-mismatch"} 0');
    expect(samples).toContain('keepalived_vrrp_timer_lateness_max_seconds 0.00425');
    expect(samples).toContain('keepalived_lvs_real_server_up{vs="TCP:[10.0.0.100]:80",rs="[192.168.1.11]:80"} 0');
    expect(samples).toContain('keepalived_lvs_real_server_down_transitions_total{vs="TCP:[10.0.0.100]:80",rs="[192.168.1.10]:80"} 1');
    expect(samples).toContain('keepalived_checker_results_total{vs="TCP:[10.0.0.100]:80",rs="[192.168.1.10]:80",checker="0",type="HTTP_GET",result="failure"} 1');
    expect(samples).toContain('keepalived_checker_last_latency_seconds{vs="TCP:[10.0.0.100]:80",rs="[192.168.1.11]:80",checker="0",type="TCP_CHECK"} 0.0004');
    expect(samples).toContain('keepalived_lvs_quorum_up{vs="TCP:[10.0.0.100]:80"} 1');
    expect(samples).toContain('keepalived_ipvs_repairs_total 1');
  });

  it('reports reloads, the config load time and the process', () => {
    expect(samples).toContain('keepalived_reloads_total{result="failure"} 1');
    expect(samples).toContain('keepalived_config_last_reload_successful 0');
    expect(samples).toContain('keepalived_config_loaded_timestamp_seconds 1796659200');
    expect(samples).toContain('process_cpu_seconds_total 1.5');
    expect(samples).toContain('process_open_fds 21');
  });

  it('leaves out what a daemon without VRRP or LVS, or without reload counts, does not have', () => {
    const bare = renderMetrics(bareStatus, { ...proc, openFds: undefined });
    expect(bare).not.toMatch(/keepalived_vrrp|keepalived_lvs|keepalived_reloads_total|process_open_fds/);
    expect(bare).toContain('keepalived_config_last_reload_successful 1');
  });

  it('escapes label values and help text as the format requires', () => {
    const out = exposition([
      {
        name: 'x',
        type: 'gauge',
        help: 'a\\b\nc',
        samples: [
          { labels: { l: 'q"\\\n' }, value: NaN },
          { labels: {}, value: Infinity },
        ],
      },
    ]);
    expect(out).toBe('# HELP x a\\\\b\\nc\n# TYPE x gauge\nx{l="q\\"\\\\\\n"} NaN\nx +Inf\n');
  });

  it.skipIf(!promtool)('passes promtool check metrics', () => {
    for (const page of [text, renderMetrics(bareStatus, proc)]) {
      const run = spawnSync('promtool', ['check', 'metrics'], { input: page, encoding: 'utf8' });
      expect(`${run.stdout}${run.stderr}`).toBe('');
      expect(run.status).toBe(0);
    }
  });
});
