/**
 * Host side of the IPVS vm tests: transpiles src/, the driver and the bench into build/vm-ipvs (the guest's
 * node cannot load TypeScript; the repo is shared at its own path), then runs driver calls and
 * ipvsadm in the guest.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transpileForGuest } from '../harness/agent-build.js';
import { vm } from '../harness/vm.js';
import type { DriverCall } from './driver.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const out = join(repo, 'build', 'vm-ipvs');

function tree(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? tree(join(dir, entry.name)) : entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [join(dir, entry.name)] : [],
  );
}

let built = false;
export function buildForGuest(): void {
  if (built) return;
  const sources = tree(join(repo, 'src')).map((file) => relative(repo, file));
  transpileForGuest(repo, [...sources, 'test/vm/ipvs/driver.ts', 'bench/ipvs-apply/guest.ts'], out);
  built = true;
}

export type DriverAnswer = { ok: unknown } | { error: { code: string; message: string } };

/** Runs the calls in one guest node process; one answer per call. */
export async function drive(calls: DriverCall[]): Promise<DriverAnswer[]> {
  // generous: the guest's clock, which times this, can run far ahead of the host's under load
  const stdout = await vm.run(process.execPath, [guestScript('test/vm/ipvs/driver.ts')], { input: JSON.stringify(calls), timeoutMs: 1_800_000 });
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DriverAnswer);
}

/** Runs the calls and insists every one succeeded; returns their results. */
export async function driveOk(calls: DriverCall[]): Promise<unknown[]> {
  const answers = await drive(calls);
  const failed = answers.map((a, i) => ('error' in a ? `${calls[i]?.method}: ${a.error.message}` : '')).filter(Boolean);
  if (failed.length > 0) throw new Error(`driver calls failed:\n${failed.join('\n')}`);
  return answers.map((a) => ('ok' in a ? a.ok : undefined));
}

export function ipvsadm(...args: string[]): Promise<string> {
  return vm.run('ipvsadm', args);
}

/** The path, in the guest, of a transpiled file given by its repo-relative .ts path. */
export function guestScript(source: string): string {
  buildForGuest();
  return join(out, source.replace(/\.ts$/, '.js'));
}
