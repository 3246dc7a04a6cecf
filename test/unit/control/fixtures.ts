import type { DaemonStatus, VrrpInstanceStatus } from '../../../src/daemon/status.js';

const T0 = Date.UTC(2026, 11, 7, 16, 0, 0);

export const backupInstance: VrrpInstanceStatus = {
  name: 'VI_1',
  state: 'BACKUP',
  interface: 'eth0',
  vrid: 51,
  family: 'inet',
  basePriority: 120,
  effectivePriority: 100,
  trackers: [
    { name: 'chk_nginx', up: false, weight: -20 },
    { name: 'eth1', up: true, weight: 0 },
  ],
  master: { address: '10.0.0.2', priority: 150 },
  lastTransition: { from: 'MASTER', to: 'BACKUP', reason: 'higher-priority-advert', atUnix: T0 + 5000 },
  explanation: ['BACKUP because it was Master and heard a higher priority.', 'Effective priority 100 = base 120 - 20 (chk_nginx).'],
  counters: { advert_rcvd: 40, advert_sent: 12, become_master: 1, release_master: 1, ip_ttl_err: 3, auth_failure: 1, pri_zero_rcvd: 0, pri_zero_sent: 0 },
  announcementsSent: 5,
  addresses: ['10.0.0.100/24'],
};

export const masterInstance: VrrpInstanceStatus = {
  name: 'VI_6',
  state: 'MASTER',
  interface: 'eth0',
  vrid: 52,
  family: 'inet6',
  basePriority: 100,
  effectivePriority: 100,
  trackers: [],
  master: { address: 'fe80::1', priority: 100 },
  lastTransition: { from: 'BACKUP', to: 'MASTER', reason: 'master-down', atUnix: T0 + 3000 },
  explanation: ['MASTER because no advert from a master it accepts arrived within Master_Down_Interval.'],
  counters: { advert_sent: 300, become_master: 1 },
  announcementsSent: 2,
  addresses: ['fd00::100/64'],
};

export const status: DaemonStatus = {
  pid: 4242,
  version: '0.1.0',
  configFile: '/etc/keepalived/keepalived.conf',
  loadedAtUnix: T0,
  lastReload: { atUnix: T0 + 60_000, ok: false, errors: ['keepalived.conf:12: unknown keyword "vrrp_instnce"'] },
  reloads: { ok: 2, failed: 1 },
  services: {
    vrrp: {
      instances: [backupInstance, masterInstance],
      syncGroups: [{ name: 'G1', state: 'BACKUP', members: ['VI_1'] }],
      drops: { 'bad-ttl': 3, 'vrid-mismatch': 0, 'auth-mismatch': 1 },
      timerLateness: { fired: 1200, maxLateMs: 4.25, meanLateMs: 0.31 },
    },
    lvs: {
      virtualServers: [
        {
          key: 'TCP:[10.0.0.100]:80',
          quorumUp: true,
          sorryServerActive: false,
          realServers: [
            {
              key: '[192.168.1.10]:80',
              alive: true,
              weight: 1,
              checkers: [{ type: 'HTTP_GET', up: true, lastResult: { ok: true, reason: 'HTTP status 200', latencyMs: 1.24, atUnix: T0 + 9000 }, results: { ok: 20, failed: 1 } }],
              transitions: { up: 2, down: 1 },
            },
            {
              key: '[192.168.1.11]:80',
              alive: false,
              weight: 0,
              checkers: [{ type: 'TCP_CHECK', up: false, lastResult: { ok: false, reason: 'connection refused', latencyMs: 0.4, atUnix: T0 + 9100 } }],
            },
          ],
        },
      ],
      applies: 7,
      repairs: 1,
      errors: 0,
    },
  },
};

/** The status of a daemon whose services have not reported yet. */
export const bareStatus: DaemonStatus = { pid: 4243, version: '0.1.0', configFile: '/etc/keepalived/keepalived.conf', loadedAtUnix: T0, lastReload: null, services: {} };
