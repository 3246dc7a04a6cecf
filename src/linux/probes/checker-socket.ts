import type { Connection } from '../../config/model.js';
import type { AddressFamily } from '../../net/ip-address.js';
import { AF_INET, AF_INET6, SOL_SOCKET, SO_BINDTODEVICE, SO_MARK, native } from '../native.js';

export type OpenedSocket = { readonly ok: true; readonly fd: number } | { readonly ok: false; readonly reason: string };

/** strerror() text from the addon's "syscall: text" message. */
function errorText(error: unknown): string {
  const message = (error as Error).message;
  const colon = message.indexOf(': ');
  return colon >= 0 ? message.slice(colon + 2) : message;
}

/**
 * A checker's socket with the common options applied in keepalived's order (layer4.c
 * socket_bind_connect): SO_MARK for `fwmark`, SO_BINDTODEVICE for `bind_if`, then bind() to
 * `bindto`/`bind_port`. Node cannot set those options, so the addon makes the descriptor and
 * Node adopts it (net.Socket({ fd }) or dgram's bind({ fd })). Every failure, a vanished
 * `bindto` address or `bind_if` device included, is a failed attempt with keepalived's words;
 * keepalived instead logs "bind failed. Rescheduling." and never marks the server down.
 */
export function openCheckerSocket(family: AddressFamily, type: number, protocol: number, options: Pick<Connection, 'bindto' | 'bind_port' | 'bind_if' | 'fwmark'>): OpenedSocket {
  const n = native();
  let fd: number;
  try {
    fd = n.socket(family === 'inet' ? AF_INET : AF_INET6, type, protocol);
  } catch (error) {
    return { ok: false, reason: `failed to create socket: ${errorText(error)}` };
  }
  const fail = (reason: string): OpenedSocket => {
    n.close(fd);
    return { ok: false, reason };
  };
  if (options.fwmark !== null && options.fwmark !== 0) {
    try {
      n.setsockopt(fd, SOL_SOCKET, SO_MARK, options.fwmark | 0);
    } catch (error) {
      return fail(`Error setting fwmark ${options.fwmark} to socket: ${errorText(error)}`);
    }
  }
  if (options.bind_if !== null) {
    try {
      n.setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, Buffer.from(`${options.bind_if}\0`));
    } catch (error) {
      return fail(`Checker can't bind to device ${options.bind_if}: ${errorText(error)}`);
    }
  }
  if (options.bindto !== null || options.bind_port !== null) {
    try {
      n.bind(fd, options.bindto ?? (family === 'inet' ? '0.0.0.0' : '::'), options.bind_port ?? 0);
    } catch (error) {
      return fail(`Checker bind failed: ${errorText(error)}`);
    }
  }
  return { ok: true, fd };
}
