/**
 * TCP_CHECK's connection attempt through the addon (connectProbe): check_tcp.c
 * tcp_connect_thread() opens a socket, connects and waits for writability or connect_timeout,
 * and that is all a TCP check needs. Node's net.Socket costs far more per attempt (stream state,
 * an Error with a stack trace for every refused connect), and so do a promise and a closure per
 * attempt at 10,000 attempts a second: an attempt here is a few slots in arrays indexed by the
 * addon's small dense ids, and the addon hands back the outcomes of a whole loop iteration at
 * once (docs/performance.md, "Health checkers").
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

/** Called once per attempt, never before startConnect returned; `context` is what startConnect was given. */
export type ConnectDone<C> = (outcome: ConnectOutcome, latencyMs: number, context: C) => void;

/** Our own code for a probe the check's signal ended (the addon's are 0, CONNECT_TIMEOUT and errnos). */
const ABORTED = -2;

/** One outcome object per code, shared by every attempt that ends that way. */
const OUTCOMES = new Map<number, ConnectOutcome>([
  [0, { code: 'CONNECTED' }],
  [CONNECT_TIMEOUT, { code: 'TIMEOUT' }],
  [ABORTED, { code: 'ABORTED' }],
]);
// errno → name; where two names share a number (EAGAIN, EWOULDBLOCK) the first, as libuv names it
for (const [name, errno] of Object.entries(constants.errno)) if (!OUTCOMES.has(errno)) OUTCOMES.set(errno, { code: name });
const outcome = (code: number): ConnectOutcome => OUTCOMES.get(code) ?? { code: `errno ${code}` };

/** Attempts in flight, by the addon's id: who to tell, what to pass back, when it started, the set it is in. */
const doneById: (ConnectDone<never> | undefined)[] = [];
const contextById: unknown[] = [];
const startedById: number[] = [];
const inFlightById: (Set<number> | undefined)[] = [];
let listening = false;

function finish(id: number, code: number, now: number): void {
  const done = doneById[id] as ConnectDone<unknown> | undefined;
  if (done === undefined) return;
  const context = contextById[id];
  doneById[id] = undefined;
  contextById[id] = undefined;
  inFlightById[id]!.delete(id);
  inFlightById[id] = undefined;
  done(outcome(code), now - startedById[id]!, context);
}

/** The addon's batch: (id, code) pairs of every attempt that ended in one loop iteration. */
function deliver(pairs: Int32Array): void {
  const now = performance.now();
  for (let i = 0; i < pairs.length; i += 2) finish(pairs[i]!, pairs[i + 1]!, now);
}

/**
 * The attempts in flight under each signal. A check's signal lives as long as the check, so it
 * gets one abort listener for all its attempts: adding and removing an EventTarget listener per
 * attempt was ~6 % of the CPU at thousands of attempts a second.
 */
const bySignal = new WeakMap<AbortSignal, Set<number>>();

function inFlightUnder(signal: AbortSignal): Set<number> {
  let ids = bySignal.get(signal);
  if (ids) return ids;
  const mine = new Set<number>();
  signal.addEventListener(
    'abort',
    () => {
      const now = performance.now();
      for (const id of [...mine]) {
        native().cancelConnectProbe(id);
        finish(id, ABORTED, now);
      }
    },
    { once: true },
  );
  bySignal.set(signal, (ids = mine));
  return ids;
}

/** An attempt that ended before it began (aborted, a bind that failed, connect() refused at once). */
function endAtOnce<C>(result: ConnectOutcome, started: number, done: ConnectDone<C>, context: C): void {
  queueMicrotask(() => done(result, performance.now() - started, context));
}

/**
 * Opens the checker's socket (fwmark, bind_if, bindto/bind_port in layer4.c's order) and connects
 * to `connect_ip`/`connect_port` within `deadlineMs`, then calls `done(outcome, latencyMs,
 * context)`. With `bind_if` the socket is bound to the device, which also scopes a link-local
 * destination.
 */
export function startConnect<C>(co: Connection, deadlineMs: number, signal: AbortSignal, done: ConnectDone<C>, context: C): void {
  const started = performance.now();
  if (signal.aborted) return endAtOnce(outcome(ABORTED), started, done, context);
  const opened = openCheckerSocket(familyOf(co.connect_ip), SOCK_STREAM, 0, co);
  if (!opened.ok) return endAtOnce({ code: 'EBIND', detail: opened.reason }, started, done, context);
  const n = native();
  if (!listening) {
    n.onConnectProbe(deliver);
    listening = true;
  }
  const id = n.connectProbe(opened.fd, co.connect_ip, co.connect_port, deadlineMs);
  if (id < 0) return endAtOnce(outcome(-id), started, done, context);
  const ids = inFlightUnder(signal);
  ids.add(id);
  doneById[id] = done;
  contextById[id] = context;
  startedById[id] = started;
  inFlightById[id] = ids;
}
