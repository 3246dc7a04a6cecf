/** The pure pieces of ipvsadm-ts, each against facts of the C functions it reproduces. */
import { describe, expect, it } from 'vitest';
import { formatInet4, inetAton, inetNtop6, inetPton6 } from '../../../../src/net/inet.js';
import { parseConnectionLine } from '../../../../src/ipvs/ipvsadm/connections.js';
import { IpvsadmExit } from '../../../../src/ipvs/ipvsadm/exit.js';
import { largeNumber } from '../../../../src/ipvs/ipvsadm/list.js';
import { noNames, resolverFromFiles } from '../../../../src/ipvs/ipvsadm/names.js';
import { atoi, stringToNumber } from '../../../../src/ipvs/ipvsadm/numbers.js';
import { COMMANDS, COMMAND_RULES, OPTIONS, OPTION_TABLE, checkCommandOptions } from '../../../../src/ipvs/ipvsadm/options.js';
import { parseIpvsadmArgs } from '../../../../src/ipvs/ipvsadm/parse.js';
import { PoptScanner } from '../../../../src/ipvs/ipvsadm/popt.js';
import { restoreCommands } from '../../../../src/ipvs/ipvsadm/restore.js';
import { compareServices, glibcMergeSort } from '../../../../src/ipvs/ipvsadm/sort.js';
import type { Service } from '../../../../src/ipvs/types.js';

describe('inet_aton', () => {
  const cases: Array<[string, string | null]> = [
    ['10.0.0.1', '10.0.0.1'],
    ['10.1', '10.0.0.1'],
    ['10.1.2', '10.1.0.2'],
    ['167772161', '10.0.0.1'],
    ['0x0a000001', '10.0.0.1'],
    ['012.0.0.1', '10.0.0.1'],
    ['10.0.0.1 trailing', '10.0.0.1'],
    ['10.0.0.256', null],
    ['256.0.0.1', null],
    ['1.2.3.4.5', null],
    ['1.2.3.', null],
    ['08.0.0.1', null],
    ['', null],
    ['localhost', null],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => {
      const v = inetAton(text);
      expect(v === null ? null : formatInet4(v)).toBe(expected);
    });
  }
});

describe('inet_pton(AF_INET6)', () => {
  const cases: Array<[string, string | null]> = [
    ['::', '::'],
    ['::1', '::1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8::1:80', '2001:db8::1:80'],
    ['::ffff:10.0.0.1', '::ffff:10.0.0.1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:2:3:4:5:6:7:8:9', null],
    ['1::2::3', null],
    [':1::', null],
    ['1:', null],
    ['12345::', null],
    ['::1.2.3.04', null],
    ['fe80::1%eth0', null],
    ['10.0.0.1', null],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => {
      const v = inetPton6(text);
      expect(v === null ? null : inetNtop6(v)).toBe(expected);
    });
  }
});

describe('C number readers', () => {
  it('string_to_number takes what strtol takes whole, within range', () => {
    expect(stringToNumber('80', 0, 65535)).toBe(80);
    expect(stringToNumber(' +80', 0, 65535)).toBe(80);
    expect(stringToNumber('-0', 0, 65535)).toBe(0);
    expect(stringToNumber('80 ', 0, 65535)).toBe(-1);
    expect(stringToNumber('0x50', 0, 65535)).toBe(-1);
    expect(stringToNumber('65536', 0, 65535)).toBe(-1);
    expect(stringToNumber('99999999999999999999', 0, 65535)).toBe(-1);
    expect(stringToNumber('', 0, 65535)).toBe(-1);
  });
  it('atoi reads a prefix', () => {
    expect(atoi('64abc')).toBe(64);
    expect(atoi(' -3')).toBe(-3);
    expect(atoi('x')).toBe(0);
  });
});

describe('the option tables', () => {
  it('every command has a rule for each of the 34 options', () => {
    expect(OPTIONS).toHaveLength(34);
    for (const command of COMMANDS) expect(COMMAND_RULES[command]).toMatch(/^[x.+1]{34}$/);
  });
  it('names the first required option missing', () => {
    expect(checkCommandOptions('add-server', new Set(['service-address']))).toBe("You need to supply the 'real-server' option for the 'add-server' command");
  });
  it('names the two exclusive list options in ipvsadm order', () => {
    expect(checkCommandOptions('list', new Set(['daemon', 'connection']))).toBe("The option 'daemon' conflicts with the 'connection' option in the 'list' command");
  });
});

