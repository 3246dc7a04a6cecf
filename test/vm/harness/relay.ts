/**
 * Test files run in vitest workers, but the VM belongs to the main vitest process that booted it
 * in globalSetup. The relay is a unix socket in the main process that speaks the agent protocol
 * to any number of workers and forwards their exec requests to the one guest.
 */
import { createServer, type Socket } from 'node:net';
import { KeepalivedError } from '../../../src/errors.js';
import type { Machine } from './machine.js';
import { encodeMessage, lineSplitter, type HostMessage } from './protocol.js';

export interface Relay {
  path: string;
  close(): Promise<void>;
}

export async function startRelay(machine: Machine, path: string): Promise<Relay> {
  const clients = new Set<Socket>();
  const server = createServer((client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    // a worker that dies mid-request must not take the relay down
    client.on('error', () => {});
    client.on(
      'data',
      lineSplitter((line) => {
        const message = JSON.parse(line) as HostMessage;
        // only the process that booted the VM may stop it
        if (message.t !== 'exec') return;
        const { t: _t, id, ...call } = message;
        machine.exec(call).then(
          (answer) => client.write(encodeMessage({ ...answer, id })),
          (error: Error) =>
            client.write(
              encodeMessage({
                t: 'failure',
                id,
                message: error.message,
                ...(error instanceof KeepalivedError ? { code: error.code } : {}),
              }),
            ),
        );
      }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, resolve);
  });
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.destroy();
        server.close(() => resolve());
      }),
  };
}
