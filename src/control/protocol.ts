/**
 * The control socket's protocol: line-delimited JSON. A client writes one request object per
 * line; the daemon writes one response object per line, in the order of the requests. Every
 * line gets an answer, malformed or not, and the connection stays open (docs/control-protocol.md).
 *
 *   → {"id":1,"command":"status"}
 *   ← {"id":1,"ok":true,"result":{...DaemonStatus}}
 *   → {"id":2,"command":"explain","instance":"VI_1"}
 *   ← {"id":2,"ok":false,"error":{"code":"unknown-instance","message":"no VRRP instance VI_1"}}
 *   → {"id":3,"command":"reload","dryRun":true}
 *   ← {"id":3,"ok":true,"result":{...ReloadPreview}}
 *
 * `status` and `explain` are answered at once; `reload` when the daemon has done it (or, with
 * dryRun, has worked out what it would do). Answers still come in the order of the requests.
 */
import type { ReloadOutcome, ReloadPreview } from '../daemon/reload.js';
import type { DaemonStatus, VrrpInstanceStatus, VrrpStatus } from '../daemon/status.js';
import { findInstance, vrrpOf } from './status-view.js';

/** Requests are short; a longer line is refused without being read into memory. */
export const MAX_REQUEST_BYTES = 4096;

export const COMMANDS = ['status', 'explain', 'reload'] as const;
export type Command = (typeof COMMANDS)[number];

export type RequestId = string | number | null;

export type Request =
  | { readonly id: RequestId; readonly command: 'status' }
  | { readonly id: RequestId; readonly command: 'explain'; readonly instance: string }
  /** Reload the configuration file and answer with the outcome; with dryRun, answer what a reload would change. */
  | { readonly id: RequestId; readonly command: 'reload'; readonly dryRun: boolean };

export const ERROR_CODES = {
  'line-too-long': `the request line is longer than ${MAX_REQUEST_BYTES} bytes`,
  'bad-json': 'the line is not a JSON object',
  'bad-request': 'a field is missing or has the wrong type',
  'unknown-command': `the command is not one of ${COMMANDS.join(', ')}`,
  'unknown-instance': 'no VRRP instance has that name',
  'reload-unavailable': 'this daemon takes no reload requests on its control socket',
  internal: 'the daemon could not build the answer',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export interface ProtocolError {
  readonly code: ErrorCode;
  readonly message: string;
}

export interface ExplainResult {
  readonly instance: VrrpInstanceStatus;
  /** The sync group the instance is a member of, which may hold it in its state. */
  readonly syncGroup: VrrpStatus['syncGroups'][number] | null;
}

export type Response =
  | { readonly id: RequestId; readonly ok: true; readonly result: DaemonStatus | ExplainResult | ReloadOutcome | ReloadPreview }
  | { readonly id: RequestId; readonly ok: false; readonly error: ProtocolError };

/** What the protocol asks of the daemon. */
export interface ControlDaemon {
  snapshot(): DaemonStatus;
  reload?(): Promise<ReloadOutcome>;
  previewReload?(): Promise<ReloadPreview>;
}

const failure = (id: RequestId, code: ErrorCode, message: string = ERROR_CODES[code]): Response => ({ id, ok: false, error: { code, message } });

function idOf(value: unknown): RequestId | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return value;
  return undefined;
}

/** One request line read as a request, or the error its answer carries. */
export function parseRequest(line: string): Request | { readonly id: RequestId; readonly error: ProtocolError } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { id: null, error: { code: 'bad-json', message: ERROR_CODES['bad-json'] } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { id: null, error: { code: 'bad-json', message: ERROR_CODES['bad-json'] } };
  }
  const fields = value as Record<string, unknown>;
  const id = idOf(fields['id']);
  if (id === undefined) return { id: null, error: { code: 'bad-request', message: 'id must be a string, a number or null' } };
  const command = fields['command'];
  if (typeof command !== 'string') return { id, error: { code: 'bad-request', message: 'command must be a string' } };
  if (command === 'status') return { id, command };
  if (command === 'explain') {
    const instance = fields['instance'];
    if (typeof instance !== 'string') return { id, error: { code: 'bad-request', message: 'explain needs "instance": the VRRP instance name' } };
    return { id, command, instance };
  }
  if (command === 'reload') {
    const dryRun = fields['dryRun'] ?? false;
    if (typeof dryRun !== 'boolean') return { id, error: { code: 'bad-request', message: 'dryRun must be true or false' } };
    return { id, command, dryRun };
  }
  return { id, error: { code: 'unknown-command', message: `unknown command ${JSON.stringify(command.slice(0, 64))}; known: ${COMMANDS.join(', ')}` } };
}

