/**
 * The control socket: a Unix stream socket, mode 0600, that answers each line a client sends
 * with the line `answer` returns. It decides nothing; its job is that clients cannot hurt the
 * daemon: a line is bounded (LineSplitter), a client is answered a few lines per turn of the
 * event loop (one whose answer the daemon is still working on, a reload, waits for it before its
 * next line is answered), one that stops reading is paused and closed after `idleTimeoutMs` (or once its
 * unread answers pass `maxPendingBytes`), an idle one too, and at most `maxConnections` are
 * served at once.
 */
import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { LineSplitter, type SplitItem } from '../control/line-splitter.js';
import type { LineServer, LineServerOptions, LineServerStats } from '../control/ports.js';
import { MAX_REQUEST_BYTES } from '../control/protocol.js';
import { KeepalivedError } from '../errors.js';

export interface ControlSocketLimits {
  readonly maxLineBytes: number;
  readonly maxPendingBytes: number;
  readonly maxConnections: number;
  readonly idleTimeoutMs: number;
}

export const DEFAULT_LIMITS: ControlSocketLimits = { maxLineBytes: MAX_REQUEST_BYTES, maxPendingBytes: 4 * 1024 * 1024, maxConnections: 256, idleTimeoutMs: 30_000 };

/** Is a daemon answering there? A socket file nobody listens on is left from a crash. */
function answering(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

async function clearPath(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return;
  }
  if (!isSocket) throw new KeepalivedError('control-socket-path', `control socket ${path}: the path exists and is not a socket`);
  if (await answering(path)) throw new KeepalivedError('control-socket-in-use', `control socket ${path}: another daemon is answering there`);
  unlinkSync(path);
}

/** Lines answered before the daemon's other work gets its turn. */
const LINES_PER_TURN = 16;
/** Lines read but not yet answered before the client's requests stop being read. */
const MAX_QUEUED_LINES = 256;

/**
 * One client: lines are queued as they arrive and answered a few at a time (setImmediate
 * between rounds, so one client's burst cannot hold the event loop from the VRRP timers).
 * While its answers wait unread, or too many requests wait unanswered, its socket is paused,
 * so the kernel's buffers hold the backlog and the client's writes block, not the daemon.
 */
function serveClient(socket: Socket, limits: ControlSocketLimits, answer: LineServerOptions['answer'], events: { readonly line: () => void; readonly drop: (why: string) => void }): void {
  const splitter = new LineSplitter(limits.maxLineBytes);
  let queue: SplitItem[] = [];
  let head = 0; // queue[head] is answered next; shift() would copy the array each time
  let scheduled = false;
  // an answer the daemon is still working on (a reload): the lines after it wait their turn
  let awaiting = false;
  const work = (): void => {
    scheduled = false;
    for (let n = 0; n < LINES_PER_TURN && head < queue.length && !awaiting; n++) {
      if (socket.destroyed) return;
      if (socket.writableNeedDrain) {
        socket.pause();
        socket.once('drain', schedule);
        return;
      }
      events.line();
      const reply = answer(queue[head++] as SplitItem);
      if (typeof reply !== 'string') {
        awaiting = true;
        void reply.then((text) => {
          awaiting = false;
          if (socket.destroyed) return;
          socket.write(text);
          schedule();
        });
        return;
      }
      socket.write(reply);
      if (socket.writableLength > limits.maxPendingBytes) return events.drop('does not read its answers');
    }
    if (awaiting) return;
    if (head < queue.length) return schedule();
    queue = [];
    head = 0;
    socket.resume();
  };
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(work);
  }
  socket.setTimeout(limits.idleTimeoutMs, () => {
    // a client waiting for a long reload is not idle: its answer is written when the reload ends
    if (awaiting) return;
    events.drop(head < queue.length || socket.writableLength > 0 ? 'does not read its answers' : 'idle');
  });
  socket.on('data', (chunk: Buffer) => {
    for (const item of splitter.push(chunk)) queue.push(item);
    if (queue.length - head >= MAX_QUEUED_LINES) socket.pause();
    if (head < queue.length) schedule();
  });
  socket.on('error', () => undefined); // a client that went away mid-answer is no fault of the daemon
}

export async function listenControlSocket(options: LineServerOptions, limits: ControlSocketLimits = DEFAULT_LIMITS): Promise<LineServer> {
  const { path, answer, log } = options;
  // the directory only the daemon's user may enter (created so; an existing one is left as it is)
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  await clearPath(path);
  const clients = new Set<Socket>();
  const counts = { accepted: 0, lines: 0, dropped: 0 };

  const drop = (socket: Socket, why: string): void => {
    counts.dropped++;
    log.warn({ reason: why }, 'control socket: closing a client');
    clients.delete(socket);
    socket.destroy();
  };

  const server = createServer((socket) => {
    counts.accepted++;
    clients.add(socket);
    serveClient(socket, limits, answer, {
      line: () => counts.lines++,
      drop: (why) => drop(socket, why),
    });
    socket.on('close', () => clients.delete(socket));
  });
  server.maxConnections = limits.maxConnections;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new KeepalivedError('control-socket-listen', `control socket ${path}: ${err.message}`, { cause: err })));
    // bind() creates the file with the process umask; 0177 leaves 0600, so no moment exists when others may connect
    const umask = process.umask(0o177);
    try {
      server.listen(path, resolve);
    } finally {
      process.umask(umask);
    }
  });
  chmodSync(path, 0o600);
  server.on('error', (err) => log.error({ err }, 'control socket error'));

  return {
    stats: (): LineServerStats => ({ connected: clients.size, ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of clients) socket.destroy();
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      }),
  };
}
