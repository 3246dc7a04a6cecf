import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sdNotify } from '../../../src/linux/systemd.js';

describe('sdNotify', () => {
  it('does nothing without NOTIFY_SOCKET', () => {
    expect(sdNotify('READY=1', {})).toBe(false);
  });

  it('sends the state as one datagram to NOTIFY_SOCKET', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kts-notify-')), 'notify');
    // python3 stands in for systemd's listening end: Node cannot receive Unix datagrams
    const listener = spawn('python3', [
      '-c',
      `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print('ready', flush=True)
print(s.recv(1024).decode(), flush=True)`,
      path,
    ]);
    const lines: string[] = [];
    const got = new Promise<void>((resolve) =>
      listener.stdout.on('data', (d: Buffer) => {
        lines.push(...d.toString().trim().split('\n'));
        if (lines.length === 1) expect(sdNotify('READY=1\nSTATUS=2 instances', { NOTIFY_SOCKET: path })).toBe(true);
        if (lines.length >= 3) resolve();
      }),
    );
    await got;
    expect(lines).toEqual(['ready', 'READY=1', 'STATUS=2 instances']);
  });
});
