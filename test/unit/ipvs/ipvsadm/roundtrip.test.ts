/**
 * ipvsadm-ts over the in-memory kernel: tables built command by command, saved with -S, flushed
 * and restored with -R must come back exactly, in both -S -n and -Ln form.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { badReply, badValue, unavailable } from '../../../../src/ipvs/errors.js';
import { MemoryIpvsClient } from '../../../../src/ipvs/memory-client.js';
import { resolverFromFiles } from '../../../../src/ipvs/ipvsadm/names.js';
import { runIpvsadm, type IpvsadmResult } from '../../../../src/ipvs/ipvsadm/run.js';

const names = resolverFromFiles('127.0.0.1 localhost\n', 'http 80/tcp www\nssh 22/tcp\ndomain 53/udp\n');

function ipvsadm(client: MemoryIpvsClient, line: string | string[], stdin = ''): Promise<IpvsadmResult> {
  return runIpvsadm(typeof line === 'string' ? line.split(' ').filter((w) => w !== '') : line, {
    openClient: async () => client,
    names,
    program: 'ipvsadm',
    readStdin: async () => stdin,
    readConnectionTable: async () => null,
  });
}

async function build(lines: readonly string[]): Promise<MemoryIpvsClient> {
  const client = new MemoryIpvsClient();
  for (const line of lines) {
    const result = await ipvsadm(client, line);
    expect(result, line).toEqual({ status: 0, stdout: '', stderr: '' });
  }
  return client;
}

/** -S, -C, -R of what -S printed, -S again: returns both saves and both listings. */
async function saveRestore(client: MemoryIpvsClient, save: string): Promise<{ before: string; after: string; listBefore: string; listAfter: string }> {
  const before = (await ipvsadm(client, save)).stdout;
  const listBefore = (await ipvsadm(client, '-Ln')).stdout;
  expect(await ipvsadm(client, '-C')).toEqual({ status: 0, stdout: '', stderr: '' });
  expect((await ipvsadm(client, '-Ln')).stdout.split('\n')).toHaveLength(4);
  expect(await ipvsadm(client, '-R', before)).toEqual({ status: 0, stdout: '', stderr: '' });
  return { before, after: (await ipvsadm(client, save)).stdout, listBefore, listAfter: (await ipvsadm(client, '-Ln')).stdout };
}

const RICH_TABLE = [
  '-A -t 192.168.4.5:80 -s wrr',
  '-a -t 192.168.4.5:80 -r 192.168.2.100',
  '-a -t 192.168.4.5:80 -r 192.168.2.200 -m -w 2',
  '-a -t 192.168.4.5:80 -r 192.168.2.201:8080 -m -w 3',
  '-a -t 192.168.4.5:80 -r 192.168.2.202 -i --tun-type gue --tun-port 6080 --tun-remcsum',
  '-a -t 192.168.4.5:80 -r 192.168.2.203 -i --tun-type gre --tun-csum -w 0',
  '-a -t 192.168.4.5:80 -r 192.168.2.204 -i',
  '-A -t 192.168.4.5:3306 -s lc -p 600 -M 255.255.255.0',
  '-a -t 192.168.4.5:3306 -r 192.168.2.100 -m -x 100 -y 10',
  '-A -u 10.0.0.1:53 -s sh -b sh-port,sh-fallback -o',
  '-a -u 10.0.0.1:53 -r 10.0.1.1 -m -w 2147483647',
  '-A --sctp-service 10.0.0.9:3868 -s mh -b mh-port -p --pe sip',
  '-A -f 5 -s rr -p 60',
  '-a -f 5 -r 10.0.2.1:0 -g -w 4',
  '-A -f 6 -6 -s wlc -p 60 -M 64',
  '-a -f 6 -6 -r [2001:db8::5]:0 -m',
  '-A -t [2001:db8::1]:443 -s nq',
  '-a -t [2001:db8::1]:443 -r [2001:db8::2]:8443 -m -w 5',
  '-a -t [2001:db8::1]:443 -r 10.9.9.9 -i --tun-type ipip',
  '-A -t 200.1.1.1:22 -s fo',
];

