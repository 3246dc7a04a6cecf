/**
 * Our generic-netlink client against the real kernel IPVS in the vm tier, with Debian's ipvsadm
 * as the independent reader and writer: what we program, ipvsadm reads back; what ipvsadm
 * programs, we read back; and the kernel's errors match the in-memory client's.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { drive, driveOk, ipvsadm } from './ipvs/guest.js';
import { vm } from './harness/vm.js';
import { MemoryIpvsClient, KERNEL_SCHEDULERS } from '../../src/ipvs/memory-client.js';
import type { IpvsClient, ServiceKey, Table } from '../../src/ipvs/types.js';
import { real, svc, tcp } from '../unit/ipvs/fixtures.js';
import type { DriverCall } from './ipvs/driver.js';
import { damage, normal, tables, type Harm } from '../unit/ipvs/arbitraries.js';
import { describeService, isFwmarkKey } from '../../src/ipvs/keys.js';

const lines = (text: string): string[] => text.split('\n').filter(Boolean).sort();

/** The guest is shared by every vm test file: start from, and leave, an empty IPVS. */
async function resetIpvs(): Promise<void> {
  await vm.sh('ipvsadm -C; ipvsadm --stop-daemon master || true; ipvsadm --stop-daemon backup || true; ipvsadm --set 900 120 300');
}
beforeEach(resetIpvs);
afterEach(resetIpvs);

