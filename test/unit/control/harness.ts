/** A ControlService on a real Unix socket in a fresh directory, answering from a fake snapshot. */
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { KeepalivedConfig } from '../../../src/config/model.js';
import type { ServiceContext } from '../../../src/daemon/service.js';
import type { DaemonStatus } from '../../../src/daemon/status.js';
import { ControlService } from '../../../src/daemon/control-service.js';
import { DEFAULT_LIMITS, listenControlSocket, type ControlSocketLimits } from '../../../src/linux/control-socket.js';

export const silent = pino({ level: 'silent' });
export const noConfig = {} as KeepalivedConfig;

export function fakeContext(snapshot: () => DaemonStatus, reloads: Pick<ServiceContext, 'reload' | 'previewReload'> = {}): ServiceContext {
  return { log: silent, publish: () => undefined, snapshot, ...reloads };
}

/** A directory others may traverse, so that only the socket's own mode decides who connects. */
export function openDir(): string {
  const dir = mkdtempSync(join(tmpdir(), `kts-control-${process.pid}-`));
  chmodSync(dir, 0o755);
  return dir;
}

export async function startControl(
  snapshot: () => DaemonStatus,
  limits: Partial<ControlSocketLimits> = {},
  path = join(openDir(), 'control.sock'),
  reloads: Pick<ServiceContext, 'reload' | 'previewReload'> = {},
) {
  const service = new ControlService((o) => listenControlSocket(o, { ...DEFAULT_LIMITS, ...limits }), path);
  await service.start(noConfig, fakeContext(snapshot, reloads));
  return { service, path };
}
