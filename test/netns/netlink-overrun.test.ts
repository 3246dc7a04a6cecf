import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ip, inNs } from './support/netns.js';

/**
 * The kernel drops notifications when a listener's receive queue is full. Unpatched, netlink
 * 0.3.0 then aborts the whole process (exit 134); native/patch-netlink.cjs makes it an 'error'
 * event that the daemon can recover from.
 */
describe('netlink notification overrun', () => {
  const ns = `ktsovr${process.pid % 1000}`;
  beforeAll(() => {
    ip('netns', 'add', ns);
    // this kernel has no dummy driver: one end of a veth pair serves
    inNs(ns, 'ip', ['link', 'add', 'dummy0', 'type', 'veth', 'peer', 'name', 'dummy1']);
    inNs(ns, 'ip', ['link', 'set', 'dummy0', 'up']);
  });
  afterAll(() => ip('netns', 'del', ns));

  it('reaches the socket as an error event instead of aborting the process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kts-overrun-'));
    const batch = join(dir, 'addrs.batch');
    writeFileSync(batch, Array.from({ length: 3000 }, (_, i) => `addr add 10.${i >> 8}.${i & 255}.1/32 dev dummy0\n`).join(''));
    const script = `
      const { createRtNetlink } = require(${JSON.stringify(resolve('node_modules/netlink'))});
      const { execFileSync } = require('node:child_process');
      const rt = createRtNetlink({ ref: true, recvBufferSize: 4096 });
      rt.socket.on('error', (e) => { console.log(JSON.stringify({ event: 'error', code: e.code, syscall: e.syscall })); process.exit(0); });
      rt.addMembership('IPV4_IFADDR');
      // the loop is blocked while ip floods the socket, so its queue overruns
      execFileSync('ip', ['-batch', ${JSON.stringify(batch)}]);
      setTimeout(() => { console.log(JSON.stringify({ event: 'no-error' })); process.exit(0); }, 2000);
    `;
    const run = spawnSync('ip', ['netns', 'exec', ns, process.execPath, '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    // libuv reports the socket's pending ENOBUFS as POLLERR, which it hands on as EBADF
    expect(JSON.parse(run.stdout.trim())).toEqual({ event: 'error', code: 'EBADF', syscall: 'uv_poll' });
    execFileSync('rm', ['-rf', dir]);
  });
});