describe('services and destinations created by our client, read back by ipvsadm', () => {
  it('accepts every scheduler of the kernel', async () => {
    const calls: DriverCall[] = KERNEL_SCHEDULERS.flatMap((scheduler, i) => [
      { method: 'addService', args: [svc(tcp('10.20.0.1', 9000 + i), { scheduler })] },
      { method: 'addDestination', args: [tcp('10.20.0.1', 9000 + i), real('10.20.1.1', 80, { weight: i + 1 })] },
    ]);
    await driveOk(calls);
    expect(lines(await ipvsadm('-S', '-n'))).toEqual(
      lines(KERNEL_SCHEDULERS.map((scheduler, i) => `-A -t 10.20.0.1:${9000 + i} -s ${scheduler}\n-a -t 10.20.0.1:${9000 + i} -r 10.20.1.1:80 -m -w ${i + 1}\n`).join('')),
    );
  });

  it('programs NAT, DR and TUN (ipip, gue, gre), persistence with a netmask, engines, flags, UDP, SCTP, fwmark and IPv6', async () => {
    const web = tcp('10.20.0.1', 80);
    const voip: ServiceKey = { family: 'inet', protocol: 'udp', address: '10.20.0.2', port: 5060 };
    const sctp: ServiceKey = { family: 'inet', protocol: 'sctp', address: '10.20.0.3', port: 3868 };
    const mark: ServiceKey = { family: 'inet', fwmark: 7 };
    const mark6: ServiceKey = { family: 'inet6', fwmark: 8 };
    const dns6: ServiceKey = { family: 'inet6', protocol: 'udp', address: '2001:db8::53', port: 53 };
    await driveOk([
      { method: 'addService', args: [svc(web, { scheduler: 'sh', flags: 0x01 | 0x04 | 0x08 | 0x10, timeout: 300, netmask: '255.255.255.0' })] },
      { method: 'addDestination', args: [web, real('10.20.1.1', 8080)] },
      { method: 'addDestination', args: [web, real('10.20.1.2', 80, { forward: 'route', weight: 2 })] },
      { method: 'addDestination', args: [web, real('10.20.1.3', 80, { forward: 'tunnel', tunnelType: 'ipip' })] },
      { method: 'addDestination', args: [web, real('10.20.1.4', 80, { forward: 'tunnel', tunnelType: 'gue', tunnelPort: 6080, tunnelFlags: 1 })] },
      { method: 'addDestination', args: [web, real('10.20.1.5', 80, { forward: 'tunnel', tunnelType: 'gre', tunnelFlags: 2 })] },
      { method: 'addService', args: [svc(voip, { scheduler: 'rr', flags: 1, timeout: 60, pe: 'sip' })] },
      { method: 'addDestination', args: [voip, real('10.20.2.1', 5060)] },
      { method: 'addService', args: [svc(sctp, { scheduler: 'mh', flags: 0x08 | 0x10 })] },
      { method: 'addDestination', args: [sctp, real('10.20.3.1', 3868, { weight: 0 })] },
      { method: 'addService', args: [svc(mark, { scheduler: 'lblcr', flags: 1, timeout: 30, netmask: 16 })] },
      { method: 'addDestination', args: [mark, real('10.20.4.1', 0, { forward: 'route' })] },
      { method: 'addService', args: [svc(mark6, { scheduler: 'fo' })] },
      { method: 'addDestination', args: [mark6, real('2001:db8::4', 0, { forward: 'route', weight: 7 })] },
      { method: 'addService', args: [svc(dns6, { scheduler: 'ovf', flags: 1, timeout: 120, netmask: 64 })] },
      { method: 'addDestination', args: [dns6, real('2001:db8::5', 5353)] },
      { method: 'addDestination', args: [dns6, real('10.20.5.1', 5353, { forward: 'tunnel' })] },
    ]);
    expect(lines(await ipvsadm('-S', '-n'))).toEqual(
      lines(`-A -t 10.20.0.1:80 -s sh -p 300 -M 255.255.255.0 -o -b sh-fallback,sh-port
-a -t 10.20.0.1:80 -r 10.20.1.1:8080 -m -w 1
-a -t 10.20.0.1:80 -r 10.20.1.2:80 -g -w 2
-a -t 10.20.0.1:80 -r 10.20.1.3:80 -i -w 1 --tun-type ipip
-a -t 10.20.0.1:80 -r 10.20.1.4:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum
-a -t 10.20.0.1:80 -r 10.20.1.5:80 -i -w 1 --tun-type gre --tun-remcsum
-A -u 10.20.0.2:5060 -s rr -p 60 --pe sip
-a -u 10.20.0.2:5060 -r 10.20.2.1:5060 -m -w 1
-A --sctp-service 10.20.0.3:3868 -s mh -b mh-fallback,mh-port
-a --sctp-service 10.20.0.3:3868 -r 10.20.3.1:3868 -m -w 0
-A -f 7 -s lblcr -p 30 -M 255.255.0.0
-a -f 7 -r 10.20.4.1:0 -g -w 1
-A -f 8 -6 -s fo
-a -f 8 -6 -r [2001:db8::4]:0 -g -w 7
-A -u [2001:db8::53]:53 -s ovf -p 120 -M 64
-a -u [2001:db8::53]:53 -r [2001:db8::5]:5353 -m -w 1
-a -u [2001:db8::53]:53 -r 10.20.5.1:5353 -i -w 1 --tun-type ipip
`),
    );
  });

  it('sets thresholds, and edits and deletes what it created', async () => {
    const web = tcp('10.20.0.1', 443);
    await driveOk([
      { method: 'addService', args: [svc(web)] },
      { method: 'addDestination', args: [web, real('10.20.1.1', 443, { upperThreshold: 100, lowerThreshold: 10 })] },
      { method: 'addDestination', args: [web, real('10.20.1.2', 443)] },
    ]);
    expect(await ipvsadm('-Ln', '--thresholds')).toMatch(/-> 10\.20\.1\.1:443 +100 +10 +0 +0/);
    await driveOk([
      { method: 'editService', args: [svc(web, { scheduler: 'nq', flags: 1, timeout: 10 })] },
      { method: 'editDestination', args: [web, real('10.20.1.1', 443, { forward: 'route', weight: 9, upperThreshold: 5, lowerThreshold: 1 })] },
      { method: 'deleteDestination', args: [web, real('10.20.1.2', 443)] },
    ]);
    expect(lines(await ipvsadm('-S', '-n'))).toEqual(lines('-A -t 10.20.0.1:443 -s nq -p 10\n-a -t 10.20.0.1:443 -r 10.20.1.1:443 -g -w 9\n'));
    expect(await ipvsadm('-Ln', '--thresholds')).toMatch(/-> 10\.20\.1\.1:443 +5 +1 +0 +0/);
    await driveOk([{ method: 'deleteService', args: [web] }]);
    expect(await ipvsadm('-S', '-n')).toBe('');
  });

  it('sets timeouts and starts master and backup sync daemons', async () => {
    const [timeouts] = await driveOk([
      { method: 'setTimeouts', args: [{ tcp: 100, tcpFin: 0, udp: 50 }] },
      { method: 'startDaemon', args: [{ state: 'master', mcastInterface: 'lo', syncId: 3 }] },
      { method: 'startDaemon', args: [{ state: 'backup', mcastInterface: 'lo', syncId: 4, group: '239.1.2.3', port: 9000, ttl: 3, maxLen: 1200 }] },
      { method: 'timeouts' },
    ]).then((results) => results.slice(3));
    expect(timeouts).toEqual({ tcp: 100, tcpFin: 120, udp: 50 });
    expect(await ipvsadm('-L', '--timeout')).toBe('Timeout (tcp tcpfin udp): 100 120 50\n');
    expect(await ipvsadm('-L', '--daemon')).toBe(
      'master sync daemon (mcast=lo, syncid=3, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n' + 'backup sync daemon (mcast=lo, syncid=4, maxlen=1200, group=239.1.2.3, port=9000, ttl=3)\n',
    );
    await driveOk([{ method: 'stopDaemon', args: ['backup'] }]);
    expect(await ipvsadm('-L', '--daemon')).toMatch(/^master sync daemon[^\n]*\n$/);
  });
});

