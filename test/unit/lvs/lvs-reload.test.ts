/**
 * LvsService.reconfigure over the in-memory kernel (issue 11): a reload of the same file writes
 * nothing, a reload repairs a service deleted by hand, weights changed in the file are applied,
 * a service that keeps any server never runs empty in the middle of a reload, and the dry-run
 * lists the writes without making them.
 */
import { describe, expect, it } from 'vitest';
import type { Destination, ServiceKey } from '../../../src/ipvs/types.js';
import { configFrom } from './helpers.js';
import { CountingClient, down, FULL, harness, TWO_SERVERS } from './service-harness.js';

const CONFIG = `
global_defs {
  lvs_timeouts tcp 7200 udp 60
  lvs_sync_daemon eth0 VI_1
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  priority 100
  virtual_ipaddress { 10.0.0.1 }
}
${TWO_SERVERS}`;
const KEY: ServiceKey = { family: 'inet', protocol: 'tcp', address: '10.0.0.1', port: 80 };

/**
 * A kernel that notes how many destinations the service has after each destination write, in
 * the order the writes are sent (they are pipelined: a dump between them would see them all).
 */
class WatchingClient extends CountingClient {
  level = 0;
  readonly counts: number[] = [];
  override addDestination(service: ServiceKey, destination: Destination): Promise<void> {
    this.counts.push(++this.level);
    return super.addDestination(service, destination);
  }
  override deleteDestination(service: ServiceKey, destination: Parameters<CountingClient['deleteDestination']>[1]): Promise<void> {
    this.counts.push(--this.level);
    return super.deleteDestination(service, destination);
  }
}

describe('LvsService reload', () => {
  it('a reload of the same file reads the kernel once and writes nothing: no table write, no timeouts, no sync daemon restart', async () => {
    const h = harness();
    await h.service.start(configFrom(CONFIG), h.context);
    h.service.receive(down('[192.168.1.11]:80'));
    await h.service.settled();
    const writes = h.ipvs.writes;
    const dumps = h.ipvs.dumps;
    for (let i = 0; i < 3; i++) await h.service.reconfigure(configFrom(CONFIG));
    expect(h.ipvs.writes).toBe(writes);
    expect(h.ipvs.dumps).toBe(dumps + 3);
    // the server a checker took down stays down: its result survived the reloads
    expect(await h.table()).toEqual(FULL.slice(0, 2));
    expect(await h.ipvs.daemons()).toMatchObject([{ state: 'backup', syncId: 51 }]);
  });

  it('a reload puts back a service deleted by hand and a destination whose weight was changed by hand', async () => {
    const h = harness();
    await h.service.start(configFrom(CONFIG), h.context);
    await h.ipvs.deleteService(KEY);
    expect(await h.table()).toEqual([]);
    await h.service.reconfigure(configFrom(CONFIG));
    expect(await h.table()).toEqual(FULL);
    await h.ipvs.editDestination(KEY, { family: 'inet', address: '192.168.1.10', port: 80, forward: 'masq', weight: 9, upperThreshold: 0, lowerThreshold: 0 });
    await h.service.reconfigure(configFrom(CONFIG));
    expect(await h.table()).toEqual(FULL);
  });

  it('weights, scheduler and timeouts changed in the file are applied by the reload', async () => {
    const h = harness();
    await h.service.start(configFrom(CONFIG), h.context);
    const changed = CONFIG.replace('lvs_sched rr', 'lvs_sched wlc').replace('real_server 192.168.1.11 80 {', 'real_server 192.168.1.11 80 {\n weight 5').replace('tcp 7200', 'tcp 3600');
    await h.service.reconfigure(configFrom(changed));
    expect(await h.table()).toEqual(['TCP 10.0.0.1:80 wlc', '  -> 192.168.1.10:80 Masq 1', '  -> 192.168.1.11:80 Masq 5']);
    expect(await h.ipvs.timeouts()).toMatchObject({ tcp: 3600, udp: 60 });
  });

  it('a service moved to other real servers never runs empty in the middle of the reload: the new ones are added before the old go', async () => {
    const ipvs = new WatchingClient();
    const h = harness({}, ipvs);
    await h.service.start(configFrom(CONFIG), h.context);
    ipvs.counts.length = 0;
    ipvs.level = 2;
    await h.service.reconfigure(configFrom(CONFIG.replace('192.168.1.10 80', '192.168.1.12 80').replace('192.168.1.11 80', '192.168.1.13 80')));
    expect(await h.table()).toEqual(['TCP 10.0.0.1:80 rr', '  -> 192.168.1.12:80 Masq 1', '  -> 192.168.1.13:80 Masq 1']);
    expect(ipvs.counts).toEqual([3, 4, 3, 2]);
  });

  it('the dry-run lists the writes a reload would make, in the order it would make them, and writes nothing', async () => {
    const h = harness();
    await h.service.start(configFrom(CONFIG), h.context);
    const writes = h.ipvs.writes;
    expect(h.service.previewReconfigure(configFrom(CONFIG))).toEqual({ changes: [] });
    const preview = h.service.previewReconfigure(configFrom(CONFIG.replace('192.168.1.10 80', '192.168.1.12 80').replace('lvs_sched rr', 'lvs_sched wlc')));
    expect(preview.changes.map((c) => c.text)).toEqual([
      'edit service TCP 10.0.0.1:80: scheduler wlc',
      'add destination 192.168.1.12:80 in TCP 10.0.0.1:80: masq weight 1',
      'delete destination 192.168.1.10:80 in TCP 10.0.0.1:80',
    ]);
    const gone = h.service.previewReconfigure(configFrom(CONFIG.slice(0, CONFIG.indexOf('virtual_server'))));
    expect(gone.changes).toEqual([{ op: 'delete', kind: 'service', text: 'delete service TCP 10.0.0.1:80' }]);
    expect(h.ipvs.writes).toBe(writes);
    expect(await h.table()).toEqual(FULL);
  });

  it('the dry-run counts checker results not yet stepped, on a copy: it logs nothing and the pass still applies them', async () => {
    const h = harness();
    await h.service.start(configFrom(CONFIG), h.context);
    h.service.receive(down('[192.168.1.11]:80'));
    const before = h.lines.length;
    // .11 is down already, so a file without it changes nothing
    expect(h.service.previewReconfigure(configFrom(CONFIG.replace('real_server 192.168.1.11 80 { TCP_CHECK { } }', '')))).toEqual({ changes: [] });
    expect(h.lines.slice(before)).toEqual([]);
    await h.service.settled();
    expect(h.lines.slice(before).filter((l) => l.msg.includes('192.168.1.11')).length).toBe(1);
    expect(await h.table()).toEqual(FULL.slice(0, 2));
  });
});
