/**
 * The differential oracle without a kernel: Debian's own ipvsadm, with fake-ipvs-kernel.c
 * preloaded in place of libnl's socket calls, next to ipvsadm-ts over a client that serves the
 * same table. Both see the same kernel state and the same kernel answers, so their output,
 * exit status and the requests they send can be compared exactly.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernelError, type IpvsOperation } from '../../../../src/ipvs/errors.js';
import {
  AF_INET,
  AF_INET6,
  IPVS_CMD,
  IPVS_CMD_ATTR,
  IPVS_DEST_ATTR,
  IPVS_STATS_ATTR,
  IPVS_SVC_ATTR,
  daemonAttributes,
  decodeDaemon,
  decodeDestination,
  decodeService,
  decodeServiceKey,
  decodeTimeouts,
  destinationAttributes,
  ipvsRequests,
  serviceAttributes,
  timeoutAttributes,
  type IpvsRequest,
} from '../../../../src/ipvs/genl.js';
import { addressBytes } from '../../../../src/ipvs/address.js';
import { inetNtop } from '../../../../src/net/inet.js';
import { Attributes, concat, nested, u32, u64 } from '../../../../src/ipvs/nlattr.js';
import { resolverFromFiles } from '../../../../src/ipvs/ipvsadm/names.js';
import { runIpvsadm, type IpvsadmResult } from '../../../../src/ipvs/ipvsadm/run.js';
import type { Destination, DestinationKey, Info, IpvsClient, Service, ServiceKey, Stats, SyncDaemon, Timeouts } from '../../../../src/ipvs/types.js';

export interface OracleTable {
  readonly services: ReadonlyArray<{ readonly service: Service; readonly destinations: readonly Destination[] }>;
  readonly timeouts?: Timeouts;
  readonly daemons?: readonly SyncDaemon[];
}

export interface OracleRun extends IpvsadmResult {
  /** The table-changing requests sent, decoded to comparable values. */
  readonly requests: unknown[];
}

export interface OracleCase {
  readonly args: readonly string[];
  readonly table?: OracleTable;
  readonly stdin?: string;
  /** Every kernel request but GET_INFO fails with this errno. */
  readonly errno?: number;
  /** The content of /proc/net/ip_vs_conn; absent means the file cannot be opened. */
  readonly connections?: string;
}

const EMPTY: OracleTable = { services: [] };
const ERRNO_NAMES: Record<number, string> = { 1: 'EPERM', 2: 'ENOENT', 3: 'ESRCH', 12: 'ENOMEM', 17: 'EEXIST', 22: 'EINVAL', 34: 'ERANGE', 95: 'EOPNOTSUPP' };

