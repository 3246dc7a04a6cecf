/**
 * The differential suite on a real kernel: every sequence of sequences.txt runs in the VM once
 * with Debian's ipvsadm and once with ipvsadm-ts. What each command prints must be identical,
 * both must leave the kernel in the same state (as Debian's `ipvsadm -S -n` and `-Ln` see it),
 * and on that state ipvsadm-ts's listings must be byte-identical to Debian's.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { vm } from '../harness/vm.js';

interface Printed {
  status: number | null;
  stdout: string;
  stderr: string;
}
interface Run {
  steps: Printed[];
  debianListings: Record<string, Printed>;
  /** only in the run with ipvsadm-ts */
  ourListings?: Record<string, Printed>;
}
interface SequenceResult {
  name: string;
  debian: Run;
  ours: Run;
}

interface Sequence {
  name: string;
  commands: Array<{ args: string[]; stdin: string }>;
}

/** sequences.txt: "## name" starts a block, a line is a command, "  " lines are the input of the -R before them. */
function loadSequences(): Sequence[] {
  const sequences: Sequence[] = [];
  for (const line of readFileSync(new URL('./sequences.txt', import.meta.url), 'utf8').split('\n')) {
    if (line.startsWith('## ')) sequences.push({ name: line.slice(3), commands: [] });
    else if (line === '' || line.startsWith('#')) continue;
    else if (line.startsWith('  ')) {
      const last = sequences.at(-1)?.commands.at(-1);
      if (last) last.stdin += `${line.slice(2)}\n`;
    } else sequences.at(-1)?.commands.push({ args: line.split(' '), stdin: '' });
  }
  return sequences;
}

const sequences = loadSequences();
let results: SequenceResult[] = [];
let binary: {
  restore: { ours: Printed; saved: Printed };
  listings: Record<string, { ours: Printed; debian: Printed }>;
};
let connections: Record<string, { before: Printed; ours: Printed; after: Printed }>;

beforeAll(async () => {
  const run = await vm.exec(process.execPath, ['test/vm/ipvsadm/guest-differential.mjs'], {
    input: JSON.stringify(sequences),
    timeoutMs: 900_000,
  });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  ({ sequences: results, binary, connections } = JSON.parse(run.stdout) as {
    sequences: SequenceResult[];
    binary: typeof binary;
    connections: typeof connections;
  });
});

describe('ipvsadm-ts against Debian ipvsadm on the VM kernel', () => {
  it('bin/ipvsadm-ts restores a table and lists it as Debian ipvsadm does', () => {
    expect(binary.restore.ours).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(binary.restore.saved.stdout).toBe(
      '-A -t 10.10.0.1:80 -s wrr -p 120\n-a -t 10.10.0.1:80 -r 10.10.1.1:8080 -m -w 3\n-A -f 9 -6 -s sh -b sh-port\n',
    );
    for (const [listing, { ours, debian }] of Object.entries(binary.listings)) expect(ours, listing).toEqual(debian);
  });

  it('lists live connections (/proc/net/ip_vs_conn) and counters as Debian ipvsadm does', () => {
    const numeric = connections['-Lnc'];
    // TCP and UDP over IPv4, TCP over IPv6, and the persistence template of the UDP service
    expect(numeric?.before.stdout).toMatch(/^TCP .* 10\.11\.0\.1:80 +10\.11\.1\.1:8080$/m);
    expect(numeric?.before.stdout).toMatch(/^UDP .* 10\.11\.0\.1:53 +10\.11\.1\.2:53$/m);
    expect(numeric?.before.stdout).toMatch(/^TCP .* \[2001:db8:11::1\]:443 +\[2001:db8:12::1\]:8443$/m);
    expect(connections['-Ln --stats']?.before.stdout).toMatch(/^TCP  10\.11\.0\.1:80 +[1-9]/m);
    // Each entry's expiry ticks on its own clock: under load a second boundary can fall between
    // Debian's listing before ours and ours before Debian's after, on different rows. So every row
    // of ours must be that row as Debian printed it before or after.
    for (const [listing, run] of Object.entries(connections)) {
      expect({ status: run.ours.status, stderr: run.ours.stderr }, listing).toEqual({ status: run.before.status, stderr: run.before.stderr });
      const [before, ours, after] = [run.before, run.ours, run.after].map((p) => p.stdout.split('\n'));
      expect(ours?.length, listing).toBe(before?.length);
      ours?.forEach((row, i) => expect([before?.[i], after?.[i]], `${listing} row ${i}`).toContain(row));
    }
  });

  for (const [index, sequence] of sequences.entries()) {
    describe(sequence.name, () => {
      it('prints what Debian ipvsadm prints for every command', () => {
        const result = results[index];
        expect(result?.name).toBe(sequence.name);
        const commands = sequence.commands.map((c) => c.args.join(' '));
        const label = (steps: Printed[] | undefined): Array<[string, Printed | undefined]> => commands.map((c, i) => [c, steps?.[i]]);
        expect(label(result?.ours.steps)).toEqual(label(result?.debian.steps));
      });

      it('leaves the kernel as Debian ipvsadm leaves it (ipvsadm -S -n, -Ln)', () => {
        const result = results[index];
        for (const listing of ['-S -n', '-Ln', '-L --timeout', '-L --daemon']) {
          expect(result?.ours.debianListings[listing], listing).toEqual(result?.debian.debianListings[listing]);
        }
      });

      it('lists that kernel state byte for byte as Debian ipvsadm does', () => {
        const run = results[index]?.ours;
        expect(Object.keys(run?.ourListings ?? {})).toHaveLength(14);
        expect(run?.ourListings).toEqual(run?.debianListings);
      });
    });
  }
});