describe('state created by ipvsadm, read back by our client', () => {
  it('reads every scheduler, forwarding method, flag, protocol and family that ipvsadm -R programs', async () => {
    const script = `-A -t 10.30.0.1:80 -s sh -p 300 -M 255.255.255.0 -b sh-port
-a -t 10.30.0.1:80 -r 10.30.1.1:8080 -m -w 3 -x 50 -y 5
-a -t 10.30.0.1:80 -r 10.30.1.2:80 -g -w 0
-a -t 10.30.0.1:80 -r 10.30.1.3:80 -i -w 1 --tun-type gue --tun-port 7000 --tun-remcsum
-A -u 10.30.0.2:53 -s mh -o -b mh-fallback
-A --sctp-service [2001:db8::1]:9 -s dh -p 20 -M 48
-a --sctp-service [2001:db8::1]:9 -r [2001:db8::2]:9 -m -w 2
-A -f 9 -s lc --pe sip -p 3
-a -f 9 -r 10.30.4.1:0 -i -w 4
${KERNEL_SCHEDULERS.map((s, i) => `-A -t 10.30.9.1:${100 + i} -s ${s}`).join('\n')}
`;
    await vm.run('ipvsadm', ['-R'], { input: script });
    const [table] = (await driveOk([{ method: 'readTable' }])) as [Table];
    const found = new Map(table.services.map((e) => [JSON.stringify(e.service.key), e]));
    const at = (key: ServiceKey) => found.get(JSON.stringify(key));
    expect(table.services).toHaveLength(4 + KERNEL_SCHEDULERS.length);
    expect(at(tcp('10.30.0.1', 80))).toMatchObject({
      service: { scheduler: 'sh', flags: 0x01 | 0x02 | 0x10, timeout: 300, netmask: '255.255.255.0' },
      destinations: expect.arrayContaining([
        expect.objectContaining(real('10.30.1.1', 8080, { weight: 3, upperThreshold: 50, lowerThreshold: 5 })),
        expect.objectContaining(real('10.30.1.2', 80, { forward: 'route', weight: 0 })),
        expect.objectContaining(real('10.30.1.3', 80, { forward: 'tunnel', tunnelType: 'gue', tunnelPort: 7000, tunnelFlags: 2 })),
      ]),
    });
    expect(at({ family: 'inet', protocol: 'udp', address: '10.30.0.2', port: 53 })).toMatchObject({ service: { scheduler: 'mh', flags: 0x02 | 0x04 | 0x08 }, destinations: [] });
    expect(at({ family: 'inet6', protocol: 'sctp', address: '2001:db8::1', port: 9 })).toMatchObject({
      service: { scheduler: 'dh', flags: 0x03, timeout: 20, netmask: 48 },
      destinations: [expect.objectContaining(real('2001:db8::2', 9, { weight: 2 }))],
    });
    expect(at({ family: 'inet', fwmark: 9 })).toMatchObject({
      service: { scheduler: 'lc', pe: 'sip', timeout: 3 },
      destinations: [expect.objectContaining(real('10.30.4.1', 0, { forward: 'tunnel', weight: 4, tunnelType: 'ipip', tunnelPort: 0, tunnelFlags: 0 }))],
    });
    KERNEL_SCHEDULERS.forEach((scheduler, i) => expect(at(tcp('10.30.9.1', 100 + i))?.service.scheduler).toBe(scheduler));
  });

  it('reads timeouts, daemons and info that ipvsadm set', async () => {
    await vm.sh('ipvsadm --set 11 22 33 && ipvsadm --start-daemon backup --mcast-interface lo --syncid 9 --mcast-group ff02::99 --mcast-port 4000 --mcast-ttl 5');
    const [timeouts, daemons, info] = await driveOk([{ method: 'timeouts' }, { method: 'daemons' }, { method: 'info' }]);
    expect(timeouts).toEqual({ tcp: 11, tcpFin: 22, udp: 33 });
    expect(daemons).toEqual([expect.objectContaining({ state: 'backup', mcastInterface: 'lo', syncId: 9, group: 'ff02::99', port: 4000, ttl: 5 })]);
    expect(info).toEqual({ version: '1.2.1', connTableSize: 4096 });
  });
});

