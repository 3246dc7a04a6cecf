/**
 * Finds what test/vm/prepare.sh built: the kernel version it chose, that kernel's bare vmlinux and
 * module tree, and the initramfs built from this checkout's prepare.sh and stage-1 init.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeepalivedError } from '../../../src/errors.js';

export interface VmArtifacts {
  kernelVersion: string;
  vmlinux: string;
  initramfs: string;
  /** /lib/modules/<version> of the unpacked kernel package, bound there inside the guest */
  modulesDir: string;
}

export const DEFAULT_VM_CACHE = '/var/cache/keepalived-ts/vm';

/** The same hash prepare.sh names the initramfs by: its own text, then the stage-1 init. */
export function initramfsInputsHash(vmDir: string): string {
  return createHash('sha256')
    .update(readFileSync(join(vmDir, 'prepare.sh')))
    .update(readFileSync(join(vmDir, 'initramfs', 'init')))
    .digest('hex')
    .slice(0, 16);
}

export function findVmArtifacts(vmDir: string, cache = process.env.KTS_VM_CACHE ?? DEFAULT_VM_CACHE): VmArtifacts {
  const prepare = `run ${join(vmDir, 'prepare.sh')} as root first`;
  const current = join(cache, 'current');
  if (!existsSync(current)) {
    throw new KeepalivedError('VM_NOT_PREPARED', `no prepared VM kernel in ${cache}: ${prepare}`);
  }
  const kernelVersion = readFileSync(current, 'utf8').trim();
  const kernelDir = join(cache, `kernel-${kernelVersion}`);
  const artifacts: VmArtifacts = {
    kernelVersion,
    vmlinux: join(kernelDir, 'vmlinux'),
    initramfs: join(kernelDir, `initramfs-${initramfsInputsHash(vmDir)}.cpio`),
    modulesDir: join(kernelDir, 'lib', 'modules', kernelVersion),
  };
  for (const path of [artifacts.vmlinux, artifacts.modulesDir]) {
    if (!existsSync(path)) throw new KeepalivedError('VM_NOT_PREPARED', `${path} is missing: ${prepare}`);
  }
  if (!existsSync(artifacts.initramfs)) {
    throw new KeepalivedError('VM_NOT_PREPARED', `${artifacts.initramfs} is missing (prepare.sh or initramfs/init changed since the last run): ${prepare}`);
  }
  return artifacts;
}
