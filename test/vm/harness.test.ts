import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_VM_CACHE } from './harness/artifacts.js';
import { vm, type VmInfo } from './harness/vm.js';

let info: VmInfo;

beforeAll(async () => {
  info = await vm.info();
});

describe('the vm harness', () => {
  it('boots the Debian kernel prepare.sh chose, not the host kernel', async () => {
    const prepared = readFileSync(join(process.env.KTS_VM_CACHE ?? DEFAULT_VM_CACHE, 'current'), 'utf8').trim();
    const guestRelease = (await vm.run('uname', ['-r'])).trim();
    expect(guestRelease).toBe(prepared);
    expect(info.kernel).toBe(prepared);
    expect(guestRelease).not.toBe(release());
    expect(await vm.run('cat', ['/proc/version'])).toMatch(/debian-kernel@lists\.debian\.org/);
  });

  it('keeps the guest clock in step with the host clock', async () => {
    const guestUptime = async (): Promise<number> => Number((await vm.run('cat', ['/proc/uptime'])).split(' ')[0]);
    const hostSeconds = (): number => performance.now() / 1000;
    const before0 = hostSeconds();
    const guest1 = await guestUptime();
    const after1 = hostSeconds();
    // the jiffies clock fell behind while the guest was busy and qemu waited for a host core
    await vm.run('/bin/sh', ['-c', 'i=0; while [ $i -lt 10000 ]; do i=$((i + 1)); done']);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before2 = hostSeconds();
    const guest2 = await guestUptime();
    const after2 = hostSeconds();
    // /proc/uptime has 10 ms steps
    expect(guest2 - guest1).toBeGreaterThanOrEqual(before2 - after1 - 0.02);
    expect(guest2 - guest1).toBeLessThanOrEqual(after2 - before0 + 0.02);
  });

  it('programs the guest kernel IPVS table with ipvsadm', async () => {
    try {
      await vm.run('ipvsadm', ['-A', '-t', '10.0.0.1:80', '-s', 'rr']);
      expect(await vm.run('ipvsadm', ['-Ln'])).toMatch(/^TCP {2}10\.0\.0\.1:80 rr\s*$/m);
    } finally {
      await vm.run('ipvsadm', ['-C']);
    }
    expect(await vm.run('ipvsadm', ['-Ln'])).not.toMatch(/10\.0\.0\.1:80/);
  });

  it('runs the host node in the guest with the repo at its own path as the working directory', async () => {
    const result = await vm.node(['-p', 'JSON.stringify([process.version, process.cwd(), require("./package.json").name])']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([process.version, info.repo, 'keepalived-ts']);
    expect((await vm.sh('command -v node')).stdout.trim()).toBe(process.execPath);
  });

  it('shares the repo both ways while the guest runs', async () => {
    mkdirSync(join(info.repo, '.cache'), { recursive: true });
    const dir = mkdtempSync(join(info.repo, '.cache', 'vm-harness-'));
    try {
      writeFileSync(join(dir, 'from-host'), 'first');
      expect(await vm.run('cat', [join(dir, 'from-host')])).toBe('first');
      writeFileSync(join(dir, 'from-host'), 'rewritten on the host');
      expect(await vm.run('cat', [join(dir, 'from-host')])).toBe('rewritten on the host');
      await vm.run('/bin/sh', ['-c', 'echo written in the guest > from-guest'], { cwd: dir });
      expect(readFileSync(join(dir, 'from-guest'), 'utf8')).toBe('written in the guest\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reaps what commands leave running in the background once it exits', async () => {
    await vm.run('/bin/sh', ['-c', 'sleep 0.2 >/dev/null 2>&1 &']);
    // PID 1 must reap the orphan, or it would stay as a zombie that kill -0 and pgrep still see
    await vm.run('/bin/sh', ['-c', 'while ps -eo stat=,comm= | grep -q sleep; do sleep 0.05; done'], { timeoutMs: 10_000 });
  });

  it('feeds input to the command and returns its output byte for byte', async () => {
    const text = 'first line\nλ → ü\n\nno newline at the end';
    expect(await vm.run('cat', [], { input: text })).toBe(text);
  });

  it('creates network namespaces and veth pairs in the guest and passes traffic over them', async () => {
    try {
      await vm.run('ip', ['netns', 'add', 'vm-harness-a']);
      await vm
        .sh(
          `
        ip link add vm-harness-v0 type veth peer name vm-harness-v1 netns vm-harness-a
        ip addr add 10.99.0.1/24 dev vm-harness-v0
        ip link set vm-harness-v0 up
        ip -n vm-harness-a addr add 10.99.0.2/24 dev vm-harness-v1
        ip -n vm-harness-a link set vm-harness-v1 up
      `,
        )
        .then((result) => expect(result).toMatchObject({ code: 0, stderr: '' }));
      expect(await vm.run('ip', ['netns', 'exec', 'vm-harness-a', 'ip', '-br', 'addr', 'show', 'vm-harness-v1'])).toMatch(/^vm-harness-v1@\S+\s+UP\s+10\.99\.0\.2\/24/);
      expect(await vm.run('busybox', ['ping', '-c', '1', '-W', '5', '10.99.0.2'])).toMatch(/1 packets received/);
    } finally {
      await vm.run('ip', ['netns', 'del', 'vm-harness-a']);
    }
  });

  it('returns the exit status, stdout and stderr of a command that fails', async () => {
    const result = await vm.exec('/bin/sh', ['-c', 'echo partial; echo "went wrong" >&2; exit 3']);
    expect(result).toEqual({ code: 3, signal: null, timedOut: false, stdout: 'partial\n', stderr: 'went wrong\n' });

    const missing = await vm.exec('ipvsadm', ['-D', '-t', '10.9.9.9:80']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/No such service/);
    await expect(vm.run('ipvsadm', ['-D', '-t', '10.9.9.9:80'])).rejects.toMatchObject({ code: 'VM_COMMAND_FAILED' });
  });

  it('rejects a command that cannot be started', async () => {
    await expect(vm.exec('/nonexistent/command')).rejects.toMatchObject({
      code: 'VM_EXEC_FAILED',
      message: expect.stringMatching(/ENOENT/),
    });
  });

  it('kills a command, and what it started, once it outlives its timeout', async () => {
    const result = await vm.exec('/bin/sh', ['-c', 'sleep 60 & sleep 60'], { timeoutMs: 300 });
    expect(result).toMatchObject({ code: null, signal: 'SIGKILL', timedOut: true });
    expect((await vm.exec('pgrep', ['-x', 'sleep'])).code).toBe(1);
  });

  it('answers many requests, concurrent ones too, over one boot', async () => {
    const outputs = await Promise.all(Array.from({ length: 8 }, (_, i) => vm.run('/bin/sh', ['-c', `sleep 0.$((${8 - i} % 3)); echo ${i}`])));
    expect(outputs).toEqual(Array.from({ length: 8 }, (_, i) => `${i}\n`));

    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await vm.run('true');
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`vm: boot ${Math.round(info.bootMs)} ms (${info.accel}); exec of true: median ${times[10]?.toFixed(1)} ms`);
  });
});
