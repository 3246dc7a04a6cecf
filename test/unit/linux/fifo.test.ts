import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NotifyFifo } from '../../../src/linux/fifo.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kts-fifo-'));

describe('NotifyFifo', () => {
  it('creates the FIFO and delivers lines to a reader', async () => {
    const path = join(dir(), 'notify');
    const fifo = new NotifyFifo(path);
    const reader = spawn('head', ['-n', '2', path]);
    let out = '';
    reader.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => reader.on('spawn', r));
    expect(fifo.write('INSTANCE "VI_1" MASTER 100\n')).toBe(true);
    expect(fifo.write('GROUP "VG_1" MASTER 0\n')).toBe(true);
    await new Promise((r) => reader.on('exit', r));
    expect(out).toBe('INSTANCE "VI_1" MASTER 100\nGROUP "VG_1" MASTER 0\n');
    fifo.close();
  });

  it('never blocks without a reader: a full pipe drops and counts', () => {
    const fifo = new NotifyFifo(join(dir(), 'notify'));
    const line = `${'x'.repeat(4095)}\n`;
    let written = 0;
    while (fifo.write(line) && written < 1000) written++;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(1000);
    expect(fifo.dropped).toBe(1);
    fifo.close();
  });

  it('refuses a path that is a regular file', () => {
    const path = join(dir(), 'plain');
    writeFileSync(path, '');
    expect(() => new NotifyFifo(path)).toThrow(/not a FIFO/);
  });
});
