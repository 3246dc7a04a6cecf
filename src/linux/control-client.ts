/**
 * The client side of the control socket, for `keepalived-ts status` and `explain`: one
 * request, one response line, then close.
 */
import { connect } from 'node:net';
import { LineSplitter } from '../control/line-splitter.js';
import { encodeRequest, parseResponse, type Request, type Response } from '../control/protocol.js';
import { KeepalivedError, type ControlErrorCode } from '../errors.js';

/** A status answer grows with the configuration; this bounds what a client holds for one. */
const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

const WHY: Readonly<Record<string, string>> = {
  ENOENT: 'no control socket there: is keepalived-ts running, with this --control-socket?',
  ECONNREFUSED: 'nothing listens there: the daemon has stopped',
  EACCES: "permission denied: the control socket is for root and the daemon's user only",
};

export function requestControl(path: string, request: Request, timeoutMs = 5000): Promise<Response> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const splitter = new LineSplitter(MAX_RESPONSE_BYTES);
    const fail = (code: ControlErrorCode, message: string, cause?: unknown) => {
      socket.destroy();
      reject(new KeepalivedError(code, `${path}: ${message}`, { cause }));
    };
    socket.setTimeout(timeoutMs, () => fail('control-timeout', `no answer within ${timeoutMs} ms`));
    socket.on('error', (err: NodeJS.ErrnoException) => fail('control-unreachable', WHY[err.code ?? ''] ?? err.message, err));
    socket.on('connect', () => socket.write(encodeRequest(request)));
    socket.on('data', (chunk: Buffer) => {
      const item = splitter.push(chunk)[0];
      if (!item) return;
      const response = 'line' in item ? parseResponse(item.line) : undefined;
      if (!response) return fail('control-bad-response', 'the daemon answered something that is not a response');
      socket.end();
      resolve(response);
    });
    socket.on('end', () => fail('control-closed', 'the daemon closed the connection without answering'));
  });
}
