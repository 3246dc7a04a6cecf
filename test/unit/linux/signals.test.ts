import { describe, expect, it } from 'vitest';
import type { DaemonSignal } from '../../../src/daemon/signals.js';
import { processSignals } from '../../../src/linux/signals.js';

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

describe('processSignals', () => {
  it("catches keepalived's real-time signals 36 and 63 and the named ones, instead of dying of them; early ones wait for the listener", async () => {
    const port = processSignals();
    const got: DaemonSignal[] = [];
    try {
      process.kill(process.pid, 36);
      await new Promise((resolve) => setTimeout(resolve, 20));
      port.on((signal) => got.push(signal));
      process.kill(process.pid, 63);
      process.kill(process.pid, 'SIGUSR1');
      process.kill(process.pid, 'SIGUSR2');
      process.kill(process.pid, 'SIGHUP');
      await until(() => got.length === 5);
      expect(got[0]).toBe('SIGJSON');
      expect([...got].sort()).toEqual(['SIGHUP', 'SIGJSON', 'SIGSTATS_CLEAR', 'SIGUSR1', 'SIGUSR2']);
    } finally {
      port.close();
    }
  });

  it('can be opened again after close (the watches are released)', () => {
    processSignals().close();
    processSignals().close();
  });
});
