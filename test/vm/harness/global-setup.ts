/**
 * vitest globalSetup of the `vm` project: boots the one VM of the run before any vm test file,
 * publishes how to reach it (see vm.ts), and shuts it down after the last one.
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
import { startRelay } from './relay.js';

export interface VmInfo {
  /** the relay's unix socket */
  socket: string;
  kernel: string;
  accel: string;
  bootMs: number;
  consoleLog: string;
  /** the repo's real path, which is also its path inside the guest */
  repo: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    ktsVm: VmInfo;
  }
}

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const vmDir = realpathSync(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
  const repo = resolve(vmDir, '..', '..');
  const artifacts = findVmArtifacts(vmDir);
  const accel = chooseAccel(probeAccelFacts());
  const consoleLog = resolve(process.env.KTS_VM_CONSOLE_LOG ?? join(repo, '.cache', 'vm', 'console.log'));
  mkdirSync(dirname(consoleLog), { recursive: true });
  const runDir = mkdtempSync(join(tmpdir(), 'kts-vm-'));
  let machine: Machine;
  try {
    machine = await Machine.boot(
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
      },
      numberFromEnv('KTS_VM_BOOT_TIMEOUT_MS', 180_000),
    );
  } catch (error) {
    rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
  const relay = await startRelay(machine, join(runDir, 'relay.sock'));
  project.provide('ktsVm', {
    socket: relay.path,
    kernel: machine.kernel,
    accel,
    bootMs: machine.bootMs,
    consoleLog,
    repo,
  });
  console.log(`vm: kernel ${machine.kernel} (${accel}) booted in ${Math.round(machine.bootMs)} ms; console log ${consoleLog}`);
  return async () => {
    await relay.close();
    await machine.shutdown();
    rmSync(runDir, { recursive: true, force: true });
  };
}
