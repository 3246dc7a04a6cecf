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

  it('says the last reload was not applied, with its first error, until one succeeds', () => {
    const refused: DaemonStatus = { ...base, lastReload: { atUnix: 1, ok: false, errors: ['/k.conf:3:5: error: unknown keyword [vrrp_instanc]', 'second'] }, services: {} };
    expect(statusLine(refused)).toBe('last reload not applied (2 error(s)), running configuration kept: /k.conf:3:5: error: unknown keyword [vrrp_instanc]');
    expect(statusLine({ ...refused, lastReload: { atUnix: 2, ok: true, errors: [] } })).toBe('running');
  });
});
