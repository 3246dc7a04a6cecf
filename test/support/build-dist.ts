import { execFileSync } from 'node:child_process';

/**
 * Tests that run bin/ entry points, or run our code inside namespaces and VMs, execute dist/.
 * Building first (incrementally: a no-op when nothing changed) keeps them from testing stale
 * output.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', 'dist/.tsbuildinfo'], {
    stdio: 'inherit',
  });
  // bin/keepalived-ts runs the bundle (src/build/bundle-cli.mjs): rebuilt every time, it is never stale
  execFileSync(process.execPath, ['src/build/bundle-cli.mjs'], { stdio: 'inherit' });
}
