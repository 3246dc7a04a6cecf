import { createSocket } from 'node:dgram';
import type { Connection } from '../../config/model.js';
import { SOCK_DGRAM } from '../native.js';
import type { Attempt } from './attempt.js';
import { familyOf } from '../../net/ip-address.js';
import { openCheckerSocket } from './checker-socket.js';

export interface UdpHandlers {
  /** A datagram from the server. */
  message(data: Buffer): void;
  /**
   * The socket failed: ECONNREFUSED is an ICMP port (or host) unreachable answering our
   * datagram, reported on a connected UDP socket, which keepalived reads from IP_RECVERR.
   */
  error(code: string): void;
}

/**
 * One datagram to the checker's connect_ip:connect_port from a connected UDP socket carrying
 * the common socket options (keepalived layer4.c udp_bind_connect), replies and errors handed
 * to `handlers` until the attempt finishes, which closes the socket.
 */
export function udpExchange(attempt: Attempt, connection: Connection, payload: Uint8Array, handlers: UdpHandlers): void {
  const family = familyOf(connection.connect_ip);
  const opened = openCheckerSocket(family, SOCK_DGRAM, 0, connection);
  if (!opened.ok) return attempt.finish(false, opened.reason);
  const socket = createSocket(family === 'inet' ? 'udp4' : 'udp6');
  attempt.onFinish(() => socket.close());
  socket.on('error', (error: NodeJS.ErrnoException) => handlers.error(error.code ?? error.message));
  socket.on('message', (data) => handlers.message(data));
  socket.bind({ fd: opened.fd }, () => {
    if (attempt.done) return;
    // a failed connect (no route: ENETUNREACH) comes to this callback, not as an 'error' event
    socket.connect(connection.connect_port, connection.connect_ip, (error?: NodeJS.ErrnoException) => {
      if (error) handlers.error(error.code ?? error.message);
      else if (!attempt.done) socket.send(payload);
    });
  });
}