describe('popt scanning', () => {
  const scan = (args: string[]): string[] => {
    const scanner = new PoptScanner(OPTION_TABLE, args);
    const seen: string[] = [];
    for (;;) {
      const step = scanner.nextOption();
      if (step.kind === 'end') break;
      if (step.kind === 'error') {
        seen.push(`error ${step.error} ${step.badOption}`);
        break;
      }
      seen.push(step.arg === null ? step.tag : `${step.tag}=${step.arg}`);
    }
    for (let left = scanner.leftover(); left !== null; left = scanner.leftover()) seen.push(`leftover ${left}`);
    return seen;
  };
  it('splits clusters and takes the rest of a cluster as an argument', () => {
    expect(scan(['-Ln'])).toEqual(['L', 'n']);
    expect(scan(['-At10.0.0.1:80'])).toEqual(['A', 't=10.0.0.1:80']);
    expect(scan(['-s=rr'])).toEqual(['s=rr']);
  });
  it('gives -p its argument only when the next word is not an option', () => {
    expect(scan(['-p', '600'])).toEqual(['p=600']);
    expect(scan(['-p', '-M', 'x'])).toEqual(['p', 'M=x']);
    expect(scan(['-p'])).toEqual(['p']);
    expect(scan(['--persistent=60'])).toEqual(['p=60']);
  });
  it('reports popt 1.19 errors with the offending word', () => {
    expect(scan(['--lis'])).toEqual(['error unknown option --lis']);
    expect(scan(['-L', '--numeric=x'])).toEqual(['L', 'error option does not take an argument --numeric=x']);
    expect(scan(['-w'])).toEqual(['error missing argument -w']);
    expect(scan(['-Lq'])).toEqual(['L', 'error unknown option -Lq']);
  });
  it('keeps non-options and everything after -- as leftovers', () => {
    expect(scan(['foo', '-L', '--', '-n', '-'])).toEqual(['L', 'leftover foo', 'leftover -n', 'leftover -']);
  });
});

describe('parsing a command line', () => {
  const parse = (line: string) => parseIpvsadmArgs(line.split(' '), 'ipvsadm', noNames);
  const exit = (line: string): { status: number; stderr: string } => {
    try {
      parse(line);
    } catch (error) {
      if (error instanceof IpvsadmExit) return { status: error.status, stderr: error.stderr };
      throw error;
    }
    throw new Error(`${line} parsed`);
  };
  it('fills ipvsadm defaults: wlc, /32 mask, direct routing, weight 1, port of the service', () => {
    expect(parse('-A -t 10.0.0.1:80')).toEqual({
      command: 'add-service',
      service: { key: { family: 'inet', protocol: 'tcp', address: '10.0.0.1', port: 80 }, scheduler: 'wlc', flags: 0, timeout: 0, netmask: '255.255.255.255' },
    });
    expect(parse('-a -t 10.0.0.1:80 -r 10.0.0.2:8080')).toEqual({
      command: 'add-server',
      key: { family: 'inet', protocol: 'tcp', address: '10.0.0.1', port: 80 },
      destination: { family: 'inet', address: '10.0.0.2', port: 80, forward: 'route', weight: 1, upperThreshold: 0, lowerThreshold: 0 },
    });
  });
  it('reads persistence, IPv6 fwmark services and tunnels', () => {
    expect(parse('-E -f 7 -6 -s sh -b sh-port -p -M 64')).toMatchObject({
      command: 'edit-service',
      service: { key: { family: 'inet6', fwmark: 7 }, scheduler: 'sh', flags: 0x11, timeout: 360, netmask: 64 },
    });
    expect(parse('-e -t 10.0.0.1:80 -r 10.0.0.2 -i --tun-type gue --tun-port 6080 --tun-csum')).toMatchObject({
      destination: { forward: 'tunnel', tunnelType: 'gue', tunnelPort: 6080, tunnelFlags: 1 },
    });
  });
  it('ends with ipvsadm messages and statuses', () => {
    expect(exit('-nL')).toEqual({ status: 255, stderr: "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n" });
    expect(exit('-A -t 10.0.0.1:80 -r 10.0.0.2')).toEqual({ status: 2, stderr: "Illegal 'real-server' option with the 'add-service' command\n" });
    expect(exit('-A -t 10.0.0.1')).toEqual({ status: 2, stderr: 'Zero port specified for non-persistent service\n' });
    expect(exit('-A -f 1 -6 -6 -M 200')).toEqual({ status: 2, stderr: 'illegal ipv6 netmask specified\n' });
  });
  it('resolves host and service names through the resolver', () => {
    const names = resolverFromFiles('127.0.0.1 localhost loopy\n', 'http 80/tcp www\n');
    expect(parseIpvsadmArgs(['-D', '-t', 'loopy:www'], 'ipvsadm', names)).toEqual({
      command: 'delete-service',
      key: { family: 'inet', protocol: 'tcp', address: '127.0.0.1', port: 80 },
    });
  });
});