/** The answer to one status or explain request line, given the daemon's status now. Never throws. */
export function respond(line: string, snapshot: () => DaemonStatus): Response {
  const request = parseRequest(line);
  if ('error' in request) return { id: request.id, ok: false, error: request.error };
  if (request.command === 'reload') return failure(request.id, 'reload-unavailable');
  return respondNow(request, snapshot);
}

/** The answer to any request line: at once, or for `reload` once the daemon has done it. Never throws or rejects. */
export function answer(line: string, daemon: ControlDaemon): Response | Promise<Response> {
  const request = parseRequest(line);
  if ('error' in request) return { id: request.id, ok: false, error: request.error };
  if (request.command === 'reload') return answerReload(request.id, request.dryRun, daemon);
  return respondNow(request, () => daemon.snapshot());
}

async function answerReload(id: RequestId, dryRun: boolean, daemon: ControlDaemon): Promise<Response> {
  try {
    const asked = dryRun ? daemon.previewReload?.() : daemon.reload?.();
    if (asked === undefined) return failure(id, 'reload-unavailable');
    return { id, ok: true, result: await asked };
  } catch (err) {
    return failure(id, 'internal', `${ERROR_CODES.internal}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function respondNow(request: Exclude<Request, { command: 'reload' }>, snapshot: () => DaemonStatus): Response {
  let status: DaemonStatus;
  try {
    status = snapshot();
  } catch (err) {
    return failure(request.id, 'internal', `${ERROR_CODES.internal}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (request.command === 'status') return { id: request.id, ok: true, result: status };
  const instance = findInstance(status, request.instance);
  if (!instance) return failure(request.id, 'unknown-instance', `no VRRP instance ${JSON.stringify(request.instance.slice(0, 64))}`);
  const syncGroup = vrrpOf(status)?.syncGroups.find((g) => g.members.includes(instance.name)) ?? null;
  return { id: request.id, ok: true, result: { instance, syncGroup } };
}

/** The answer for a line the splitter refused. */
export function tooLongResponse(bytes: number): Response {
  return failure(null, 'line-too-long', `${ERROR_CODES['line-too-long']} (${bytes} bytes before its newline)`);
}

/** Results already serialised: many clients asking at once share one snapshot, so one JSON text. */
const resultTexts = new WeakMap<object, string>();

/** A response as the one line the socket writes (the same text as JSON.stringify gives). */
export function encodeResponse(response: Response): string {
  if (!response.ok) return `${JSON.stringify(response)}\n`;
  let result = resultTexts.get(response.result);
  if (result === undefined) {
    result = JSON.stringify(response.result);
    resultTexts.set(response.result, result);
  }
  return `{"id":${JSON.stringify(response.id)},"ok":true,"result":${result}}\n`;
}

/** A request as the one line a client writes. */
export function encodeRequest(request: Request): string {
  return `${JSON.stringify(request)}\n`;
}

/** A response line as a client reads it; anything else is an error the client reports. */
export function parseResponse(line: string): Response | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = value as Record<string, unknown>;
  if (fields['ok'] === true && typeof fields['result'] === 'object' && fields['result'] !== null) return value as Response;
  const error = fields['error'] as Record<string, unknown> | undefined;
  if (fields['ok'] === false && typeof error?.['code'] === 'string' && typeof error['message'] === 'string') return value as Response;
  return undefined;
}
