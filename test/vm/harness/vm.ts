/**
 * What vm-tier tests use: `vm.exec(cmd, args, { input })` runs a command inside the run's one
 * guest and resolves with its exit status and output. Commands run as root in the guest, with the
 * repo at the same path as on the host (their default cwd), the host's own binaries (node,
 * ipvsadm, ip, keepalived) and the Debian kernel's IPVS. The first call boots the guest.
 */
import { connect, type Socket } from 'node:net';
import { inject } from 'vitest';
import { KeepalivedError } from '../../../src/errors.js';
import { encodeMessage, lineSplitter, type ExecRequest, type ExecResult, type InfoAnswer, type InfoRequest, type RelayMessage, type VmInfo } from './protocol.js';

export type { VmInfo };

export interface VmExecOptions {
  /** written to the command's stdin, which is then closed */
  input?: string | Buffer;
  /** default: the repo */
  cwd?: string;
  /** added to the guest's environment (PATH starting with the host node's directory, HOME=/root, LANG=C.UTF-8) */
  env?: Record<string, string>;
  /** the command's process group is killed after this long; default 120 s */
  timeoutMs?: number;
}

export interface VmExecResult {
  /** null when the command was killed by a signal (then `signal` names it) */
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

const DEFAULT_TIMEOUT_MS = 120_000;

interface Waiter {
  resolve: (answer: RelayMessage) => void;
  reject: (error: Error) => void;
}

/** A request before the client numbers it. */
type Unsent = Omit<ExecRequest, 'id'> | Omit<InfoRequest, 'id'>;

class VmClient {
  constructor(private readonly relay: 'ktsVmSocket' | 'ktsVmSystemdSocket') {}

  private socket: Socket | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();

  /** Boots the guest if no test has yet, and says what runs. */
  async info(): Promise<VmInfo> {
    const { t: _t, id: _id, ...info } = (await this.request({ t: 'info' })) as InfoAnswer;
    return info;
  }

  /** Runs `cmd` with `args` (no shell) in the guest. Resolves whatever the exit status. */
  async exec(cmd: string, args: string[] = [], options: VmExecOptions = {}): Promise<VmExecResult> {
    const answer = (await this.request({
      t: 'exec',
      cmd,
      args,
      input: options.input === undefined ? undefined : Buffer.from(options.input).toString('base64'),
      cwd: options.cwd,
      env: options.env,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    })) as ExecResult;
    return {
      code: answer.code,
      signal: answer.signal,
      timedOut: answer.timedOut,
      stdout: Buffer.from(answer.stdout, 'base64').toString(),
      stderr: Buffer.from(answer.stderr, 'base64').toString(),
    };
  }

  /** Like exec, but throws unless the command exits 0; resolves with its stdout. */
  async run(cmd: string, args: string[] = [], options: VmExecOptions = {}): Promise<string> {
    const result = await this.exec(cmd, args, options);
    if (result.code !== 0) {
      const status = result.timedOut ? `timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms` : result.code === null ? `died of ${result.signal}` : `exited ${result.code}`;
      throw new KeepalivedError('VM_COMMAND_FAILED', `vm: ${[cmd, ...args].join(' ')} ${status}\nstderr: ${result.stderr}\nstdout: ${result.stdout}`);
    }
    return result.stdout;
  }

  /** The host's own node binary in the guest: `vm.node(['dist/x.js'])`, `vm.node(['-e', code])`. */
  node(args: string[], options: VmExecOptions = {}): Promise<VmExecResult> {
    return this.exec(process.execPath, args, options);
  }

  /** A script for the guest's /bin/sh (the host's dash), stopping at the first failing command. */
  sh(script: string, options: VmExecOptions = {}): Promise<VmExecResult> {
    return this.exec('/bin/sh', ['-ec', script], options);
  }

  private async request(request: Unsent): Promise<RelayMessage> {
    const id = this.nextId++;
    const answer = await new Promise<RelayMessage>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.connection().write(encodeMessage({ ...request, id }));
    });
    if (answer.t === 'failure') {
      const what = request.t === 'exec' ? `cannot run ${request.cmd}` : 'no vm';
      throw new KeepalivedError(answer.code ?? 'VM_EXEC_FAILED', `vm: ${what}: ${answer.message}`);
    }
    return answer;
  }

  private connection(): Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = connect(inject(this.relay));
    socket.on(
      'data',
      lineSplitter((line) => {
        const message = JSON.parse(line) as RelayMessage;
        this.waiting.get(message.id)?.resolve(message);
        this.waiting.delete(message.id);
      }),
    );
    const lost = (why: string): void => {
      for (const waiter of this.waiting.values()) waiter.reject(new KeepalivedError('VM_GONE', `vm: ${why}`));
      this.waiting.clear();
    };
    socket.on('error', (error) => lost(`the relay socket failed: ${error.message}`));
    socket.on('close', () => lost('the relay closed its socket'));
    // pending requests keep the worker busy anyway; an idle connection must not keep it alive
    socket.unref();
    this.socket = socket;
    return socket;
  }
}

/** The run's guest, shared by every vm test file: clean up what a test creates in it. */
export const vm = new VmClient('ktsVmSocket');

/**
 * The run's second guest, booted with systemd as PID 1 (journald, systemctl, units), for the
 * systemd tests; the same calls as `vm`. Its commands run inside the agent's own unit.
 */
export const systemdVm = new VmClient('ktsVmSystemdSocket');
