/**
 * vitest globalSetup of the `vm` project. It opens the relay (relay.ts) and publishes its socket
 * to the test workers (vm.ts); the relay boots the run's one VM when the first vm test asks for
 * it, and the teardown shuts that VM down after the last test file.
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
    /** the relay's unix socket */
    ktsVmSocket: string;
  }
}

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

async function bootVm(vmDir: string, runDir: string): Promise<BootedVm> {
  const repo = resolve(vmDir, '..', '..');
  const artifacts = findVmArtifacts(vmDir);
  const accel = chooseAccel(probeAccelFacts());
  const consoleLog = resolve(process.env.KTS_VM_CONSOLE_LOG ?? join(repo, '.cache', 'vm', 'console.log'));
  mkdirSync(dirname(consoleLog), { recursive: true });
  const machine = await Machine.boot(
    {
      artifacts,
      accel,
      memoryMiB: numberFromEnv('KTS_VM_MEMORY_MIB', 1024),
      repo,
      init: join(vmDir, 'guest', 'init.sh'),
      node: process.execPath,
      agent: buildAgent(vmDir, runDir),
      agentSocket: join(runDir, 'agent.sock'),
      consoleLog,
      extraKernelArgs: process.env.KTS_VM_KERNEL_ARGS,
    },
    numberFromEnv('KTS_VM_BOOT_TIMEOUT_MS', 180_000),
  );
  console.log(`vm: kernel ${machine.kernel} (${accel}) booted in ${Math.round(machine.bootMs)} ms; console log ${consoleLog}`);
  return { machine, info: { kernel: machine.kernel, accel, bootMs: machine.bootMs, consoleLog, repo } };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const vmDir = realpathSync(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
  const runDir = mkdtempSync(join(tmpdir(), 'kts-vm-'));
  const relay = await startRelay(join(runDir, 'relay.sock'), () => bootVm(vmDir, runDir));
  project.provide('ktsVmSocket', relay.path);
  return async () => {
    await relay.close();
    rmSync(runDir, { recursive: true, force: true });
  };
}
