import { describe, expect, it } from 'vitest';
import { statusLine } from '../../../src/daemon/status-line.js';
import type { DaemonStatus } from '../../../src/daemon/status.js';

const base: Omit<DaemonStatus, 'services'> = { pid: 1, version: 't', configFile: '/k.conf', loadedAtUnix: 0, lastReload: null };
const rs = (alive: boolean) => ({ key: 'x', alive, weight: 1, checkers: [] });

describe('statusLine (systemd STATUS=)', () => {
  it('names each instance with its state, then the real servers alive', () => {
    const status: DaemonStatus = {
      ...base,
      services: {
        vrrp: {
          instances: [
            { name: 'VI_1', state: 'MASTER' },
            { name: 'VI_2', state: 'BACKUP' },
          ],
        },
        lvs: {
          virtualServers: [
            { key: 'a', quorumUp: true, sorryServerActive: false, realServers: [rs(true), rs(false)] },
            { key: 'b', quorumUp: true, sorryServerActive: false, realServers: [rs(true), rs(true)] },
          ],
        },
      },
    };
    expect(statusLine(status)).toBe('VI_1 MASTER, VI_2 BACKUP; 3/4 real servers up');
  });

  it('says running when no service has anything to show', () => {
    expect(statusLine({ ...base, services: { control: {} } })).toBe('running');
  });
});
