/**
 * vitest globalSetup of the `vm` project. It opens two relays (relay.ts) and publishes their
 * sockets to the test workers (vm.ts): one for the run's plain guest (a shell as init) and one
 * for its systemd guest (systemd as PID 1, for test/vm/systemd-*.test.ts). Each boots its VM
 * when the first test asks for it, so a run without systemd tests never boots the second, and
 * the teardown shuts down whichever booted.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { chooseAccel, probeAccelFacts } from './accel.js';
import { buildAgent } from './agent-build.js';
import { findVmArtifacts } from './artifacts.js';
import { Machine } from './machine.js';
import { startRelay, type BootedVm } from './relay.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** the relays' unix sockets */
    ktsVmSocket: string;
    ktsVmSystemdSocket: string;
  }
}

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The stage-2 init of each kind of guest (guest/README in test/vm/README.md). */
const GUESTS = {
  plain: { init: 'init.sh', console: 'console.log' },
  systemd: { init: 'init-systemd.sh', console: 'console-systemd.log' },
} as const;

async function bootVm(vmDir: string, runDir: string, kind: keyof typeof GUESTS): Promise<BootedVm> {
  const repo = resolve(vmDir, '..', '..');
  const artifacts = findVmArtifacts(vmDir);
  const accel = chooseAccel(probeAccelFacts());
  const defaultLog = join(repo, '.cache', 'vm', GUESTS[kind].console);
  const consoleLog = resolve(kind === 'plain' ? (process.env.KTS_VM_CONSOLE_LOG ?? defaultLog) : defaultLog);
  mkdirSync(dirname(consoleLog), { recursive: true });
  const machine = await Machine.boot(
    {
      artifacts,
      accel,
      memoryMiB: numberFromEnv('KTS_VM_MEMORY_MIB', 1024),
      repo,
      init: join(vmDir, 'guest', GUESTS[kind].init),
      node: process.execPath,
      agent: buildAgent(vmDir, runDir),
      agentSocket: join(runDir, 'agent.sock'),
      consoleLog,
      extraKernelArgs: process.env.KTS_VM_KERNEL_ARGS,
    },
    numberFromEnv('KTS_VM_BOOT_TIMEOUT_MS', 180_000),
  );
  console.log(`vm (${kind}): kernel ${machine.kernel} (${accel}) booted in ${Math.round(machine.bootMs)} ms; console log ${consoleLog}`);
  return { machine, info: { kernel: machine.kernel, accel, bootMs: machine.bootMs, consoleLog, repo } };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const vmDir = realpathSync(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
  const runDir = mkdtempSync(join(tmpdir(), 'kts-vm-'));
  const dirFor = (kind: string) => {
    const dir = join(runDir, kind);
    mkdirSync(dir);
    return dir;
  };
  const plainDir = dirFor('plain');
  const systemdDir = dirFor('systemd');
  const relay = await startRelay(join(plainDir, 'relay.sock'), () => bootVm(vmDir, plainDir, 'plain'));
  const systemdRelay = await startRelay(join(systemdDir, 'relay.sock'), () => bootVm(vmDir, systemdDir, 'systemd'));
  project.provide('ktsVmSocket', relay.path);
  project.provide('ktsVmSystemdSocket', systemdRelay.path);
  return async () => {
    await Promise.all([relay.close(), systemdRelay.close()]);
    rmSync(runDir, { recursive: true, force: true });
  };
}