/** Builds the preload library; null when this machine lacks ipvsadm, gcc or libnl. */
export function buildFakeKernel(): { library: string; cleanup: () => void } | null {
  if (!existsSync('/usr/sbin/ipvsadm')) return null;
  const dir = mkdtempSync(join(tmpdir(), 'ipvsadm-cli-oracle-'));
  const library = join(dir, 'fake-ipvs-kernel.so');
  try {
    const source = fileURLToPath(new URL('./fake-ipvs-kernel.c', import.meta.url));
    execFileSync('gcc', ['-shared', '-fPIC', '-O1', '-o', library, source], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return { library, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function statsNest(type: number, stats: Stats | undefined): Uint8Array[] {
  if (stats === undefined) return [];
  const s = stats;
  const values = [s.conns, s.inPackets, s.outPackets, s.inBytes, s.outBytes, s.cps, s.inPps, s.outPps, s.inBps, s.outBps];
  return [
    nested(
      type,
      values.map((v, i) => u64(IPVS_STATS_ATTR.CONNS + i, v)),
    ),
  ];
}

/** The fake kernel's KEY for a service: its naming attributes' payloads as libipvs sends them. */
function serviceKeyText(key: ServiceKey): string {
  const le16 = (v: number): string => hex(new Uint8Array([v & 0xff, v >> 8]));
  const le32 = (v: number): string => hex(new Uint8Array([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]));
  const af = le16(key.family === 'inet' ? AF_INET : AF_INET6);
  if ('fwmark' in key) return `${af}.${le32(key.fwmark)}.`;
  const protocol = { tcp: 6, udp: 17, sctp: 132 }[key.protocol];
  return `${af}.${le16(protocol)}.${hex(addressBytes(key.address, key.family))}.${hex(new Uint8Array([key.port >> 8, key.port & 0xff]))}.`;
}

/** The table as the fake kernel's state file: one dump reply per line. */
function stateFile(table: OracleTable): string {
  const lines: string[] = [];
  for (const { service, destinations } of table.services) {
    const key = serviceKeyText(service.key);
    const svc = nested(IPVS_CMD_ATTR.SERVICE, [...serviceAttributes(service), ...statsNest(IPVS_SVC_ATTR.STATS64, service.stats)]);
    lines.push(`S ${key} ${hex(svc)}`);
    for (const d of destinations) {
      const attrs = [
        ...destinationAttributes(d),
        u32(IPVS_DEST_ATTR.ACTIVE_CONNS, d.activeConns ?? 0),
        u32(IPVS_DEST_ATTR.INACT_CONNS, d.inactiveConns ?? 0),
        u32(IPVS_DEST_ATTR.PERSIST_CONNS, d.persistConns ?? 0),
        ...statsNest(IPVS_DEST_ATTR.STATS64, d.stats),
      ];
      lines.push(`D ${key} ${hex(nested(IPVS_CMD_ATTR.DEST, attrs))}`);
    }
  }
  lines.push(`T - ${hex(concat(timeoutAttributes(table.timeouts ?? { tcp: 900, tcpFin: 120, udp: 300 })))}`);
  for (const d of table.daemons ?? []) lines.push(`M - ${hex(nested(IPVS_CMD_ATTR.DAEMON, daemonAttributes(d)))}`);
  return `${lines.join('\n')}\n`;
}

const WRITE_COMMANDS = new Set<number>([
  IPVS_CMD.NEW_SERVICE,
  IPVS_CMD.SET_SERVICE,
  IPVS_CMD.DEL_SERVICE,
  IPVS_CMD.NEW_DEST,
  IPVS_CMD.SET_DEST,
  IPVS_CMD.DEL_DEST,
  IPVS_CMD.NEW_DAEMON,
  IPVS_CMD.DEL_DAEMON,
  IPVS_CMD.SET_CONFIG,
  IPVS_CMD.ZERO,
  IPVS_CMD.FLUSH,
]);

/**
 * A request as the kernel would understand it: what it names and what it sets. Attributes the
 * kernel ignores for the command (libipvs sends a whole service with a destination request, and
 * tunnel settings for every destination) are left out so that both sides compare equal.
 */
function understood(cmd: number, attrs: Attributes): unknown {
  const svc = attrs.nested(IPVS_CMD_ATTR.SERVICE);
  const dest = attrs.nested(IPVS_CMD_ATTR.DEST);
  const daemon = attrs.nested(IPVS_CMD_ATTR.DAEMON);
  const key = svc === undefined ? undefined : decodeServiceKey(svc);
  switch (cmd) {
    case IPVS_CMD.NEW_SERVICE:
    case IPVS_CMD.SET_SERVICE:
      return { cmd, service: svc === undefined ? undefined : decodeService(svc) };
    case IPVS_CMD.NEW_DEST:
    case IPVS_CMD.SET_DEST: {
      const d = dest === undefined || key === undefined ? undefined : decodeDestination(dest, key.family);
      return { cmd, key, destination: d === undefined ? undefined : { ...d, activeConns: undefined, inactiveConns: undefined, persistConns: undefined } };
    }
    case IPVS_CMD.DEL_DEST: {
      const family = dest?.u16(IPVS_DEST_ATTR.ADDR_FAMILY) === AF_INET6 ? 'inet6' : 'inet';
      const bytes = dest?.bytes(IPVS_DEST_ATTR.ADDR);
      const destination = bytes === undefined ? undefined : { family, address: inetNtop(bytes, family), port: dest?.be16(IPVS_DEST_ATTR.PORT) };
      return { cmd, key, destination };
    }
    case IPVS_CMD.NEW_DAEMON:
      return { cmd, daemon: daemon === undefined ? undefined : decodeDaemon(daemon) };
    case IPVS_CMD.DEL_DAEMON:
      return { cmd, state: daemon?.u32(1) };
    case IPVS_CMD.SET_CONFIG:
      return { cmd, timeouts: decodeTimeouts(attrs) };
    default:
      return { cmd, key };
  }
}

function understoodRequest(request: IpvsRequest): unknown {
  return understood(request.cmd, new Attributes(request.payload.subarray(4)));
}

/** Runs Debian's ipvsadm against the fake kernel. */
export function runReal(library: string, c: OracleCase): OracleRun {
  const dir = mkdtempSync(join(tmpdir(), 'ipvsadm-cli-run-'));
  try {
    const log = join(dir, 'requests');
    const state = join(dir, 'state');
    writeFileSync(state, stateFile(c.table ?? EMPTY));
    const connections = join(dir, 'ip_vs_conn');
    if (c.connections !== undefined) writeFileSync(connections, c.connections);
    const result = spawnSync('/usr/sbin/ipvsadm', [...c.args], {
      input: c.stdin ?? '',
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        LD_PRELOAD: library,
        FAKE_IPVS_LOG: log,
        FAKE_IPVS_STATE: state,
        ...(c.errno === undefined ? {} : { FAKE_IPVS_ERRNO: String(c.errno) }),
        FAKE_IPVS_CONN: connections,
      },
      argv0: 'ipvsadm',
    });
    const requests = existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => line.split(' '))
          .filter(([cmd]) => WRITE_COMMANDS.has(Number(cmd)))
          .map(([cmd, , payload]) => understood(Number(cmd), new Attributes(Buffer.from(payload ?? '', 'hex'))))
      : [];
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, requests };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An IpvsClient that serves a fixed table and records, without applying, what it is asked to change. */
export class StaticIpvsClient implements IpvsClient {
  readonly requests: IpvsRequest[] = [];
  constructor(
    private readonly table: OracleTable,
    private readonly errno?: number,
  ) {}

  private check(operation: IpvsOperation): void {
    if (this.errno !== undefined) throw kernelError(ERRNO_NAMES[this.errno] ?? this.errno, operation);
  }

  private record(operation: IpvsOperation, request: IpvsRequest): Promise<void> {
    this.requests.push(request);
    this.check(operation);
    return Promise.resolve();
  }

  async info(): Promise<Info> {
    return { version: '1.2.1', connTableSize: 4096 };
  }
  async services(): Promise<Service[]> {
    this.check('list-services');
    return this.table.services.map((e) => e.service);
  }
  async service(key: ServiceKey): Promise<Service> {
    this.check('get-service');
    const found = this.table.services.find((e) => serviceKeyText(e.service.key) === serviceKeyText(key));
    if (found === undefined) throw kernelError('ESRCH', 'get-service');
    return found.service;
  }
  async destinations(key: ServiceKey): Promise<Destination[]> {
    this.check('list-destinations');
    return [...(this.table.services.find((e) => serviceKeyText(e.service.key) === serviceKeyText(key))?.destinations ?? [])];
  }
  addService(service: Service): Promise<void> {
    return this.record('add-service', ipvsRequests.addService(service));
  }
  editService(service: Service): Promise<void> {
    return this.record('edit-service', ipvsRequests.editService(service));
  }
  deleteService(key: ServiceKey): Promise<void> {
    return this.record('delete-service', ipvsRequests.deleteService(key));
  }
  addDestination(key: ServiceKey, destination: Destination): Promise<void> {
    return this.record('add-destination', ipvsRequests.addDestination(key, destination));
  }
  editDestination(key: ServiceKey, destination: Destination): Promise<void> {
    return this.record('edit-destination', ipvsRequests.editDestination(key, destination));
  }
  deleteDestination(key: ServiceKey, destination: DestinationKey): Promise<void> {
    return this.record('delete-destination', ipvsRequests.deleteDestination(key, destination));
  }
  flush(): Promise<void> {
    return this.record('flush', ipvsRequests.flush());
  }
  zero(key?: ServiceKey): Promise<void> {
    return this.record('zero', ipvsRequests.zero(key));
  }
  async timeouts(): Promise<Timeouts> {
    this.check('get-timeouts');
    return this.table.timeouts ?? { tcp: 900, tcpFin: 120, udp: 300 };
  }
  setTimeouts(timeouts: Timeouts): Promise<void> {
    return this.record('set-timeouts', ipvsRequests.setTimeouts(timeouts));
  }
  async daemons(): Promise<SyncDaemon[]> {
    this.check('list-daemons');
    return [...(this.table.daemons ?? [])];
  }
  startDaemon(daemon: SyncDaemon): Promise<void> {
    return this.record('start-daemon', ipvsRequests.startDaemon(daemon));
  }
  stopDaemon(state: SyncDaemon['state']): Promise<void> {
    return this.record('stop-daemon', ipvsRequests.stopDaemon(state));
  }
  close(): void {}
}

/** The names this machine's ipvsadm sees: its /etc/hosts and /etc/services. */
export const machineNames = resolverFromFiles(existsSync('/etc/hosts') ? readFileSync('/etc/hosts', 'utf8') : '', existsSync('/etc/services') ? readFileSync('/etc/services', 'utf8') : '');

/** Runs ipvsadm-ts over a StaticIpvsClient serving the same table. */
export async function runOurs(c: OracleCase): Promise<OracleRun> {
  const client = new StaticIpvsClient(c.table ?? EMPTY, c.errno);
  const result = await runIpvsadm(c.args, {
    openClient: async () => client,
    names: machineNames,
    program: 'ipvsadm',
    readStdin: async () => c.stdin ?? '',
    readConnectionTable: async () => c.connections ?? null,
  });
  return { ...result, requests: client.requests.map(understoodRequest) };
}
