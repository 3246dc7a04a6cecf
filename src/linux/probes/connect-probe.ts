/**
 * TCP_CHECK's connection attempt through the addon (connectProbe): check_tcp.c
 * tcp_connect_thread() opens a socket, connects and waits for writability or connect_timeout,
 * and that is all a TCP check needs. Node's net.Socket costs far more per attempt (stream state,
 * an Error with a stack trace for every refused connect), which limited us to a few thousand
 * checks a second (docs/performance.md, "Health checkers").
 */
import { constants } from 'node:os';
import type { Connection } from '../../config/model.js';
import { CONNECT_TIMEOUT, SOCK_STREAM, native } from '../native.js';
import { familyOf } from '../../net/ip-address.js';
import { openCheckerSocket } from './checker-socket.js';

/** How a connect attempt ended: CONNECTED, TIMEOUT, ABORTED, the errno's name (ECONNREFUSED), or EBIND. */
export interface ConnectOutcome {
  readonly code: string;
  /** EBIND: keepalived's words for the option or bind that failed. */
  readonly detail?: string;
}

/** errno → name; where two names share a number (EAGAIN, EWOULDBLOCK) the first, as libuv names it. */
const ERRNO_NAMES = new Map<number, string>();
for (const [name, errno] of Object.entries(constants.errno)) if (!ERRNO_NAMES.has(errno)) ERRNO_NAMES.set(errno, name);
const errnoName = (errno: number): string => ERRNO_NAMES.get(errno) ?? `errno ${errno}`;

/** Probes in flight, by the addon's id; one callback serves every prober. */
const waiting = new Map<number, (code: number) => void>();
let listening = false;

function deliver(id: number, code: number): void {
  const settle = waiting.get(id);
  waiting.delete(id);
  settle?.(code);
}

/** Our own code for a probe the check's signal ended (the addon's are 0, CONNECT_TIMEOUT and errnos). */
const ABORTED = -2;

/**
 * The probes in flight under each signal. A check's signal lives as long as the check, so it gets
 * one abort listener for all its probes: adding and removing an EventTarget listener per probe
 * was ~6 % of the CPU at thousands of probes a second.
 */
const bySignal = new WeakMap<AbortSignal, Set<number>>();

function inFlightUnder(signal: AbortSignal): Set<number> {
  let ids = bySignal.get(signal);
  if (ids) return ids;
  const mine = new Set<number>();
  signal.addEventListener(
    'abort',
    () => {
      for (const id of mine) {
        native().cancelConnectProbe(id);
        deliver(id, ABORTED);
      }
    },
    { once: true },
  );
  bySignal.set(signal, (ids = mine));
  return ids;
}

const outcome = (code: number): ConnectOutcome => ({
  code: code === 0 ? 'CONNECTED' : code === CONNECT_TIMEOUT ? 'TIMEOUT' : code === ABORTED ? 'ABORTED' : errnoName(code),
});

/**
 * Opens the checker's socket (fwmark, bind_if, bindto/bind_port in layer4.c's order) and connects
 * to `connect_ip`/`connect_port` within `deadlineMs`; resolves, never rejects. With `bind_if` the
 * socket is bound to the device, which also scopes a link-local destination.
 */
export function connectOnce(co: Connection, deadlineMs: number, signal: AbortSignal): Promise<ConnectOutcome> {
  if (signal.aborted) return Promise.resolve({ code: 'ABORTED' });
  const opened = openCheckerSocket(familyOf(co.connect_ip), SOCK_STREAM, 0, co);
  if (!opened.ok) return Promise.resolve({ code: 'EBIND', detail: opened.reason });
  const n = native();
  if (!listening) {
    n.onConnectProbe(deliver);
    listening = true;
  }
  const id = n.connectProbe(opened.fd, co.connect_ip, co.connect_port, deadlineMs);
  if (id < 0) return Promise.resolve(outcome(-id));
  const ids = inFlightUnder(signal);
  ids.add(id);
  return new Promise((resolve) => {
    waiting.set(id, (code) => {
      ids.delete(id);
      resolve(outcome(code));
    });
  });
}