describe('the kernel refuses what the in-memory client refuses, with the same codes', () => {
  it('answers EEXIST, ESRCH, ENOENT, ERANGE and EINVAL like MemoryIpvsClient', async () => {
    const web = tcp('10.40.0.1', 80);
    const v6 = { family: 'inet6', protocol: 'tcp', address: '2001:db8::40', port: 80 } as const;
    const calls: DriverCall[] = [
      { method: 'addService', args: [svc(web)] },
      { method: 'addService', args: [svc(web)] },
      { method: 'addService', args: [svc(tcp('10.40.0.2', 80), { scheduler: 'nosuch' })] },
      { method: 'addService', args: [svc(tcp('10.40.0.3', 80), { pe: 'nosuch' })] },
      { method: 'addService', args: [svc(v6, { netmask: 0 })] },
      { method: 'editService', args: [svc(tcp('10.40.0.9', 80))] },
      { method: 'deleteService', args: [tcp('10.40.0.9', 80)] },
      { method: 'service', args: [tcp('10.40.0.9', 80)] },
      { method: 'zero', args: [tcp('10.40.0.9', 80)] },
      { method: 'addDestination', args: [tcp('10.40.0.9', 80), real('10.40.1.1', 80)] },
      { method: 'addDestination', args: [web, real('10.40.1.1', 80)] },
      { method: 'addDestination', args: [web, real('10.40.1.1', 80)] },
      { method: 'addDestination', args: [web, real('10.40.1.2', 80, { weight: -1 })] },
      { method: 'addDestination', args: [web, real('10.40.1.3', 80, { upperThreshold: 1, lowerThreshold: 2 })] },
      { method: 'addDestination', args: [web, real('10.40.1.4', 80, { forward: 'tunnel', tunnelType: 'gue' })] },
      { method: 'addDestination', args: [web, real('2001:db8::41', 80)] },
      { method: 'addDestination', args: [web, real('2001:db8::41', 80, { forward: 'tunnel' })] },
      { method: 'editDestination', args: [web, real('10.40.1.9', 80)] },
      { method: 'deleteDestination', args: [web, real('10.40.1.9', 80)] },
      { method: 'destinations', args: [tcp('10.40.0.9', 80)] },
      { method: 'addDestination', args: [web, real('10.40.1.5', 80, { upperThreshold: 2 ** 31 })] },
      { method: 'addDestination', args: [web, real('10.40.1.6', 80, { lowerThreshold: 2 ** 31 })] },
      { method: 'addDestination', args: [web, real('224.0.0.1', 80)] },
      { method: 'addDestination', args: [web, real('0.0.0.0', 80)] },
      { method: 'addService', args: [svc(v6)] },
      { method: 'addDestination', args: [v6, real('fe80::1', 80)] },
      { method: 'addDestination', args: [v6, real('ff02::1', 80)] },
      { method: 'addDestination', args: [v6, real('::ffff:10.0.0.1', 80)] },
      { method: 'addDestination', args: [v6, real('fd00::1', 80)] },
      { method: 'stopDaemon', args: ['master'] },
      { method: 'startDaemon', args: [{ state: 'master', mcastInterface: 'lo', syncId: 1 }] },
      { method: 'startDaemon', args: [{ state: 'master', mcastInterface: 'lo', syncId: 2 }] },
    ];
    const kernel = (await drive(calls)).map((a) => ('error' in a ? a.error.code : 'ok'));
    const memory = new MemoryIpvsClient();
    const expected: string[] = [];
    for (const call of calls) {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called with apply(memory, ...) just below
      const method = memory[call.method as keyof IpvsClient] as (...args: unknown[]) => Promise<unknown>;
      expected.push(
        await method.apply(memory, call.args ?? []).then(
          () => 'ok',
          (error: { code: string }) => error.code,
        ),
      );
    }
    expect(kernel).toEqual(expected);
    expect(kernel).toContain('IPVS_EEXIST');
    expect(kernel).toContain('IPVS_ESRCH');
    expect(kernel).toContain('IPVS_ENOENT');
    expect(kernel).toContain('IPVS_ERANGE');
    expect(kernel).toContain('IPVS_EINVAL');
  });
});

