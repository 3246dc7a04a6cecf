/**
 * The guest half of the vm harness. test/vm/guest/init.sh starts it with the host's node; the
 * host transpiles this file (and protocol.ts) into its run directory before boot, which the guest
 * sees through the 9p root. It says `ready` on its virtio-serial port, runs every exec request as a
 * child process in its own process group, and answers with the exit status and the output. It
 * exits on a shutdown request or when the host end of the port goes away; init then resets the VM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, openSync, readFileSync, readdirSync } from 'node:fs';
import { release } from 'node:os';
import { dirname } from 'node:path';
import { AGENT_PORT_NAME, encodeMessage, lineSplitter, type ExecRequest, type GuestMessage, type HostMessage } from '../harness/protocol.js';

const repo = process.argv[2] ?? '/';
// The host's node may live outside the usual PATH (nvm, /opt): commands find this one first.
const environment = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };

/** Without udev there is no /dev/virtio-ports/<name> link: match the name in sysfs instead. */
function portDevice(name: string): string {
  for (const port of readdirSync('/sys/class/virtio-ports')) {
    if (readFileSync(`/sys/class/virtio-ports/${port}/name`, 'utf8').trim() === name) return `/dev/${port}`;
  }
  throw new Error(`no virtio-serial port is named ${name}`);
}

// A virtio-serial port can be open only once, so reads and writes share one descriptor.
const fd = openSync(portDevice(AGENT_PORT_NAME), 'r+');
const fromHost = createReadStream('', { fd, autoClose: false, highWaterMark: 1 << 16 });
const toHost = createWriteStream('', { fd, autoClose: false });
const running = new Set<ChildProcess>();

function send(message: GuestMessage): void {
  toHost.write(encodeMessage(message));
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

function execute(request: ExecRequest): void {
  let child: ChildProcess;
  try {
    child = spawn(request.cmd, request.args, {
      cwd: request.cwd ?? repo,
      env: { ...environment, ...request.env },
      stdio: 'pipe',
      // its own group, so a timeout also kills whatever the command started
      detached: true,
    });
  } catch (error) {
    send({ t: 'failure', id: request.id, message: (error as Error).message });
    return;
  }
  running.add(child);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let timedOut = false;
  let failed = false;
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  // A command that exits without reading its input must not take the agent down with EPIPE.
  child.stdin?.on('error', () => {});
  child.stdin?.end(request.input === undefined ? undefined : Buffer.from(request.input, 'base64'));
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child);
  }, request.timeoutMs);
  child.on('error', (error) => {
    failed = true;
    clearTimeout(timer);
    running.delete(child);
    send({ t: 'failure', id: request.id, message: error.message });
  });
  child.on('close', (code, signal) => {
    clearTimeout(timer);
    running.delete(child);
    if (failed) return;
    send({
      t: 'result',
      id: request.id,
      code,
      signal,
      timedOut,
      stdout: Buffer.concat(stdout).toString('base64'),
      stderr: Buffer.concat(stderr).toString('base64'),
    });
  });
}

function shutDown(): void {
  for (const child of running) killGroup(child);
  toHost.end(() => process.exit(0));
}

fromHost.on(
  'data',
  lineSplitter((line) => {
    const message = JSON.parse(line) as HostMessage;
    if (message.t === 'exec') execute(message);
    else shutDown();
  }),
);
fromHost.on('end', shutDown);
send({ t: 'ready', kernel: release() });
