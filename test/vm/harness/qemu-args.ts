/**
 * The qemu command line of the vm tier's guest. One vCPU, qboot instead of SeaBIOS, the bare ELF vmlinux entered through PVH (no in-guest
 * decompression), no network card (tests build their own networks from namespaces and veth
 * pairs inside the guest), the host's / read-only and the repo read-write over virtio-9p, the
 * kernel console into a file, and the agent's virtio-serial port on a unix socket the host listens on.
 */
import { KeepalivedError } from '../../../src/errors.js';
import type { Accel } from './accel.js';
import type { VmArtifacts } from './artifacts.js';
import { AGENT_PORT_NAME } from './protocol.js';

export interface QemuPlan {
  artifacts: VmArtifacts;
  accel: Accel;
  memoryMiB: number;
  /** shared read-write and mounted at the same path in the guest */
  repo: string;
  /** stage-2 init, the node binary and the agent script: absolute host paths the guest also sees */
  init: string;
  node: string;
  agent: string;
  /** the unix socket qemu connects the agent's port to */
  agentSocket: string;
  consoleLog: string;
  /** appended to the kernel command line (KTS_VM_KERNEL_ARGS), e.g. to debug a boot */
  extraKernelArgs?: string;
}

// Each one shaves emulated work off the boot: no write-protecting kernel text, no zeroing of
// every allocation, no probing for a PS/2 mouse or keyboard or for serial ports beyond the
// console, no audit or LSM setup. ACPI stays on although acpi=off boots a little faster: without
// it the guest has no HPET or PM timer to calibrate the TSC against, and on a busy host the
// calibration against the PIT fails, leaving the jiffies clocksource, and the guest's clock then
// fell ~7 % behind the host's while the guest was busy and qemu's vCPU thread waited for a core.
const FAST_BOOT = ['rodata=off', 'init_on_alloc=0', 'i8042.noaux', 'i8042.nokbd', 'i8042.nopnp', '8250.nr_uarts=1', 'audit=0', 'security=none'];

/** The kernel command line is split on white space, so every path passed on it must have none. */
function commandLineValue(name: string, value: string): string {
  if (/[\s"']/.test(value)) {
    throw new KeepalivedError('VM_BAD_PATH', `${name} path ${JSON.stringify(value)} cannot go on a kernel command line`);
  }
  return `${name}=${value}`;
}

export function kernelCommandLine(plan: QemuPlan): string {
  return [
    'console=ttyS0',
    ...FAST_BOOT,
    // a panic resets at once, and -no-reboot turns the reset into qemu exiting
    'panic=-1',
    // on a busy host the emulated PIT misses the kernel's check that its timer interrupt arrives
    // through the IO-APIC, and the boot panics ("IO-APIC + timer doesn't work"); the check proves
    // nothing about a virtual machine's wiring
    'no_timer_check',
    commandLineValue('kts.repo', plan.repo),
    commandLineValue('kts.init', plan.init),
    commandLineValue('kts.node', plan.node),
    commandLineValue('kts.agent', plan.agent),
    commandLineValue('kts.modules', plan.artifacts.modulesDir),
    ...(plan.extraKernelArgs ? [plan.extraKernelArgs] : []),
  ].join(' ');
}

/** qemu's option syntax takes a comma inside a value as the start of the next option. */
function optionValue(value: string): string {
  return value.replaceAll(',', ',,');
}

export function qemuArgs(plan: QemuPlan): string[] {
  const cpu = plan.accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg,thread=multi', '-cpu', 'max'];
  return [
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    '-machine',
    'pc',
    ...cpu,
    '-smp',
    '1',
    '-m',
    String(plan.memoryMiB),
    '-bios',
    '/usr/share/qemu/qboot.rom',
    '-kernel',
    plan.artifacts.vmlinux,
    '-initrd',
    plan.artifacts.initramfs,
    '-append',
    kernelCommandLine(plan),
    '-no-reboot',
    '-nic',
    'none',
    '-chardev',
    `file,id=console,path=${optionValue(plan.consoleLog)}`,
    '-serial',
    'chardev:console',
    '-device',
    'virtio-serial-pci',
    '-chardev',
    `socket,id=agent,path=${optionValue(plan.agentSocket)}`,
    '-device',
    `virtserialport,chardev=agent,name=${AGENT_PORT_NAME}`,
    '-fsdev',
    'local,id=hostroot,path=/,security_model=passthrough,readonly=on,multidevs=remap',
    '-device',
    'virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot',
    '-fsdev',
    `local,id=repo,path=${optionValue(plan.repo)},security_model=passthrough,multidevs=remap`,
    '-device',
    'virtio-9p-pci,fsdev=repo,mount_tag=repo',
  ];
}
