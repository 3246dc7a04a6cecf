import { describe, expect, it } from 'vitest';
import type { VrrpInstanceStatus } from '../../../src/daemon/status.js';
import { priorityText } from '../../../src/control/priority-text.js';
import { renderExplain } from '../../../src/control/render-explain.js';
import { renderStatus } from '../../../src/control/render-status.js';
import { backupInstance, bareStatus, masterInstance, status } from './fixtures.js';

describe('status tables', () => {
  const text = renderStatus(status);
  const lines = text.split('\n');

  it('heads with the daemon, its config, load time and last reload result', () => {
    expect(lines.slice(0, 3)).toEqual([
      'keepalived-ts 0.1.0, pid 4242',
      'config /etc/keepalived/keepalived.conf, loaded 2026-12-07T16:00:00.000Z',
      'last reload: FAILED at 2026-12-07T16:01:00.000Z: keepalived.conf:12: unknown keyword "vrrp_instnce"',
    ]);
  });

  it('gives each instance a row with state, priority sum, master and last transition, in aligned columns', () => {
    const header = lines.find((l) => l.trimStart().startsWith('NAME  STATE'));
    const row = lines.find((l) => l.trimStart().startsWith('VI_1 '));
    expect(row).toBe('  VI_1  BACKUP  eth0  51    100 = 120 base − 20 chk_nginx down  10.0.0.2 (150)  MASTER → BACKUP (higher-priority-advert) 2026-12-07T16:00:05.000Z');
    expect(header?.indexOf('MASTER')).toBe(row?.indexOf('10.0.0.2'));
    expect(text).toContain('  VI_6  MASTER  eth0  52    100');
  });

  it('lists counters, trackers, sync groups, drops by reason and timer lateness', () => {
    expect(text).toContain(
      '  VI_1: counters advert_rcvd 40, advert_sent 12, become_master 1, release_master 1, ip_ttl_err 3, auth_failure 1; trackers chk_nginx down (weight -20, −20 now), eth1 up (weight 0)',
    );
    expect(text).toMatch(/^ {2}G1 +BACKUP +VI_1$/m);
    expect(text).toContain('Advert drops: bad-ttl 3, auth-mismatch 1');
    expect(text).toContain('Timers: 1200 fired, 0.3 ms late on average, 4.3 ms at most');
  });

  it('lists each virtual server with quorum, sorry server and its real servers with their last check', () => {
    expect(text).toContain('  TCP:[10.0.0.100]:80: quorum up, sorry server inactive');
    expect(text).toMatch(/^ {4}\[192\.168\.1\.10\]:80 +up +1 +HTTP_GET ok \(HTTP status 200\) in 1\.2 ms at 2026-12-07T16:00:09\.000Z$/m);
    expect(text).toMatch(/^ {4}\[192\.168\.1\.11\]:80 +DOWN +0 +TCP_CHECK failed \(connection refused\) in 0\.4 ms/m);
    expect(text).toContain('IPVS: 7 applies, 1 repairs, 0 errors');
  });

  it('says which parts are not running rather than showing empty tables', () => {
    expect(renderStatus(bareStatus)).toBe(
      'keepalived-ts 0.1.0, pid 4243\nconfig /etc/keepalived/keepalived.conf, loaded 2026-12-07T16:00:00.000Z\nlast reload: none\n\nVRRP: not running\n\nLVS: not running\n',
    );
  });
});

describe('explain', () => {
  it('answers in the words of the issue: who advertises what against our worked-out priority', () => {
    const text = renderExplain({ instance: backupInstance, syncGroup: { name: 'G1', state: 'BACKUP', members: ['VI_1'] } });
    expect(text.split('\n')).toEqual([
      'VI_1: BACKUP because 10.0.0.2 advertises 150 > our effective 100 = 120 base − 20 chk_nginx down',
      '  last transition MASTER → BACKUP (higher-priority-advert) at 2026-12-07T16:00:05.000Z',
      '  sync group G1 is BACKUP (members VI_1)',
      '  BACKUP because it was Master and heard a higher priority.',
      '  Effective priority 100 = base 120 - 20 (chk_nginx).',
      '',
    ]);
  });

  it("states a Master's priority, and a Backup's master it hears at a lower priority (nopreempt)", () => {
    expect(renderExplain({ instance: masterInstance, syncGroup: null })).toMatch(/^VI_6: MASTER with effective priority 100\n/);
    const nopreempt: VrrpInstanceStatus = { ...backupInstance, master: { address: '10.0.0.3', priority: 90 } };
    expect(renderExplain({ instance: nopreempt, syncGroup: null })).toMatch(/^VI_1: BACKUP because 10\.0\.0\.3 advertises 90 < our effective 100 = /);
  });

  it('says when no transition happened yet and names the master a FAULT instance last heard', () => {
    const fault: VrrpInstanceStatus = { ...backupInstance, state: 'FAULT', lastTransition: null, trackers: [], effectivePriority: 120 };
    expect(renderExplain({ instance: fault, syncGroup: null })).toMatch(/^VI_1: FAULT with effective priority 120; master 10\.0\.0\.2 \(150\)\n {2}no transition yet\n/);
  });
});

describe('priority sums', () => {
  const inst = (over: Partial<VrrpInstanceStatus>): VrrpInstanceStatus => ({ ...backupInstance, ...over });
  it.each([
    [inst({ trackers: [], effectivePriority: 120 }), '120'],
    [
      inst({
        trackers: [
          { name: 'a', up: true, weight: 10 },
          { name: 'b', up: false, weight: -5 },
        ],
        effectivePriority: 125,
      }),
      '125 = 120 base + 10 a up − 5 b down',
    ],
    [inst({ basePriority: 250, trackers: [{ name: 'a', up: true, weight: 10 }], effectivePriority: 254 }), '254 (250 base + 10 a up = 260, clamped)'],
    [inst({ basePriority: 255, effectivePriority: 255 }), '255 (address owner)'],
    [
      inst({
        trackers: [
          { name: 'a', up: false, weight: 10 },
          { name: 'b', up: true, weight: -5 },
        ],
        effectivePriority: 120,
      }),
      '120',
    ],
    [inst({ trackers: [{ name: 'a', up: false, weight: -5, delta: 0 }], effectivePriority: 120 }), '120'],
    [inst({ trackers: [], effectivePriority: 100 }), '100 (base 120)'],
  ])('%#: %s', (i, expected) => expect(priorityText(i)).toBe(expected));
});
