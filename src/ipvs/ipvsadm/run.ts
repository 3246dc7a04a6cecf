/**
 * One ipvsadm invocation, start to finish, against an IpvsClient: parse, act, print. The
 * environment supplies everything outside the process (the client, names, stdin, the
 * connection table), so the whole program runs the same under tests and on a real kernel.
 */
import { IPVS_BAD_VALUE, IpvsError } from '../errors.js';
import type { Info, IpvsClient, Service, ServiceKey } from '../types.js';
import { CONNECTION_TABLE_PATH, formatConnections } from './connections.js';
import { IpvsadmExit } from './exit.js';
import { formatDaemons, formatListAll, formatListService, formatTimeouts } from './list.js';
import type { ServiceWithDestinations } from './list.js';
import { ipvsErrorMessage } from './messages.js';
import type { LibipvsCall } from './messages.js';
import type { NameResolver } from './names.js';
import { parseIpvsadmArgs } from './parse.js';
import type { IpvsadmCommand, ListFormat } from './command.js';
import { restoreCommands } from './restore.js';
import { NO_FORMAT } from './command.js';
import { tryHelpText } from './usage.js';

export interface IpvsadmEnvironment {
  /** Opens the kernel connection (ipvs_init); rejects when IPVS is not there. */
  readonly openClient: () => Promise<IpvsClient>;
  readonly names: NameResolver;
  /** argv[0] as ipvsadm prints it in usage and hints. */
  readonly program: string;
  readonly readStdin: () => Promise<string>;
  /** The text of /proc/net/ip_vs_conn, or null when it cannot be opened. */
  readonly readConnectionTable: () => Promise<string | null>;
}

export interface IpvsadmResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The errno name an IpvsClient failure carries, or null when it is not a kernel answer. */
function errnoOf(error: unknown): string | null {
  if (!(error instanceof IpvsError)) return null;
  // A value our encoder refuses is one the kernel would refuse as invalid.
  if (error.code === IPVS_BAD_VALUE) return 'EINVAL';
  return error.errno !== undefined && error.errno.startsWith('E') ? error.errno : null;
}

/** What one run has printed so far, and libipvs's memory of the last call it made. */
class RunState {
  stdout = '';
  stderr = '';
  lastCall: LibipvsCall = 'init';

  /** ipvs_init's GET_INFO answer, which every banner reuses. */
  constructor(readonly info: Info) {}

  /** A kernel refusal worded as ipvsadm words it, or the error itself if it is not one. */
  refusal(error: unknown, call: LibipvsCall | null): string {
    if (call !== null) this.lastCall = call;
    const errno = errnoOf(error);
    if (errno === null) throw error;
    return ipvsErrorMessage(this.lastCall, errno);
  }

  /** Marks a library call that succeeded: it still becomes the one later refusals are worded after. */
  called(call: LibipvsCall): void {
    this.lastCall = call;
  }
}

async function loadEntry(client: IpvsClient, service: Service, run: RunState): Promise<ServiceWithDestinations> {
  try {
    const destinations = await client.destinations(service.key);
    run.called('get-destinations');
    return { service, destinations };
  } catch (error) {
    throw new IpvsadmExit(1, { stderr: `${run.refusal(error, 'get-destinations')}\n` });
  }
}

/** list_all: the banner goes out before the services are fetched, as in ipvsadm. */
async function listAll(client: IpvsClient, format: ListFormat, names: NameResolver, run: RunState): Promise<string> {
  const info = run.info;
  let services: Service[];
  try {
    services = await client.services();
  } catch (error) {
    const banner = format.rule ? '' : `IP Virtual Server version ${info.version} (size=${info.connTableSize})\n`;
    throw new IpvsadmExit(1, { stdout: banner, stderr: `${run.refusal(error, null)}\n` });
  }
  const entries: ServiceWithDestinations[] = [];
  for (const service of services) entries.push(await loadEntry(client, service, run));
  return formatListAll(info, entries, format, names);
}

async function listService(client: IpvsClient, key: ServiceKey, format: ListFormat, names: NameResolver, run: RunState): Promise<string> {
  let service: Service;
  try {
    service = await client.service(key);
    run.called('get-service');
  } catch (error) {
    throw new IpvsadmExit(1, { stderr: `${run.refusal(error, 'get-service')}\n` });
  }
  return formatListService(await loadEntry(client, service, run), format, names);
}

/** ipvsadm's exit(1) when a getter fails: nothing more is printed. */
function silentExit(): never {
  throw new IpvsadmExit(1, {});
}

