/**
 * Every case the ipvsadm oracle compares, built from the data files next to this one. Each has a
 * stable id, under which golden.json keeps what Debian's ipvsadm printed for it.
 */
import { readFileSync } from 'node:fs';
import type { OracleCase } from './oracle.js';
import { loadCommandLines, loadTables } from './tables.js';

export interface NamedCase {
  readonly id: string;
  readonly group: string;
  readonly case: OracleCase;
  /** Whether Debian's ipvsadm resolves names for it (and may wait on DNS). */
  readonly slow: boolean;
}

const REFUSED_COMMANDS = [
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
const REFUSAL_ERRNOS = [1, 2, 3, 12, 17, 22, 34, 95];

const RESTORE_INPUTS: Record<string, string> = {
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

/** Whether a command line asks for numeric output (-n, alone or in a cluster such as -Lnc). */
function numeric(args: readonly string[]): boolean {
  return args.some((a) => a === '--numeric' || (/^-[A-Za-z]*n/.test(a) && !a.startsWith('--')));
}

export function oracleCases(): NamedCase[] {
  const cases: NamedCase[] = [];
  const add = (group: string, name: string, c: OracleCase, slow = false): void => {
    cases.push({ id: `${group} | ${name}`, group, case: c, slow });
  };
  for (const args of loadCommandLines('seed-commands.txt')) add('seeds', args.join(' '), { args });
  for (const args of loadCommandLines('corner-commands.txt')) add('corner cases', args.join(' '), { args });
  for (const [name, table] of Object.entries(loadTables())) {
    for (const args of loadCommandLines('list-commands.txt')) add(`listings of the ${name} table`, args.join(' '), { args, table }, !numeric(args));
    add(`listings of the ${name} table`, '(no arguments)', { args: [], table }, true);
  }
  const connections = readFileSync(new URL('./ip_vs_conn.txt', import.meta.url), 'utf8');
  for (const line of ['-Lnc', '-Lc', '-L -c', '-Lnc --persistent-conn', '-Lc --persistent-conn', '-Lnc --exact', '-Lnc --nosort']) {
    add('-Lc over /proc/net/ip_vs_conn', line, { args: line.split(' '), connections }, !numeric(line.split(' ')));
  }
  add('-Lc over /proc/net/ip_vs_conn', 'no such file', { args: ['-Lnc'] });
  add('-Lc over /proc/net/ip_vs_conn', 'an empty file', { args: ['-Lnc'], connections: '' });
  add('-Lc over /proc/net/ip_vs_conn', 'only the heading', { args: ['-Lnc'], connections: `${connections.split('\n')[0]}\n` });
  add('-Lc over /proc/net/ip_vs_conn', 'a blank line in the middle', { args: ['-Lnc'], connections: connections.replace('\nUDP', '\n\nUDP') });
  const mixed = loadTables().mixed;
  for (const errno of REFUSAL_ERRNOS) {
    for (const line of REFUSED_COMMANDS) add('kernel refusals', `${line} with errno ${errno}`, { args: line.split(' '), errno, ...(mixed ? { table: mixed } : {}) });
  }
  for (const [name, stdin] of Object.entries(RESTORE_INPUTS)) add('-R', name, { args: ['-R'], stdin });
  add('-R', 'a kernel refusal on each line: the last line decides the status', { args: ['-R'], stdin: '-A -t 10.0.0.1:80\n-A -t 10.0.0.2:80\n', errno: 17 });
  add('-R', 'a refusal worded after the previous line', { args: ['-R'], stdin: '-A -t 10.0.0.1:80\n-C\n', errno: 17 });
  return cases;
}