describe('-R input', () => {
  it('cuts lines like config_stream_read', () => {
    expect(restoreCommands('ipvsadm -A -t 1.2.3.4:80\n\n  -C \r\n# x\n-L')).toEqual([['-A', '-t', '1.2.3.4:80'], ['-C'], ['#', 'x'], ['-L']]);
    expect(restoreCommands('-C\n-L  ')).toEqual([['-C']]);
    expect(restoreCommands('ipvsadm')).toEqual([]);
  });
});

describe('listing order', () => {
  const svc = (address: string, port = 80): Service => ({
    key: { family: 'inet', protocol: 'tcp', address, port },
    scheduler: 'rr',
    flags: 0,
    timeout: 0,
    netmask: '255.255.255.255',
  });
  it('reads address differences as signed ints: 200.0.0.1 lists before 10.0.0.1, as in ipvsadm', () => {
    const sorted = glibcMergeSort([svc('10.0.0.1'), svc('200.0.0.1'), svc('10.0.0.2')], compareServices);
    expect(sorted.map((s) => ('address' in s.key ? s.key.address : ''))).toEqual(['200.0.0.1', '10.0.0.1', '10.0.0.2']);
  });
});

describe('print_largenum', () => {
  const cases: Array<[bigint, boolean, string]> = [
    [0n, false, '        0'],
    [99_999_999n, false, ' 99999999'],
    [100_000_000n, false, '  100000K'],
    [1_000_000_000n, false, '    1000M'],
    [100_000_000_000n, false, '     100G'],
    [100_000_000_000_000n, false, '     100T'],
    [123_456_789_012n, true, ' 123456789012'],
    [5n, true, '        5'],
  ];
  for (const [value, exact, text] of cases) it(`${value}${exact ? ' exact' : ''}`, () => expect(largeNumber(value, exact)).toBe(text));
});

describe('/proc/net/ip_vs_conn lines', () => {
  it('reads hex IPv4, full IPv6 and the persistence engine columns', () => {
    expect(parseConnectionLine('UDP 0A000063 13C4 0A000001 13C4 0A000101 13C4 UDP             179 sip 3a4b5c@host')).toEqual({
      protocol: 'UDP',
      client: { family: 'inet', address: '10.0.0.99', port: 5060 },
      virtual: { family: 'inet', address: '10.0.0.1', port: 5060 },
      destination: { family: 'inet', address: '10.0.1.1', port: 5060 },
      state: 'UDP',
      expires: 179,
      peName: 'sip',
      peData: '3a4b5c@host',
    });
    expect(parseConnectionLine('TCP 2001:0db8:0000:0000:0000:0000:0000:0063 C002 2001:0db8:0000:0000:0000:0000:0000:0001 0050 0A090909 0050 CLOSE_WAIT 60')).toMatchObject({
      client: { family: 'inet6', address: '2001:db8::63', port: 0xc002 },
      destination: { family: 'inet', address: '10.9.9.9', port: 80 },
    });
  });
});
