import { defineConfig } from 'vitest/config';

// One project per tier; test/run-all.sh decides which tiers this machine can run. `bench-vm` is no
// tier: benchmarks in the vm guest, run only by name (npm run bench:ipvs-apply).
export default defineConfig({
  test: {
    projects: [
      // property tests take seconds of CPU; on a shared 2-core machine 5 s is no hang detector
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], globalSetup: ['test/support/build-dist.ts'], testTimeout: 30_000 } },
      { test: { name: 'netns', include: ['test/netns/**/*.test.ts'], globalSetup: ['test/support/build-dist.ts'], fileParallelism: false, testTimeout: 60_000, hookTimeout: 120_000 } },
      {
        test: {
          name: 'vm',
          include: ['test/vm/**/*.test.ts'],
          globalSetup: ['test/support/build-dist.ts', 'test/vm/harness/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'bench-vm',
          include: ['bench/**/*.vm-bench.ts'],
          globalSetup: ['test/support/build-dist.ts', 'test/vm/harness/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 3_600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
