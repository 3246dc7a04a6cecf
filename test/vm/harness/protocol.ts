/**
 * What the host and the guest agent say to each other: one JSON object per line, on the
 * virtio-serial port between qemu and the guest, and unchanged (plus `info`) on the relay socket
 * between the vitest process that owns the VM and the test workers. Byte streams travel as base64 so that
 * output reaches the tests byte for byte (ipvsadm output is compared byte-exactly).
 */

import { StringDecoder } from 'node:string_decoder';
import type { ErrorCode } from '../../../src/errors.js';

/** The name qemu gives the agent's virtio-serial port; the guest finds its device by it. */
export const AGENT_PORT_NAME = 'org.keepalived-ts.agent';

export interface ExecRequest {
  t: 'exec';
  id: number;
  cmd: string;
  args: string[];
  /** base64 of the child's stdin; stdin is closed at once without it */
  input?: string;
  cwd?: string;
  /** merged over the guest's default environment */
  env?: Record<string, string>;
  timeoutMs: number;
}

export interface ShutdownRequest {
  t: 'shutdown';
}

/** Relay only: boot the VM if nobody has yet, and say what runs. */
export interface InfoRequest {
  t: 'info';
  id: number;
}

/** host → agent */
export type HostMessage = ExecRequest | ShutdownRequest;
/** test worker → relay */
export type WorkerMessage = ExecRequest | InfoRequest;

export interface ReadyMessage {
  t: 'ready';
  kernel: string;
}

export interface ExecResult {
  t: 'result';
  id: number;
  /** null when the child died of a signal */
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** The command could not be started at all (no such file, not executable, bad cwd). */
export interface ExecFailure {
  t: 'failure';
  id: number;
  message: string;
  /** a KeepalivedError code when the host, not the guest, gave up (VM_GONE, VM_UNRESPONSIVE) */
  code?: ErrorCode;
}

export interface VmInfo {
  kernel: string;
  accel: string;
  /** from starting qemu to the agent's ready message */
  bootMs: number;
  consoleLog: string;
  /** the repo's real path, which is also its path inside the guest */
  repo: string;
}

export interface InfoAnswer extends VmInfo {
  t: 'info';
  id: number;
}

/** agent → host */
export type GuestMessage = ReadyMessage | ExecResult | ExecFailure;
/** relay → test worker */
export type RelayMessage = ExecResult | ExecFailure | InfoAnswer;

/** Cuts a byte stream into lines and hands each complete one to `onLine`. */
export function lineSplitter(onLine: (line: string) => void): (chunk: Buffer | string) => void {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  return (chunk) => {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let end = pending.indexOf('\n');
    while (end >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (line.length > 0) onLine(line);
      end = pending.indexOf('\n');
    }
  };
}

export function encodeMessage(message: HostMessage | GuestMessage | WorkerMessage | RelayMessage): string {
  return `${JSON.stringify(message)}\n`;
}
