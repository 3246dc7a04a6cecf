/**
 * LvsService's wiring over the in-memory kernel: adoption at start, incremental writes on
 * checker results, the periodic read-back repair, stop removing exactly what it programmed
 * (or nothing with -I), lvs_flush, lvs_timeouts, the sync daemon following its VRRP instance,
 * and an unusable IPVS logged, never thrown.
 */
import { describe, expect, it, vi } from 'vitest';
import { readTable } from '../../../src/ipvs/apply.js';
import { LvsService, REPAIR_PARTS } from '../../../src/daemon/lvs-service.js';
import { configFrom, tableLines } from './helpers.js';
import { CountingClient, down, FULL, harness, program, TWO_SERVERS } from './service-harness.js';

const STRANGER = {
  service: { key: { family: 'inet', protocol: 'tcp', address: '10.9.9.9', port: 22 }, scheduler: 'wlc', flags: 0, timeout: 0, netmask: '255.255.255.255' },
  destinations: [],
} as const;

describe('LvsService', () => {
  it('programs the configured table at start and follows checker results with incremental writes', async () => {
    const h = harness();
    await h.service.start(configFrom(TWO_SERVERS), h.context);
    expect(await h.table()).toEqual(FULL);
    const dumps = h.ipvs.dumps;
    h.service.receive(down('[192.168.1.11]:80'));
    await h.service.settled();
    expect(await h.table()).toEqual(FULL.slice(0, 2));
    expect(h.ipvs.dumps - dumps).toBe(1); // only the read-back of this assertion
    expect(h.lines.map((l) => l.msg)).toContain('Removing service [192.168.1.11]:tcp:80 from VS [10.0.0.1]:tcp:80');
    // the supervisor's logger already names the service: once per record
    for (const line of h.raw) expect(line.match(/"service":/g)).toEqual(['"service":']);
    expect(h.service.status()).toMatchObject({
      virtualServers: [
        {
          key: 'TCP:[10.0.0.1]:80',
          quorumUp: true,
          realServers: [
            { alive: true, weight: 1 },
            { alive: false, weight: 0 },
          ],
        },
      ],
    });
  });

  it('coalesces results that arrive together into one pass', async () => {
    const h = harness();
    await h.service.start(configFrom(TWO_SERVERS), h.context);
    const before = h.service.status().applies;
    for (let i = 0; i < 50; i++) {
      h.service.receive(down('[192.168.1.10]:80', i % 2 === 1));
      h.service.receive(down('[192.168.1.11]:80', i % 2 === 1));
    }
    await h.service.settled();
    expect(h.service.status().applies - before).toBe(1);
    expect(await h.table()).toEqual(FULL);
  });

  it('adopts a matching table at start without writing, and leaves a stranger alone', async () => {
    const ipvs = new CountingClient();
    const h0 = harness({}, ipvs);
    await h0.service.start(configFrom(TWO_SERVERS), h0.context);
    await program(ipvs, { services: [STRANGER] });
    const writes = ipvs.writes;
    const h = harness({}, ipvs);
    await h.service.start(configFrom(TWO_SERVERS), h.context);
    expect(ipvs.writes).toBe(writes);
    expect(await h.table()).toEqual([...FULL, 'TCP 10.9.9.9:22 wlc']);
  });

  it('repairs a hand-deleted service on the next read-back, and a changed weight within REPAIR_PARTS read-backs', async () => {
    const h = harness();
    await h.service.start(configFrom(TWO_SERVERS), h.context);
    expect(h.ticks).toHaveLength(1);
    await h.ipvs.deleteService({ family: 'inet', protocol: 'tcp', address: '10.0.0.1', port: 80 });
    await program(h.ipvs, { services: [STRANGER] });
    await h.service.readBack();
    expect(await h.table()).toEqual(['TCP 10.9.9.9:22 wlc', ...FULL]);
    expect(h.service.status().repairs).toBe(1);
    expect(h.lines.some((l) => l.msg.startsWith('IPVS table differed from the configuration'))).toBe(true);
    const ours = { family: 'inet', protocol: 'tcp', address: '10.0.0.1', port: 80 } as const;
    await h.ipvs.editDestination(ours, { family: 'inet', address: '192.168.1.10', port: 80, forward: 'masq', weight: 9, upperThreshold: 0, lowerThreshold: 0 });
    const seen: number[] = [];
    for (let i = 0; i < REPAIR_PARTS; i++) {
      await h.service.readBack();
      seen.push(h.service.status().repairs);
    }
    // each read-back dumps the destinations of one part of the services, in turn
    expect(seen.filter((repairs) => repairs === 1).length).toBeLessThan(REPAIR_PARTS);
    expect(await h.table()).toEqual(['TCP 10.9.9.9:22 wlc', ...FULL]);
    expect(h.service.status().repairs).toBe(2);
    await h.service.readBack();
    expect(h.service.status().repairs).toBe(2);
  });

  it("stop deletes what it programmed, with keepalived's shutdown lines, and nothing else", async () => {
    const h = harness();
    await program(h.ipvs, { services: [STRANGER] });
    await h.service.start(configFrom(TWO_SERVERS), h.context);
    const flush = vi.spyOn(h.ipvs, 'flush');
    await h.service.stop();
    expect(await h.table()).toEqual(['TCP 10.9.9.9:22 wlc']);
    expect(flush).not.toHaveBeenCalled();
    expect(h.lines.map((l) => l.msg)).toContain('Shutting down service [192.168.1.10]:tcp:80 from VS [10.0.0.1]:tcp:80');
    expect(h.ticks).toHaveLength(0);
    h.service.receive(down('[192.168.1.11]:80'));
    await h.service.settled();
    expect(await h.table()).toEqual(['TCP 10.9.9.9:22 wlc']);
  });

  it('stop flushes, with no delete, when the dump just before shows only its own services', async () => {
    const h = harness();
    await h.service.start(configFrom(TWO_SERVERS), h.context);
    const flush = vi.spyOn(h.ipvs, 'flush');
    const deletes = vi.spyOn(h.ipvs, 'deleteService');
    await h.service.stop();
    expect(await h.table()).toEqual([]);
    expect(flush).toHaveBeenCalledTimes(1);
    expect(deletes).not.toHaveBeenCalled();
    expect(h.lines.map((l) => l.msg)).toContain('Shutting down service [192.168.1.11]:tcp:80 from VS [10.0.0.1]:tcp:80');
  });

  it('stop deletes its services one by one when the dump or the flush fails, and logs why', async () => {
    for (const broken of ['services', 'flush'] as const) {
      const h = harness();
      await h.service.start(configFrom(TWO_SERVERS), h.context);
      vi.spyOn(h.ipvs, broken).mockRejectedValueOnce(new Error('netlink went away'));
      await h.service.stop();
      expect(await h.table()).toEqual([]);
      expect(h.lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([expect.stringContaining('deleting ours one by one: netlink went away')]);
      expect(h.service.status().errors).toBe(0);
    }
  });

  it('stop aborts a read-back under way instead of waiting for its dumps, and logs no failure', async () => {
    /** A kernel whose destination dumps hang, once closed, until their signal aborts (a dump never sent). */
    class StuckDumps extends CountingClient {
      closed = false;
      stuck = 0;
      override async destinations(...args: Parameters<CountingClient['destinations']>) {
        const signal = args[1]?.signal;
        if (!this.closed) return super.destinations(...args);
        this.stuck++;
        return new Promise<never>((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error)));
      }
    }
    const ipvs = new StuckDumps();
    const h = harness({}, ipvs);
    await h.service.start(configFrom(TWO_SERVERS), h.context);
    ipvs.closed = true;
    const reading = h.service.readBack();
    await vi.waitFor(() => expect(ipvs.stuck).toBeGreaterThan(0));
    // without the abort, stop would wait for a dump that never ends
    await h.service.stop();
    await reading;
    expect(await h.table()).toEqual([]);
    expect(h.service.status().errors).toBe(0);
    expect(h.lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('-I leaves the table at stop; lvs_flush_on_stop flushes it; lvs_flush flushes at start', async () => {
    const kept = harness({ dontReleaseIpvs: true });
    await kept.service.start(configFrom(TWO_SERVERS), kept.context);
    await kept.service.stop();
    expect(await kept.table()).toEqual(FULL);

    const flushed = harness();
    await program(flushed.ipvs, { services: [STRANGER] });
    await flushed.service.start(configFrom(`global_defs {\n lvs_flush\n lvs_flush_on_stop\n}\n${TWO_SERVERS}`), flushed.context);
    expect(await flushed.table()).toEqual(FULL);
    await program(flushed.ipvs, { services: [STRANGER] });
    await flushed.service.stop();
    expect(await flushed.table()).toEqual([]);
  });

  it('keeps checker results and VRRP states that come while it is starting, and applies them at start', async () => {
    const ipvs = new CountingClient();
    let open: () => void = () => undefined;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const h = harness();
    const service = new LvsService({ openIpvs: async () => (await opened, ipvs), every: () => () => undefined });
    const config = configFrom(`global_defs {\n lvs_sync_daemon eth0 VI_1\n}
vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 100\n virtual_ipaddress { 10.0.0.1 }\n}\n${TWO_SERVERS}`);
    const starting = service.start(config, h.context);
    service.receive(down('[192.168.1.11]:80'));
    service.receive({ type: 'vrrp-state', instance: 'VI_1', state: 'MASTER', addresses: ['10.0.0.1'] });
    open();
    await starting;
    await service.settled();
    expect(tableLines(await readTable(ipvs))).toEqual(['TCP 10.0.0.1:80 rr', '  -> 192.168.1.10:80 Masq 1']);
    expect(await ipvs.daemons()).toMatchObject([{ state: 'master', syncId: 51 }]);
    await service.stop();
  });

  it('sets lvs_timeouts and runs the sync daemon as backup, then as master while its instance is Master', async () => {
    const h = harness();
    const config = configFrom(`global_defs {\n lvs_timeouts tcp 7200 udp 60\n lvs_sync_daemon eth0 VI_1 maxlen 1400\n}
vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 100\n virtual_ipaddress { 10.0.0.1 }\n}\n${TWO_SERVERS}`);
    await h.service.start(config, h.context);
    expect(await h.ipvs.timeouts()).toEqual({ tcp: 7200, tcpFin: 120, udp: 60 });
    expect(await h.ipvs.daemons()).toMatchObject([{ state: 'backup', mcastInterface: 'eth0', syncId: 51, maxLen: 1400 }]);
    h.service.receive({ type: 'vrrp-state', instance: 'VI_1', state: 'MASTER', addresses: ['10.0.0.1'] });
    await h.service.settled();
    expect(await h.ipvs.daemons()).toMatchObject([{ state: 'master', syncId: 51 }]);
    await h.service.stop();
    expect(await h.ipvs.daemons()).toEqual([]);
  });

  it('keeps running when IPVS cannot be used: the failure is logged and counted, start resolves', async () => {
    class Broken extends CountingClient {
      override async services(): Promise<never> {
        throw new Error('IPVS is not available');
      }
    }
    const h = harness({}, new Broken());
    await h.service.start(configFrom(TWO_SERVERS), h.context);
    expect(h.service.status().errors).toBe(1);
    expect(h.lines.map((l) => l.msg)).toContain('IPVS apply failed: IPVS is not available');
    await h.service.readBack();
    expect(h.service.status().errors).toBe(2);
  });

  it('a reload keeps checker results of servers that stay and programs the new ones', async () => {
    const h = harness();
    await h.service.start(configFrom(TWO_SERVERS), h.context);
    h.service.receive(down('[192.168.1.11]:80'));
    await h.service.reconfigure(configFrom(TWO_SERVERS.replace('real_server 192.168.1.10 80', 'real_server 192.168.1.12 80')));
    expect(await h.table()).toEqual(['TCP 10.0.0.1:80 rr', '  -> 192.168.1.12:80 Masq 1']);
  });
});