/** ipvsadm's names for a service and a real server. */
function serviceSpec(key: ServiceKey): string {
  if (isFwmarkKey(key)) return `-f ${key.fwmark}${key.family === 'inet6' ? ' -6' : ''}`;
  const flag = { tcp: '-t', udp: '-u', sctp: '--sctp-service' }[key.protocol];
  return `${flag} ${key.family === 'inet6' ? `[${key.address}]` : key.address}:${key.port}`;
}

/** Damage made with ipvsadm on the table the reconciler programmed; a command may fail harmlessly. */
function damageScript(desired: Table, harms: readonly Harm[]): string {
  const services = desired.services;
  return harms
    .map((harm) => {
      if (harm.kind === 'flush') return 'ipvsadm -C';
      const target = services['pick' in harm ? harm.pick % Math.max(services.length, 1) : 0];
      if (target === undefined) return 'ipvsadm -A -t 192.0.2.200:4242 -s rr';
      const spec = serviceSpec(target.service.key);
      const victim = target.destinations['sub' in harm ? harm.sub % Math.max(target.destinations.length, 1) : 0];
      const server = victim === undefined ? undefined : victim.family === 'inet6' ? `[${victim.address}]:${victim.port}` : `${victim.address}:${victim.port}`;
      switch (harm.kind) {
        case 'delete-service':
          return `ipvsadm -D ${spec}`;
        case 'reschedule':
          return `ipvsadm -E ${spec} -s ${harm.scheduler}`;
        case 'intrude':
          return `ipvsadm -a ${spec} -r ${target.service.key.family === 'inet6' ? `[2001:db8:ffff::${harm.octet.toString(16)}]` : `198.51.100.${harm.octet}`}:1 -g`;
        case 'delete-destination':
          return server === undefined ? 'true' : `ipvsadm -d ${spec} -r ${server}`;
        case 'reweight':
          return server === undefined ? 'true' : `ipvsadm -e ${spec} -r ${server} -m -w ${harm.weight}`;
      }
    })
    .map((command) => `${command} 2>/dev/null || true`)
    .join('\n');
}

describe('the reconciler against the real kernel', () => {
  it('converges after random damage made with ipvsadm in one pass, keeps a stranger, and then writes nothing', async () => {
    const samples = fc.sample(fc.tuple(tables, damage), { numRuns: 5, seed: 20261122 });
    let repaired = 0;
    for (const [{ desired }, harms] of samples) {
      await vm.sh('ipvsadm -C && ipvsadm -A -t 192.0.2.100:80 -s rr && ipvsadm -a -t 192.0.2.100:80 -r 192.0.2.101:80 -g');
      const [programmed] = await driveOk([{ method: 'reconcile', args: [desired] }]);
      expect(programmed).toMatchObject({ failures: [] });
      const script = damageScript(desired, harms);
      await vm.sh(script);
      const [before, repair, after, second, counters] = (await driveOk([
        { method: 'readTable' },
        { method: 'reconcile', args: [desired] },
        { method: 'readTable' },
        { method: 'reconcile', args: [desired] },
        { method: 'counters' },
      ])) as [Table, { failures: string[] }, Table, unknown, { writes: number }];
      const context = `desired ${desired.services.map((e) => describeService(e.service.key)).join(', ')}; damage:\n${script}`;
      expect(repair.failures, context).toEqual([]);
      const want = normal(desired) as Record<string, unknown>;
      const got = normal(after) as Record<string, unknown>;
      const had = normal(before) as Record<string, unknown>;
      for (const [id, value] of Object.entries(want)) expect(got[id], context).toEqual(value);
      for (const id of Object.keys(had).filter((id) => !(id in want))) expect(got[id], `stranger ${id} kept; ${context}`).toEqual(had[id]);
      expect(Object.keys(got).sort()).toEqual([...new Set([...Object.keys(want), ...Object.keys(had)])].sort());
      expect(second, context).toEqual({ steps: [], writes: 0, failures: [] });
      expect(counters.writes, context).toBe((repair as unknown as { writes: number }).writes);
      repaired += counters.writes;
    }
    // the damage must have mattered somewhere, or this test proves nothing
    expect(repaired).toBeGreaterThan(0);
  });
});
