/**
 * `keepalived-ts status [--json]`, `keepalived-ts explain INSTANCE [--json]` and
 * `keepalived-ts reload [--dry-run] [--json]`, all with `--control-socket PATH`: ask the running
 * daemon over its control socket and print its answer, as tables and sentences for a person or
 * as the protocol's JSON for scripts. `reload` returns when the daemon has applied the file (or
 * refused it), which is what systemd's ExecReload needs to wait for.
 *
 * Exit status: 0 answered (reload: applied; dry-run: the file would be accepted), 1 a usage
 * error or a request the daemon refused (unknown instance, a reload refused or failed), 2 the
 * daemon could not be reached or did not answer in time.
 */
import type { DaemonStatus } from '../daemon/status.js';
import { DEFAULT_CONTROL_SOCKET } from '../daemon/control-service.js';
import type { ExplainResult, Request } from '../control/protocol.js';
import { renderReloadOutcome, renderReloadPreview } from '../control/render-reload.js';
import type { ReloadOutcome, ReloadPreview } from '../daemon/reload.js';
import { renderExplain } from '../control/render-explain.js';
import { renderStatus } from '../control/render-status.js';
import { requestControl } from '../linux/control-client.js';
import type { Output } from './main.js';

/** How long `reload` waits for the daemon by default (systemd gives a reload 90 s too). */
const RELOAD_TIMEOUT_S = 90;

const USAGE = `Usage: keepalived-ts status [--json] [--control-socket PATH]
       keepalived-ts explain INSTANCE [--json] [--control-socket PATH]
       keepalived-ts reload [--dry-run] [--json] [--timeout SECONDS] [--control-socket PATH]

  status   the running daemon's VRRP instances, sync groups, virtual servers and reloads
  explain  why a VRRP instance is in its state, with its priority worked out
  reload   the daemon reads its configuration file again and applies it (as SIGHUP does);
           returns when that is done, exit 1 if the file was refused
  --dry-run              reload: what a reload of the file would change, applying nothing
  --timeout SECONDS      reload: how long to wait for the daemon (default ${RELOAD_TIMEOUT_S})
  --json                 print the control protocol's JSON answer instead of text
  --control-socket PATH  the daemon's control socket (default ${DEFAULT_CONTROL_SOCKET})
`;

interface Parsed {
  readonly json: boolean;
  readonly dryRun: boolean;
  readonly timeoutS: number;
  /** The first option given that only `reload` takes. */
  readonly reloadOption?: string;
  readonly socket: string;
  readonly operands: readonly string[];
  readonly help: boolean;
  readonly error?: string;
}

function parse(args: readonly string[]): Parsed {
  let json = false;
  let help = false;
  let dryRun = false;
  let timeoutS = RELOAD_TIMEOUT_S;
  let reloadOption: string | undefined;
  let socket = DEFAULT_CONTROL_SOCKET;
  const operands: string[] = [];
  const done = (error?: string): Parsed => ({ json, dryRun, timeoutS, socket, operands, help, ...(reloadOption !== undefined ? { reloadOption } : {}), ...(error !== undefined ? { error } : {}) });
  for (let i = 0; i < args.length; i++) {
    const word = args[i] as string;
    const valued = (): string | undefined => (word.includes('=') ? word.slice(word.indexOf('=') + 1) : args[++i]);
    if (word === '--json') json = true;
    else if (word === '--dry-run') {
      dryRun = true;
      reloadOption ??= word;
    } else if (word === '-h' || word === '--help') help = true;
    else if (word === '--control-socket' || word.startsWith('--control-socket=')) {
      const value = valued();
      if (!value) return done('Missing parameter for option --control-socket');
      socket = value;
    } else if (word === '--timeout' || word.startsWith('--timeout=')) {
      reloadOption ??= '--timeout';
      const value = Number(valued());
      if (!(value > 0)) return done('--timeout needs a number of seconds above 0');
      timeoutS = value;
    } else if (word.startsWith('-')) return done(`Unknown option ${word}`);
    else operands.push(word);
  }
  return done();
}

export async function runControlCommand(argv: readonly string[], io: Output): Promise<number> {
  const [command, ...rest] = argv;
  const p = parse(rest);
  if (p.help) {
    io.out(USAGE);
    return 0;
  }
  const expected = command === 'explain' ? 1 : 0;
  const misplaced = command !== 'reload' && p.reloadOption !== undefined ? `${p.reloadOption} is an option of reload only` : undefined;
  const error =
    p.error ?? misplaced ?? (p.operands.length !== expected ? (command === 'explain' ? 'explain needs one VRRP instance name' : `Unexpected argument(s): ${p.operands.join(' ')}`) : undefined);
  if (error) {
    io.err(`${error}\n${USAGE}`);
    return 1;
  }
  const request: Request =
    command === 'explain' ? { id: 1, command: 'explain', instance: p.operands[0] as string } : command === 'reload' ? { id: 1, command: 'reload', dryRun: p.dryRun } : { id: 1, command: 'status' };
  let response;
  try {
    response = await requestControl(p.socket, request, command === 'reload' ? p.timeoutS * 1000 : undefined);
  } catch (err) {
    io.err(`keepalived-ts ${command}: ${(err as Error).message}\n`);
    return 2;
  }
  if (!response.ok) {
    io.err(`keepalived-ts ${command}: ${response.error.message} (${response.error.code})\n`);
    return 1;
  }
  if (command === 'reload') return printReload(response.result as ReloadOutcome | ReloadPreview, p.json, io);
  if (p.json) io.out(`${JSON.stringify(response.result, null, 2)}\n`);
  else io.out(command === 'explain' ? renderExplain(response.result as ExplainResult) : renderStatus(response.result as DaemonStatus));
  return 0;
}

/** A reload's outcome or a dry-run's preview; exit 1 when the file was (or would be) refused. */
function printReload(result: ReloadOutcome | ReloadPreview, json: boolean, io: Output): number {
  const accepted = 'refused' in result ? !result.refused : result.ok;
  const text = json ? `${JSON.stringify(result, null, 2)}\n` : 'refused' in result ? renderReloadPreview(result) : renderReloadOutcome(result);
  if (accepted || json) io.out(text);
  else io.err(text);
  return accepted ? 0 : 1;
}
