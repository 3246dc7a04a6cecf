/**
 * Opening a checker's TCP (and TLS) connection from its `connect_ip`/`connect_port`,
 * `bindto`/`bind_port`/`bind_if`/`fwmark`, under one deadline for the whole exchange: keepalived
 * applies connect_timeout to each step (its issue 1822), so a server trickling a byte at a time
 * never fails there; here the probe ends at the deadline whatever it is doing.
 */
import { connect as tcpConnect, Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Connection } from '../../config/model.js';
import { SOCK_STREAM } from '../native.js';
import { familyOf } from '../../net/ip-address.js';
import { openCheckerSocket } from './checker-socket.js';

export interface TlsOptions {
  /** SNI; undefined sends none. */
  readonly servername: string | undefined;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly passphrase?: string;
}

/** How an exchange ended early: which step, and the system's error code (or TIMEOUT, ABORTED). */
export interface ExchangeFailure {
  readonly step: 'connect' | 'tls' | 'write' | 'read';
  /** EBIND: the socket options or bind could not be applied (`detail` has keepalived's words). */
  readonly code: string;
  readonly detail?: string;
}

/** What an exchange may do besides using the socket: end in failure, and say it is now reading. */
export interface ExchangeIo {
  fail(code: string): void;
  reading(): void;
}

/** The local address for `bindto`, with `bind_if` as the scope of an IPv6 link-local address. */
function localAddress(co: Connection): string | undefined {
  if (co.bindto === null) return undefined;
  return co.bind_if !== null && familyOf(co.bindto) === 'inet6' ? `${co.bindto}%${co.bind_if}` : co.bindto;
}

function remoteAddress(co: Connection): string {
  return co.bind_if !== null && co.connect_ip.toLowerCase().startsWith('fe80:') ? `${co.connect_ip}%${co.bind_if}` : co.connect_ip;
}

/**
 * The connecting socket. Node cannot set SO_MARK (`fwmark`) or SO_BINDTODEVICE (`bind_if`), so
 * with either the addon makes and binds the descriptor (layer4.c socket_bind_connect()'s order)
 * and Node adopts it; otherwise Node's own connect binds bindto/bind_port.
 */
function connectingSocket(co: Connection): Socket | ExchangeFailure {
  if ((co.fwmark === null || co.fwmark === 0) && co.bind_if === null) {
    const local = localAddress(co);
    return tcpConnect({
      host: remoteAddress(co),
      port: co.connect_port,
      ...(local !== undefined ? { localAddress: local } : {}),
      ...(co.bind_port !== null ? { localPort: co.bind_port } : {}),
    });
  }
  const opened = openCheckerSocket(familyOf(co.connect_ip), SOCK_STREAM, 0, co);
  if (!opened.ok) return { step: 'connect', code: 'EBIND', detail: opened.reason };
  const socket = new Socket({ fd: opened.fd, readable: true, writable: true });
  socket.connect({ host: remoteAddress(co), port: co.connect_port });
  return socket;
}

/**
 * Runs `exchange` on a fresh connection. It resolves with what `exchange` resolves, or with an
 * ExchangeFailure when a step fails, the deadline passes or `signal` aborts; the socket is
 * always destroyed at the end.
 */
export function withConnection<T>(
  co: Connection,
  tls: TlsOptions | null,
  deadlineMs: number,
  signal: AbortSignal,
  exchange: (socket: Socket | TLSSocket, io: ExchangeIo) => Promise<T>,
): Promise<T | ExchangeFailure> {
  return new Promise((resolve) => {
    let step: ExchangeFailure['step'] = 'connect';
    let done = false;
    const socket = connectingSocket(co);
    if (isFailure(socket)) {
      resolve(socket);
      return;
    }
    let active: Socket | TLSSocket = socket;
    const finish = (value: T | ExchangeFailure): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      active.destroy();
      socket.destroy();
      resolve(value);
    };
    const fail = (f: ExchangeFailure): void => finish(f);
    const io: ExchangeIo = {
      fail: (code) => fail({ step, code }),
      reading: () => {
        step = 'read';
      },
    };
    const onAbort = (): void => fail({ step, code: 'ABORTED' });
    const timer = setTimeout(() => fail({ step, code: 'TIMEOUT' }), deadlineMs);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    // errors of any step, the exchange's reads and writes included, arrive here
    const onError = (error: NodeJS.ErrnoException): void => fail({ step, code: error.code ?? 'EIO' });
    socket.on('error', onError);
    socket.once('connect', () => {
      if (tls === null) {
        step = 'write';
        exchange(socket, io).then(finish, () => fail({ step, code: 'EIO' }));
        return;
      }
      step = 'tls';
      let secure: TLSSocket;
      try {
        secure = tlsConnect({
          socket,
          rejectUnauthorized: false,
          ...(tls.servername !== undefined ? { servername: tls.servername } : {}),
          ...(tls.ca ? { ca: tls.ca } : {}),
          ...(tls.cert ? { cert: tls.cert } : {}),
          ...(tls.key ? { key: tls.key } : {}),
          ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
        });
      } catch (error) {
        // unusable client files: clientTls() checks them, so this is a last guard
        fail({ step, code: (error as NodeJS.ErrnoException).code ?? 'EPROTO', detail: (error as Error).message });
        return;
      }
      active = secure;
      secure.on('error', onError);
      secure.once('secureConnect', () => {
        step = 'write';
        exchange(secure, io).then(finish, () => fail({ step, code: 'EIO' }));
      });
    });
  });
}

export function isFailure(x: unknown): x is ExchangeFailure {
  return typeof x === 'object' && x !== null && 'step' in x && 'code' in x;
}
