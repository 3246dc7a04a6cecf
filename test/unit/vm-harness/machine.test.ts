import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Machine } from '../../vm/harness/machine.js';
import type { QemuPlan } from '../../vm/harness/qemu-args.js';

// A fake qemu (fake-qemu/qemu-system-x86_64) plays the guest, so the boot, timeout and kill
// paths run in milliseconds without root, qemu or a kernel.
const scratch: string[] = [];

beforeAll(() => {
  process.env.PATH = `${join(import.meta.dirname, 'fake-qemu')}:${process.env.PATH ?? ''}`;
});

afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function plan(mode: string): QemuPlan {
  process.env.FAKE_QEMU_MODE = mode;
  const dir = mkdtempSync(join(tmpdir(), 'vm-harness-machine-'));
  scratch.push(dir);
  return {
    artifacts: { kernelVersion: '6.1.0-fake-amd64', vmlinux: '/k/vmlinux', initramfs: '/k/i.cpio', modulesDir: '/k/m' },
    accel: 'tcg',
    memoryMiB: 64,
    repo: '/repo',
    init: '/repo/test/vm/guest/init.sh',
    node: '/usr/bin/node',
    agent: join(dir, 'agent.js'),
    agentSocket: join(dir, 'agent.sock'),
    consoleLog: join(dir, 'console.log'),
  };
}

const call = { cmd: 'uname', args: ['-r'], timeoutMs: 5_000 };

describe('Machine', () => {
  it('boots once the agent says ready and matches answers to requests', async () => {
    const machine = await Machine.boot(plan('ready'), 10_000);
    expect(machine.kernel).toBe('6.1.0-fake-amd64');
    const answers = await Promise.all(['a', 'b', 'c'].map((cmd) => machine.exec({ ...call, cmd })));
    expect(answers.map((answer) => answer.t === 'result' && Buffer.from(answer.stdout, 'base64').toString())).toEqual(['a', 'b', 'c']);
    await machine.shutdown();
  });

  it('fails the boot with qemu’s own complaint when qemu exits early', async () => {
    await expect(Machine.boot(plan('crash'), 10_000)).rejects.toMatchObject({
      code: 'VM_BOOT_FAILED',
      message: expect.stringContaining('cannot load kernel'),
    });
  });

  it('fails the boot, saying why, when qemu cannot be started', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(Machine.boot(plan('ready'), 10_000)).rejects.toMatchObject({
        code: 'VM_BOOT_FAILED',
        message: expect.stringContaining('spawn qemu-system-x86_64 ENOENT'),
      });
    } finally {
      process.env.PATH = path;
    }
  });

  it('kills a guest that never becomes ready once the boot timeout passes', async () => {
    const started = performance.now();
    await expect(Machine.boot(plan('silent'), 300)).rejects.toMatchObject({
      code: 'VM_BOOT_FAILED',
      message: expect.stringContaining('no agent ready after 300 ms'),
    });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('kills a guest that ignores the shutdown request', async () => {
    const machine = await Machine.boot(plan('deaf'), 10_000);
    const started = performance.now();
    await machine.shutdown(200);
    expect(performance.now() - started).toBeLessThan(5_000);
    await expect(machine.exec(call)).rejects.toMatchObject({ code: 'VM_GONE' });
  });

  it('rejects the requests in flight when the guest dies', async () => {
    const machine = await Machine.boot(plan('die-on-exec'), 10_000);
    await expect(machine.exec(call)).rejects.toMatchObject({ code: 'VM_GONE' });
    await expect(machine.exec(call)).rejects.toMatchObject({ code: 'VM_GONE' });
    await machine.shutdown();
  });
});
