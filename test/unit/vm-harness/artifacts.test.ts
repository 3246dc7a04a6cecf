import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findVmArtifacts, initramfsInputsHash } from '../../vm/harness/artifacts.js';

const vmDir = join(import.meta.dirname, '..', '..', 'vm');
const scratch: string[] = [];

afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('initramfsInputsHash', () => {
  it('names the initramfs exactly as prepare.sh does', () => {
    const fromShell = execFileSync('sh', ['-c', 'cat prepare.sh initramfs/init | sha256sum | cut -c1-16'], {
      cwd: vmDir,
      encoding: 'utf8',
    }).trim();
    expect(initramfsInputsHash(vmDir)).toBe(fromShell);
  });
});

describe('findVmArtifacts', () => {
  function cacheWith(version: string | undefined, initramfsHash?: string): string {
    const cache = mkdtempSync(join(tmpdir(), 'vm-harness-cache-'));
    scratch.push(cache);
    if (version === undefined) return cache;
    writeFileSync(join(cache, 'current'), `${version}\n`);
    const kernelDir = join(cache, `kernel-${version}`);
    mkdirSync(join(kernelDir, 'lib', 'modules', version), { recursive: true });
    writeFileSync(join(kernelDir, 'vmlinux'), '');
    if (initramfsHash) writeFileSync(join(kernelDir, `initramfs-${initramfsHash}.cpio`), '');
    return cache;
  }

  it('finds the kernel prepare.sh chose and this checkout’s initramfs', () => {
    const hash = initramfsInputsHash(vmDir);
    const cache = cacheWith('6.1.0-56-amd64', hash);
    expect(findVmArtifacts(vmDir, cache)).toEqual({
      kernelVersion: '6.1.0-56-amd64',
      vmlinux: join(cache, 'kernel-6.1.0-56-amd64', 'vmlinux'),
      initramfs: join(cache, 'kernel-6.1.0-56-amd64', `initramfs-${hash}.cpio`),
      modulesDir: join(cache, 'kernel-6.1.0-56-amd64', 'lib', 'modules', '6.1.0-56-amd64'),
    });
  });

  it('says to run prepare.sh when nothing was prepared', () => {
    expect(() => findVmArtifacts(vmDir, cacheWith(undefined))).toThrow(expect.objectContaining({ code: 'VM_NOT_PREPARED', message: expect.stringContaining('prepare.sh') }));
  });

  it('says the initramfs is stale when only another checkout’s was built', () => {
    expect(() => findVmArtifacts(vmDir, cacheWith('6.1.0-56-amd64', 'ffffffffffffffff'))).toThrow(
      expect.objectContaining({ code: 'VM_NOT_PREPARED', message: expect.stringContaining('changed since the last run') }),
    );
  });
});
