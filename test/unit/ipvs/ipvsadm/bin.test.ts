/**
 * bin/ipvsadm-ts as a process, next to /usr/sbin/ipvsadm on the same machine (and kernel): where
 * the kernel has no IPVS both must fail alike, where it has one both must list alike. Needs the
 * build (npx tsc -p tsconfig.build.json).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const haveIpvsadm = existsSync('/usr/sbin/ipvsadm');

function run(program: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(program, args, { encoding: 'utf8', argv0: 'ipvsadm' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!haveIpvsadm)('bin/ipvsadm-ts beside Debian ipvsadm', () => {
  for (const args of [['-Ln'], ['-L', '--timeout'], ['-S', '-n'], ['-Lnc']]) {
    it(`ipvsadm ${args.join(' ')}`, () => {
      expect(run('bin/ipvsadm-ts', args)).toEqual(run('/usr/sbin/ipvsadm', args));
    });
  }
});
