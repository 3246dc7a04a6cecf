/**
 * `keepalived-ts status [--json]` and `keepalived-ts explain INSTANCE [--json]`, both with
 * `--control-socket PATH`: ask the running daemon over its control socket and print its answer,
 * as tables and sentences for a person or as the protocol's JSON for scripts.
 *
 * Exit status: 0 answered, 1 a usage error or a request the daemon refused (unknown instance),
 * 2 the daemon could not be reached.
 */
import type { DaemonStatus } from '../daemon/status.js';
import { DEFAULT_CONTROL_SOCKET } from '../daemon/control-service.js';
import type { ExplainResult, Request } from '../control/protocol.js';
import { renderExplain } from '../control/render-explain.js';
import { renderStatus } from '../control/render-status.js';
import { requestControl } from '../linux/control-client.js';
import type { Output } from './main.js';

const USAGE = `Usage: keepalived-ts status [--json] [--control-socket PATH]
       keepalived-ts explain INSTANCE [--json] [--control-socket PATH]

  status   the running daemon's VRRP instances, sync groups, virtual servers and reloads
  explain  why a VRRP instance is in its state, with its priority worked out
  --json                 print the control protocol's JSON answer instead of text
  --control-socket PATH  the daemon's control socket (default ${DEFAULT_CONTROL_SOCKET})
`;

interface Parsed {
  readonly json: boolean;
  readonly socket: string;
  readonly operands: readonly string[];
  readonly help: boolean;
  readonly error?: string;
}

function parse(args: readonly string[]): Parsed {
  let json = false;
  let help = false;
  let socket = DEFAULT_CONTROL_SOCKET;
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i] as string;
    if (word === '--json') json = true;
    else if (word === '-h' || word === '--help') help = true;
    else if (word === '--control-socket' || word.startsWith('--control-socket=')) {
      const value = word.includes('=') ? word.slice(word.indexOf('=') + 1) : args[++i];
      if (!value) return { json, socket, operands, help, error: 'Missing parameter for option --control-socket' };
      socket = value;
    } else if (word.startsWith('-')) return { json, socket, operands, help, error: `Unknown option ${word}` };
    else operands.push(word);
  }
  return { json, socket, operands, help };
}

export async function runControlCommand(argv: readonly string[], io: Output): Promise<number> {
  const [command, ...rest] = argv;
  const p = parse(rest);
  if (p.help) {
    io.out(USAGE);
    return 0;
  }
  const expected = command === 'explain' ? 1 : 0;
  const error = p.error ?? (p.operands.length !== expected ? (command === 'explain' ? 'explain needs one VRRP instance name' : `Unexpected argument(s): ${p.operands.join(' ')}`) : undefined);
  if (error) {
    io.err(`${error}\n${USAGE}`);
    return 1;
  }
  const request: Request = command === 'explain' ? { id: 1, command: 'explain', instance: p.operands[0] as string } : { id: 1, command: 'status' };
  let response;
  try {
    response = await requestControl(p.socket, request);
  } catch (err) {
    io.err(`keepalived-ts ${command}: ${(err as Error).message}\n`);
    return 2;
  }
  if (!response.ok) {
    io.err(`keepalived-ts ${command}: ${response.error.message} (${response.error.code})\n`);
    return 1;
  }
  if (p.json) io.out(`${JSON.stringify(response.result, null, 2)}\n`);
  else io.out(command === 'explain' ? renderExplain(response.result as ExplainResult) : renderStatus(response.result as DaemonStatus));
  return 0;
}
