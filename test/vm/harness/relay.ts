/**
 * Test files run in vitest workers, but the VM belongs to the main vitest process. The relay is a
 * unix socket there that speaks the agent protocol to any number of workers and forwards their
 * requests to the one guest. It boots the guest on the first request, not before: `vitest list`
 * and runs that filter every vm test out then cost nothing, and need no prepared kernel.
 */
import { createServer, type Socket } from 'node:net';
import { KeepalivedError } from '../../../src/errors.js';
import type { Machine } from './machine.js';
import { encodeMessage, lineSplitter, type RelayMessage, type VmInfo, type WorkerMessage } from './protocol.js';

export interface Relay {
  path: string;
  /** closes the socket and shuts the guest down if it was booted */
  close(): Promise<void>;
}

export interface BootedVm {
  machine: Machine;
  info: VmInfo;
}

export async function startRelay(path: string, boot: () => Promise<BootedVm>): Promise<Relay> {
  let booting: Promise<BootedVm> | undefined;
  const vm = (): Promise<BootedVm> => (booting ??= boot());

  async function answer(message: WorkerMessage): Promise<RelayMessage> {
    try {
      const { machine, info } = await vm();
      if (message.t === 'info') return { t: 'info', id: message.id, ...info };
      const { t: _t, id, ...call } = message;
      return { ...(await machine.exec(call)), id };
    } catch (error) {
      return {
        t: 'failure',
        id: message.id,
        message: (error as Error).message,
        ...(error instanceof KeepalivedError ? { code: error.code } : {}),
      };
    }
  }

  const clients = new Set<Socket>();
  const server = createServer((client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    // a worker that dies mid-request must not take the relay down
    client.on('error', () => {});
    client.on(
      'data',
      lineSplitter((line) => {
        void answer(JSON.parse(line) as WorkerMessage).then((reply) => {
          if (!client.destroyed) client.write(encodeMessage(reply));
        });
      }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, resolve);
  });
  return {
    path,
    async close() {
      for (const client of clients) client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const booted = await booting?.catch(() => undefined);
      await booted?.machine.shutdown();
    },
  };
}
