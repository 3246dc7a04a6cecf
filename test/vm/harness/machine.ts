/**
 * One booted guest, owned by the process that booted it: qemu as a child process, the agent's
 * virtio-serial port as a unix socket connection, and requests matched to answers by id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { KeepalivedError } from '../../../src/errors.js';
import { qemuArgs, type QemuPlan } from './qemu-args.js';
import { encodeMessage, lineSplitter, type ExecFailure, type ExecRequest, type ExecResult, type GuestMessage, type HostMessage } from './protocol.js';

export type ExecCall = Omit<ExecRequest, 't' | 'id'>;
export type ExecAnswer = ExecResult | ExecFailure;

/** How long past an exec's own timeout the host waits before declaring the guest hung. */
const UNRESPONSIVE_GRACE_MS = 30_000;

interface Pending {
  resolve: (answer: ExecAnswer) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export function consoleTail(consoleLog: string, lines = 40): string {
  if (!existsSync(consoleLog)) return '(no console output)';
  return readFileSync(consoleLog, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export class Machine {
  kernel = '';
  bootMs = 0;
  private port: Socket | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private gone: Error | undefined;
  private onReady: (() => void) | undefined;

  private constructor(
    private readonly qemu: ChildProcess,
    private readonly exited: Promise<void>,
    private readonly consoleLog: string,
  ) {
    void exited.then(() => this.lose('qemu exited'));
  }

  /** Starts qemu and resolves once the agent in the guest has said it is ready. */
  static async boot(plan: QemuPlan, bootTimeoutMs: number): Promise<Machine> {
    const started = performance.now();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(plan.agentSocket, resolve);
    });
    const qemu = spawn('qemu-system-x86_64', qemuArgs(plan), { stdio: ['ignore', 'ignore', 'pipe'] });
    const killOnExit = (): void => {
      qemu.kill('SIGKILL');
    };
    process.once('exit', killOnExit);
    let qemuStderr = '';
    qemu.stderr?.on('data', (chunk: Buffer) => {
      if (qemuStderr.length < 16_384) qemuStderr += chunk.toString();
    });
    const exited = new Promise<void>((resolve) => {
      qemu.once('exit', () => {
        process.removeListener('exit', killOnExit);
        resolve();
      });
      qemu.once('error', (error) => {
        qemuStderr += error.message;
        resolve();
      });
    });
    const machine = new Machine(qemu, exited, plan.consoleLog);

    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        machine.awaitReady(server),
        exited.then(() => {
          throw new Error(`qemu exited during boot${qemuStderr ? `: ${qemuStderr.trim()}` : ''}`);
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no agent ready after ${bootTimeoutMs} ms`)), bootTimeoutMs);
        }),
      ]);
      machine.bootMs = performance.now() - started;
      return machine;
    } catch (error) {
      qemu.kill('SIGKILL');
      await exited;
      throw new KeepalivedError('VM_BOOT_FAILED', `the vm did not boot: ${(error as Error).message}\nlast console lines (${plan.consoleLog}):\n${consoleTail(plan.consoleLog)}`, { cause: error });
    } finally {
      clearTimeout(timer);
      server.close();
    }
  }

  /** qemu connects to the server as it starts; the agent speaks first, once the guest is up. */
  private awaitReady(server: Server): Promise<void> {
    return new Promise((resolve, reject) => {
      this.onReady = resolve;
      server.once('connection', (port: Socket) => {
        this.port = port;
        port.on(
          'data',
          lineSplitter((line) => this.receive(JSON.parse(line) as GuestMessage)),
        );
        port.once('close', () => {
          reject(new Error('qemu closed the agent port before the agent was ready'));
          this.lose('the agent port closed');
        });
      });
    });
  }

  /** Runs a command in the guest; rejects only when the guest is gone or hung. */
  exec(call: ExecCall): Promise<ExecAnswer> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new KeepalivedError('VM_UNRESPONSIVE', `the guest did not answer ${call.cmd} within ${call.timeoutMs + UNRESPONSIVE_GRACE_MS} ms`));
      }, call.timeoutMs + UNRESPONSIVE_GRACE_MS);
      this.pending.set(id, { resolve, reject, timer });
      this.send({ t: 'exec', id, ...call });
    });
  }

  /** Asks the guest to stop and waits for qemu to exit; kills it when it does not in time. */
  async shutdown(timeoutMs = 20_000): Promise<void> {
    if (this.qemu.exitCode === null && this.qemu.signalCode === null) {
      if (!this.gone) this.send({ t: 'shutdown' });
      let timer: NodeJS.Timeout | undefined;
      const inTime = await Promise.race([
        this.exited.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (!inTime) {
        this.qemu.kill('SIGKILL');
        await this.exited;
      }
    }
    this.port?.destroy();
  }

  private send(message: HostMessage): void {
    this.port?.write(encodeMessage(message));
  }

  private receive(message: GuestMessage): void {
    if (message.t === 'ready') {
      this.kernel = message.kernel;
      this.onReady?.();
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    pending.resolve(message);
  }

  private lose(why: string): void {
    if (this.gone) return;
    this.gone = new KeepalivedError('VM_GONE', `the vm is gone: ${why}\nlast console lines (${this.consoleLog}):\n${consoleTail(this.consoleLog)}`);
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(this.gone);
    }
    this.pending.clear();
  }
}