describe('-S then -R through the in-memory kernel', () => {
  it('restores a table using every kind of service and destination (-S -n)', async () => {
    const client = await build(RICH_TABLE);
    const { before, after, listBefore, listAfter } = await saveRestore(client, '-S -n');
    expect(after).toBe(before);
    expect(listAfter).toBe(listBefore);
    expect(before.split('\n').filter((l) => l !== '')).toHaveLength(RICH_TABLE.length);
  });

  it('restores what -S wrote with names (localhost:http)', async () => {
    const client = await build(['-A -t 127.0.0.1:80 -s rr', '-a -t 127.0.0.1:80 -r 127.0.0.1:8080 -m', '-A -u localhost:domain -s rr']);
    const { before, after } = await saveRestore(client, '-S');
    expect(before).toBe('-A -t localhost:http -s rr\n-a -t localhost:http -r localhost:8080 -m -w 1\n-A -u localhost:domain -s rr\n');
    expect(after).toBe(before);
  });

  it('saves seed 002 (ipvsadm-save tutorial lines) in ipvsadm -S -n form', async () => {
    const client = new MemoryIpvsClient();
    const seed = [
      '-A -t 192.168.136.10:80 -s rr',
      '-a -t 192.168.136.10:80 -r 192.168.136.11:80 -i',
      '-a -t 192.168.136.10:80 -r 192.168.136.12:80 -i',
      '-a -t 192.168.136.10:80 -r 192.168.136.101:80 -i',
      '-a -t 192.168.136.10:80 -r 192.168.136.102:80 -i',
      '-a -t 192.168.136.10:80 -r 192.168.136.103:80 -i',
    ].join('\n');
    expect(await ipvsadm(client, '-R', `${seed}\n`)).toEqual({ status: 0, stdout: '', stderr: '' });
    expect((await ipvsadm(client, '-S -n')).stdout).toBe(
      ['-A -t 192.168.136.10:80 -s rr', ...['11', '12', '101', '102', '103'].map((h) => `-a -t 192.168.136.10:80 -r 192.168.136.${h}:80 -i -w 1 --tun-type ipip`), ''].join('\n'),
    );
  });

  it('does not keep thresholds, as ipvsadm 1.31 -S does not write them', async () => {
    const client = await build(['-A -t 10.0.0.1:80', '-a -t 10.0.0.1:80 -r 10.0.0.2 -x 100 -y 10']);
    const { before } = await saveRestore(client, '-S -n');
    expect(before).toBe('-A -t 10.0.0.1:80 -s wlc\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -g -w 1\n');
    const row = `  -> ${'10.0.0.2:80'.padEnd(28)} ${['0', '0', '0', '0'].map((v) => v.padEnd(10)).join(' ')}\n`;
    expect((await ipvsadm(client, '-Ln --thresholds')).stdout).toContain(row);
  });

  it('writes marks above 2^31 as negative numbers, which -R then refuses, as Debian ipvsadm 1.31 does', async () => {
    const client = await build(['-A -f 3000000000 -s rr']);
    const saved = (await ipvsadm(client, '-S -n')).stdout;
    expect(saved).toBe('-A -f -1294967296 -s rr\n');
    expect((await ipvsadm(client, '-Ln')).stdout).toContain('FWM  -1294967296 rr\n');
    await ipvsadm(client, '-C');
    expect(await ipvsadm(client, '-R', saved)).toEqual({ status: 2, stdout: '', stderr: "invalid fwmark value `-1294967296' specified\n" });
  });

  it('round-trips random tables', async () => {
    const octet = fc.integer({ min: 1, max: 254 });
    const v4 = fc.tuple(octet, octet).map(([a, b]) => `10.${a}.${b}.1`);
    const port = fc.integer({ min: 1, max: 65535 });
    const service = fc.oneof(
      fc.tuple(fc.constantFrom('-t', '-u', '--sctp-service'), v4, port).map(([p, a, n]) => ({ text: `${p} ${a}:${n}`, port: n })),
      // Marks above 2^31 do not survive: see the test below.
      fc.integer({ min: 1, max: 0x7fffffff }).map((m) => ({ text: `-f ${m}`, port: 0 })),
    );
    const options = fc.record({
      sched: fc.constantFrom('rr', 'wrr', 'lc', 'wlc', 'sh', 'mh', 'fo'),
      persistent: fc.option(fc.integer({ min: 1, max: 86400 }), { nil: undefined }),
      mask: fc.constantFrom('', ' -M 255.255.255.0', ' -M 255.255.0.0'),
    });
    const destination = fc.record({
      address: v4,
      port,
      method: fc.constantFrom('-m', '-g', '-i', '-i --tun-type gue --tun-port 5555', '-i --tun-type gre --tun-csum'),
      weight: fc.integer({ min: 0, max: 2147483647 }),
    });
    const table = fc.uniqueArray(fc.tuple(service, options, fc.uniqueArray(destination, { maxLength: 4, selector: (d) => d.address })), {
      minLength: 1,
      maxLength: 5,
      selector: ([s]) => s.text,
    });
    await fc.assert(
      fc.asyncProperty(table, async (entries) => {
        const lines: string[] = [];
        for (const [s, o, dests] of entries) {
          const persistent = o.persistent === undefined ? (s.port === 0 ? ' -p' : '') : ` -p ${o.persistent}`;
          lines.push(`-A ${s.text} -s ${o.sched}${persistent}${persistent ? o.mask : ''}`);
          for (const d of dests) lines.push(`-a ${s.text} -r ${d.address}:${d.port} ${d.method} -w ${d.weight}`);
        }
        const client = await build(lines);
        const { before, after, listBefore, listAfter } = await saveRestore(client, '-S -n');
        expect(after).toBe(before);
        expect(listAfter).toBe(listBefore);
      }),
      { numRuns: 60 },
    );
  });
});

describe('failures ipvsadm words for itself', () => {
  it('reports a value the client refuses as the kernel would report it (EINVAL)', async () => {
    const client = new MemoryIpvsClient();
    client.addService = () => Promise.reject(badValue('persistence engine name', 'sixteencharsname', 'add-service'));
    expect(await ipvsadm(client, '-A -t 10.0.0.1:80 --pe sixteencharsname')).toEqual({
      status: 255,
      stdout: '',
      stderr: 'Invalid operation.  Possibly wrong module version, address not unicast, ...\n',
    });
  });

  it('ends plainly, with status 1, on a failure no kernel answer explains', async () => {
    const client = new MemoryIpvsClient();
    client.services = () => Promise.reject(badReply('service attribute missing', 'list-services'));
    expect(await ipvsadm(client, '-Ln')).toEqual({
      status: 1,
      stdout: '',
      stderr: 'list-services: malformed kernel reply: service attribute missing\n',
    });
  });

  it('says IPVS is missing the way ipvsadm does when the client cannot open', async () => {
    const result = await runIpvsadm(['-Ln'], {
      openClient: () => Promise.reject(unavailable()),
      names,
      program: 'ipvsadm',
      readStdin: async () => '',
      readConnectionTable: async () => null,
    });
    expect(result).toEqual({
      status: 2,
      stdout: '',
      stderr: "Can't initialize ipvs: Protocol not available\nAre you sure that IP Virtual Server is built in the kernel or as module?\n",
    });
  });
});