/** Carries out one parsed command; returns ipvsadm's result code for it (0 or -1). */
async function execute(command: IpvsadmCommand, client: IpvsClient, env: IpvsadmEnvironment, out: RunState, readingStdin: boolean): Promise<number> {
  const attempt = async (call: LibipvsCall | null, action: () => Promise<void>): Promise<number> => {
    try {
      await action();
      if (call !== null) out.called(call);
      return 0;
    } catch (error) {
      out.stderr += `${out.refusal(error, call)}\n`;
      return -1;
    }
  };
  const getter = async <T>(call: LibipvsCall, action: () => Promise<T>): Promise<T> => {
    try {
      const value = await action();
      out.called(call);
      return value;
    } catch {
      out.called(call);
      return silentExit();
    }
  };
  switch (command.command) {
    case 'list':
      switch (command.what) {
        case 'connections': {
          const table = await env.readConnectionTable();
          if (table === null) throw new IpvsadmExit(1, { stderr: `cannot open file ${CONNECTION_TABLE_PATH}\n` });
          out.stdout += formatConnections(table, command.format, env.names);
          return 0;
        }
        case 'service':
          out.stdout += await listService(client, command.key, command.format, env.names, out);
          return 0;
        case 'timeout':
          out.stdout += formatTimeouts(await getter('get-timeouts', () => client.timeouts()));
          return 0;
        case 'daemon':
          out.stdout += formatDaemons(await getter('get-daemons', () => client.daemons()));
          return 0;
        case 'all':
          out.stdout += await listAll(client, command.format, env.names, out);
          return 0;
      }
    // eslint-disable-next-line no-fallthrough -- every case of the listing switch above returns
    case 'restore': {
      if (readingStdin) throw new IpvsadmExit(255, { stderr: tryHelpText(env.program) });
      let result = 0;
      for (const args of restoreCommands(await env.readStdin())) {
        result = await execute(parseIpvsadmArgs(args, env.program, env.names), client, env, out, true);
      }
      return result;
    }
    case 'save':
      out.stdout += await listAll(client, command.format, env.names, out);
      return 0;
    case 'flush':
      return attempt(null, () => client.flush());
    case 'add-service':
      return attempt('add-service', () => client.addService(command.service));
    case 'edit-service':
      return attempt('edit-service', () => client.editService(command.service));
    case 'delete-service':
      return attempt('delete-service', () => client.deleteService(command.key));
    case 'zero':
      return attempt('zero', () => client.zero(command.key));
    case 'add-server':
      return attempt('add-server', () => client.addDestination(command.key, command.destination));
    case 'edit-server':
      return attempt('edit-server', () => client.editDestination(command.key, command.destination));
    case 'delete-server':
      return attempt('delete-server', () => client.deleteDestination(command.key, command.destination));
    case 'set':
      return attempt('set-timeouts', () => client.setTimeouts(command.timeouts));
    case 'start-daemon':
      return attempt('start-daemon', () => client.startDaemon(command.daemon));
    case 'stop-daemon':
      return attempt('stop-daemon', () => client.stopDaemon(command.state));
  }
}

/** Runs `ipvsadm ARGS...` and returns its exit status and output. */
export async function runIpvsadm(args: readonly string[], env: IpvsadmEnvironment): Promise<IpvsadmResult> {
  let client: IpvsClient;
  let info: Info;
  try {
    client = await env.openClient();
    info = await client.info();
  } catch (error) {
    // Without the IPVS family libipvs falls back to the old sockopt interface, which fails so.
    const errno = errnoOf(error);
    const reason = errno === null || errno === 'ENOENT' ? 'Protocol not available' : ipvsErrorMessage('init', errno);
    return {
      status: 2,
      stdout: '',
      stderr: `Can't initialize ipvs: ${reason}\nAre you sure that IP Virtual Server is built in the kernel or as module?\n`,
    };
  }
  const out = new RunState(info);
  try {
    if (args.length === 0) out.stdout += await listAll(client, NO_FORMAT, env.names, out);
    const result = args.length === 0 ? 0 : await execute(parseIpvsadmArgs(args, env.program, env.names), client, env, out, false);
    return { status: result & 0xff, stdout: out.stdout, stderr: out.stderr };
  } catch (error) {
    // Whatever ended the run, what was printed before it stays printed.
    if (error instanceof IpvsadmExit) return { status: error.status, stdout: out.stdout + error.stdout, stderr: out.stderr + error.stderr };
    // Failures ipvsadm cannot have (a broken socket, a reply we cannot read) end the run plainly.
    if (error instanceof IpvsError) return { status: 1, stdout: out.stdout, stderr: `${out.stderr}${error.message}\n` };
    throw error;
  } finally {
    client.close();
  }
}
