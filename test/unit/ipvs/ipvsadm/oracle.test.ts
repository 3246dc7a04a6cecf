/**
 * ipvsadm-ts against Debian's ipvsadm 1.31 itself: the real binary runs over a preloaded fake
 * IPVS kernel (fake-ipvs-kernel.c), ours over a client serving the same table. Output, exit
 * status and the requests sent must be identical. Skipped where ipvsadm or gcc is missing.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFakeKernel, runOurs, runReal, type OracleCase } from './oracle.js';
import { loadCommandLines, loadTables } from './tables.js';

const fake = buildFakeKernel();
afterAll(() => fake?.cleanup());
const tables = loadTables();

async function expectSame(c: OracleCase): Promise<void> {
  if (fake === null) return;
  const real = runReal(fake.library, c);
  const ours = await runOurs(c);
  expect(ours).toEqual(real);
}

describe.skipIf(fake === null)('ipvsadm-ts is Debian ipvsadm 1.31', () => {
  describe('every ipvsadm command of the seeds', () => {
    for (const args of loadCommandLines('seed-commands.txt')) {
      it(args.join(' '), () => expectSame({ args }));
    }
  });

  describe('command-line corner cases', () => {
    for (const args of loadCommandLines('corner-commands.txt')) {
      it(args.join(' '), () => expectSame({ args }));
    }
  });

  for (const [name, table] of Object.entries(tables)) {
    describe(`listings of the ${name} table`, () => {
      for (const args of loadCommandLines('list-commands.txt')) {
        // Without -n, Debian's ipvsadm asks the resolver about every address: allow for slow DNS.
        it(args.join(' '), () => expectSame({ args, table }), 30_000);
      }
      it('(no arguments)', () => expectSame({ args: [], table }), 30_000);
    });
  }

  describe('-Lc over /proc/net/ip_vs_conn', () => {
    const table = readFileSync(new URL('./ip_vs_conn.txt', import.meta.url), 'utf8');
    for (const line of ['-Lnc', '-Lc', '-L -c', '-Lnc --persistent-conn', '-Lc --persistent-conn', '-Lnc --exact', '-Lnc --nosort']) {
      it(line, () => expectSame({ args: line.split(' '), connections: table }), 30_000);
    }
    it('no such file', () => expectSame({ args: ['-Lnc'] }));
    it('an empty file', () => expectSame({ args: ['-Lnc'], connections: '' }));
    it('only the heading', () => expectSame({ args: ['-Lnc'], connections: table.split('\n')[0] + '\n' }));
    it('a blank line in the middle', () => expectSame({ args: ['-Lnc'], connections: table.replace('\nUDP', '\n\nUDP') }));
  });

  describe('kernel refusals', () => {
    const commands = [
      '-A -t 10.0.0.1:80',
      '-E -t 10.0.0.1:80',
      '-D -t 10.0.0.1:80',
      '-a -t 10.0.0.1:80 -r 10.0.0.2',
      '-e -t 10.0.0.1:80 -r 10.0.0.2',
      '-d -t 10.0.0.1:80 -r 10.0.0.2',
      '-C',
      '-Z',
      '-Z -t 10.0.0.1:80',
      '--set 1 2 3',
      '--start-daemon master',
      '--stop-daemon backup',
      '-Ln',
      '-S -n',
      '-L --timeout',
      '-L --daemon',
      '-Ln -t 10.0.0.1:80',
    ];
    for (const errno of [1, 2, 3, 12, 17, 22, 34, 95]) {
      for (const line of commands) {
        it(`${line} with errno ${errno}`, () => expectSame({ args: line.split(' '), errno, table: tables.mixed }));
      }
    }
  });

  describe('-R', () => {
    const inputs: Record<string, string> = {
      'ipvsadm -S output': '-A -t 10.0.0.1:80 -s wlc\n-a -t 10.0.0.1:80 -r 10.0.0.2:8080 -m -w 3\n-A -f 5 -s wrr -p 300 -M 255.255.0.0\n-a -f 5 -r 10.0.2.1:0 -i -w 5 --tun-type ipip\n',
      'seed 002 (-A/-a lines)': '-A -t 192.168.136.10:80 -s rr\n-a -t 192.168.136.10:80 -r 192.168.136.11:80 -i\n-a -t 192.168.136.10:80 -r 192.168.136.12:80 -i\n',
      'tutorial script lines': 'ipvsadm -C\nipvsadm -A -t 192.168.4.5:80 -s wrr\n  ipvsadm  -a -t 192.168.4.5:80 -r 192.168.2.100 -m -w 2 \r\n\n\n',
      'a comment line stops it': '-A -t 10.0.0.1:80\n# saved by hand\n-A -t 10.0.0.2:80\n',
      'a bad line stops it': '-A -t 10.0.0.1:80\n-a -t 10.0.0.1:80 -r nonsense.invalid\n-A -t 10.0.0.2:80\n',
      'no final newline': '-A -t 10.0.0.1:80\n-A -t 10.0.0.2:80',
      'blanks before the end drop the last line': '-A -t 10.0.0.1:80\n-A -t 10.0.0.2:80  ',
      'nested -R': '-R\n',
      'help inside': '-A -t 10.0.0.1:80\n-h\n-A -t 10.0.0.2:80\n',
      'listing inside': '-A -t 10.0.0.1:80\n-L -n --timeout\n',
      empty: '',
      'tabs and CRs': '-A\t-t\t10.0.0.1:80\r\n',
    };
    for (const [name, stdin] of Object.entries(inputs)) {
      it(name, () => expectSame({ args: ['-R'], stdin }));
    }
    it('a kernel refusal on each line: the last line decides the status', () =>
      expectSame({ args: ['-R'], stdin: '-A -t 10.0.0.1:80\n-A -t 10.0.0.2:80\n', errno: 17 }));
  });
});
