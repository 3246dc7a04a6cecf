import { describe, expect, it } from 'vitest';
import { kernelCommandLine, qemuArgs, type QemuPlan } from '../../vm/harness/qemu-args.js';

const plan: QemuPlan = {
  artifacts: {
    kernelVersion: '6.1.0-56-amd64',
    vmlinux: '/cache/kernel-6.1.0-56-amd64/vmlinux',
    initramfs: '/cache/kernel-6.1.0-56-amd64/initramfs-0123456789abcdef.cpio',
    modulesDir: '/cache/kernel-6.1.0-56-amd64/lib/modules/6.1.0-56-amd64',
  },
  accel: 'tcg',
  memoryMiB: 1024,
  repo: '/src/keepalived-ts',
  init: '/src/keepalived-ts/test/vm/guest/init.sh',
  node: '/usr/bin/node',
  agent: '/tmp/kts-vm-x/guest/agent.js',
  agentSocket: '/tmp/kts-vm-x/agent.sock',
  consoleLog: '/src/keepalived-ts/.cache/vm/console.log',
};

function optionAfter(args: string[], flag: string): string[] {
  return args.flatMap((arg, i) => (arg === flag ? [args[i + 1] ?? ''] : []));
}

describe('kernelCommandLine', () => {
  it('tells both init stages where everything is', () => {
    const words = kernelCommandLine(plan).split(' ');
    expect(words).toEqual(
      expect.arrayContaining([
        'console=ttyS0',
        'panic=-1',
        'no_timer_check',
        'kts.repo=/src/keepalived-ts',
        'kts.init=/src/keepalived-ts/test/vm/guest/init.sh',
        'kts.node=/usr/bin/node',
        'kts.agent=/tmp/kts-vm-x/guest/agent.js',
        'kts.modules=/cache/kernel-6.1.0-56-amd64/lib/modules/6.1.0-56-amd64',
      ]),
    );
  });

  it('appends KTS_VM_KERNEL_ARGS last, so they can override the defaults', () => {
    expect(kernelCommandLine({ ...plan, extraKernelArgs: 'loglevel=8 acpi=off' })).toMatch(/ loglevel=8 acpi=off$/);
  });

  it('refuses a path the kernel would split at a space', () => {
    expect(() => kernelCommandLine({ ...plan, repo: '/home/me/my checkout' })).toThrow(expect.objectContaining({ code: 'VM_BAD_PATH', message: expect.stringContaining('my checkout') }));
  });
});

describe('qemuArgs', () => {
  it('emulates with the max CPU model under TCG and passes the host CPU through under KVM', () => {
    expect(optionAfter(qemuArgs(plan), '-cpu')).toEqual(['max']);
    expect(optionAfter(qemuArgs({ ...plan, accel: 'kvm' }), '-cpu')).toEqual(['host']);
    expect(optionAfter(qemuArgs({ ...plan, accel: 'kvm' }), '-accel')).toEqual(['kvm']);
  });

  it('boots the bare vmlinux with qboot, no network card, and exits instead of rebooting', () => {
    const args = qemuArgs(plan);
    expect(optionAfter(args, '-kernel')).toEqual([plan.artifacts.vmlinux]);
    expect(optionAfter(args, '-initrd')).toEqual([plan.artifacts.initramfs]);
    expect(optionAfter(args, '-bios')).toEqual(['/usr/share/qemu/qboot.rom']);
    expect(optionAfter(args, '-nic')).toEqual(['none']);
    expect(args).toContain('-no-reboot');
  });

  it('exports the host root read-only and the repo read-write', () => {
    const fsdevs = optionAfter(qemuArgs(plan), '-fsdev');
    expect(fsdevs).toEqual([expect.stringMatching(/^local,id=hostroot,path=\/,.*readonly=on/), expect.stringMatching(/^local,id=repo,path=\/src\/keepalived-ts,/)]);
    expect(fsdevs[1]).not.toContain('readonly');
  });

  it('doubles commas in paths so qemu does not read them as option separators', () => {
    const args = qemuArgs({ ...plan, repo: '/src/a,b', consoleLog: '/logs/x,y.log' });
    expect(optionAfter(args, '-fsdev')[1]).toContain('path=/src/a,,b,');
    expect(optionAfter(args, '-chardev')[0]).toBe('file,id=console,path=/logs/x,,y.log');
  });
});
