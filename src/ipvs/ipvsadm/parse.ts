/**
 * ipvsadm's command line, read the way ipvsadm 1.31 reads it (parse_options and the checks of
 * process_options): options act in the order given, the first problem ends the run with
 * ipvsadm's own message and exit status.
 */
import type { Destination, Family, ForwardMethod, Protocol, Service, ServiceKey, SyncDaemon, Timeouts } from '../types.js';
import { formatInet4, inetNtop6, inetPton4, inetPton6 } from '../../net/inet.js';
import { MAX_TIMEOUT, SERVICE_ADDR, isMulticastV6, parseNetmask, parseSchedFlags, parseServiceAddress, parseTimeout } from './arguments.js';
import { NO_FORMAT, SVC_F_ONEPACKET, SVC_F_PERSISTENT, SVC_F_SCHED1, SVC_F_SCHED2, SVC_F_SCHED3, TUN_F_CSUM, TUN_F_REMCSUM } from './command.js';
import type { IpvsadmCommand, ListFormat } from './command.js';
import { IpvsadmExit, fail } from './exit.js';
import type { NameResolver } from './names.js';
import { atoi, parseFwmarkValue, stringToNumber } from './numbers.js';
import { OPTION_TABLE, TUNNEL_TYPES, checkCommandOptions, checkTunnelOptions } from './options.js';
import type { CommandName, OptionName, TunnelTypeName } from './options.js';
import { PoptScanner } from './popt.js';
import { VERSION_LINE, tryHelpText, usageText } from './usage.js';

/** The service fields as ipvsadm's ipvs_service_t holds them while options accumulate. */
interface ServiceDraft {
  family: Family | null;
  protocol: Protocol;
  address: string;
  port: number;
  fwmark: number;
  scheduler: string;
  flags: number;
  timeout: number;
  /** An IPv4 mask as a host-order number, or an IPv6 prefix length: ipvsadm keeps both in one field. */
  netmask: number;
  pe: string;
}

interface DestinationDraft {
  family: Family | null;
  address: string;
  port: number;
  forward: ForwardMethod;
  weight: number;
  upperThreshold: number;
  lowerThreshold: number;
  tunnelType: TunnelTypeName;
  tunnelPort: number;
  tunnelFlags: number;
}

/** The options that only change how a listing looks: the option's name and its format bit. */
const FORMAT_OPTIONS: Partial<Record<string, [OptionName, keyof ListFormat]>> = {
  n: ['numeric', 'numeric'],
  stats: ['stats', 'stats'],
  rate: ['rate', 'rate'],
  thresholds: ['thresholds', 'thresholds'],
  'persistent-conn': ['persistent-conn', 'persistentConn'],
  nosort: ['nosort', 'nosort'],
  X: ['exact', 'exact'],
  'tun-info': ['tun-info', 'tunInfo'],
};

const FIRST_OPTION_COMMANDS: Partial<Record<string, CommandName>> = {
  A: 'add-service',
  E: 'edit-service',
  D: 'delete-service',
  a: 'add-server',
  e: 'edit-server',
  d: 'delete-server',
  C: 'flush',
  L: 'list',
  Z: 'zero',
  set: 'set',
  R: 'restore',
  S: 'save',
  'start-daemon': 'start-daemon',
  'stop-daemon': 'stop-daemon',
};

function serviceKey(svc: ServiceDraft): ServiceKey {
  const family = svc.family ?? 'inet';
  return svc.fwmark !== 0 ? { family, fwmark: svc.fwmark } : { family, protocol: svc.protocol, address: svc.address, port: svc.port };
}

function zeroAddress(family: Family | null): string {
  return family === 'inet6' ? '::' : '0.0.0.0';
}

/**
 * Reads one ipvsadm command line (without the program name). Returns the command to carry out,
 * or throws IpvsadmExit with exactly what ipvsadm would print and its exit status. The steps are
 * parse_options' (the first option names the command, the others fill the drafts in order) and
 * then process_options' checks.
 */
export function parseIpvsadmArgs(args: readonly string[], program: string, names: NameResolver): IpvsadmCommand {
  const scanner = new PoptScanner(OPTION_TABLE, args);
  const d = newDraft(scanner, program, names);
  for (;;) {
    const step = scanner.nextOption();
    if (step.kind === 'end') break;
    if (step.kind === 'error') throw new IpvsadmExit(255, { stderr: `${step.badOption}: ${step.error}\n` });
    const arg = step.arg ?? '';
    const handled = serviceOption(d, step.tag, arg, step.arg) || destinationOption(d, step.tag, arg) || daemonOption(d, step.tag, arg) || listOption(d, step.tag) || formatOption(d, step.tag);
    if (!handled) fail(`invalid option \`${scanner.badOption()}'`);
  }
  const timeouts = d.command === 'set' ? readTimeouts(scanner) : null;
  const extra = scanner.leftover();
  if (extra !== null) fail(`unexpected argument ${extra}`);
  if (d.schedFlagsText !== '') {
    d.svc.flags &= ~(SVC_F_SCHED1 | SVC_F_SCHED2 | SVC_F_SCHED3);
    d.svc.flags |= parseSchedFlags(d.svc.scheduler, d.schedFlagsText);
  }
  checkDraft(d);
  return commandOf(d, timeouts);
}

interface DaemonDraft {
  ifname: string;
  syncId: number;
  maxLen: number;
  group: string | null;
  port: number;
  ttl: number;
}

/** Everything one command line sets, as parse_options accumulates it. */
interface Draft {
  readonly command: CommandName;
  readonly names: NameResolver;
  readonly svc: ServiceDraft;
  readonly dest: DestinationDraft;
  readonly daemon: DaemonDraft;
  daemonState: SyncDaemon['state'];
  readonly given: Set<OptionName>;
  readonly format: { -readonly [K in keyof ListFormat]: boolean };
  schedFlagsText: string;
}

/** The first option names the command (or asks for help or the version); the drafts start with ipvsadm's defaults. */
function newDraft(scanner: PoptScanner, program: string, names: NameResolver): Draft {
  const first = scanner.nextOption();
  if (first.kind !== 'option') throw new IpvsadmExit(255, { stderr: tryHelpText(program) });
  if (first.tag === 'h') throw new IpvsadmExit(0, { stdout: usageText(program) });
  if (first.tag === 'v') throw new IpvsadmExit(0, { stdout: VERSION_LINE });
  const command = FIRST_OPTION_COMMANDS[first.tag];
  if (command === undefined) throw new IpvsadmExit(255, { stderr: tryHelpText(program) });
  let daemonState: SyncDaemon['state'] = 'master';
  if (command === 'start-daemon' || command === 'stop-daemon') {
    if (first.arg === 'master') daemonState = 'master';
    else if (first.arg === 'backup') daemonState = 'backup';
    else fail(command === 'start-daemon' ? 'illegal start-daemon parameter specified' : 'illegal start_daemon specified');
  }
  return {
    command,
    names,
    svc: { family: null, protocol: 'tcp', address: '0.0.0.0', port: 0, fwmark: 0, scheduler: '', flags: 0, timeout: 0, netmask: 0xffffffff, pe: '' },
    dest: {
      family: null,
      address: '0.0.0.0',
      port: 0,
      forward: 'route',
      weight: 1,
      upperThreshold: 0,
      lowerThreshold: 0,
      tunnelType: 'ipip',
      tunnelPort: 0,
      tunnelFlags: 0,
    },
    daemon: { ifname: '', syncId: 0, maxLen: 0, group: null, port: 0, ttl: 0 },
    daemonState,
    given: new Set<OptionName>(),
    format: { ...NO_FORMAT },
    schedFlagsText: '',
  };
}

/** ipvsadm refuses an option given twice. */
function setOption(d: Draft, option: OptionName): void {
  if (d.given.has(option)) fail(`multiple '${option}' options specified`);
  d.given.add(option);
}

/** -t/-u/--sctp-service/-f, -s, -p, -M, -6, -o, --pe, -b: the virtual service. */
function serviceOption(d: Draft, tag: string, arg: string, raw: string | null): boolean {
  switch (tag) {
    case 't':
    case 'u':
    case 'sctp-service': {
      setOption(d, 'service-address');
      d.svc.protocol = tag === 't' ? 'tcp' : tag === 'u' ? 'udp' : 'sctp';
      if (!(parseServiceAddress(arg, d.svc, d.names) & SERVICE_ADDR)) fail('illegal virtual server address[:port] specified');
      return true;
    }
    case 'f': {
      setOption(d, 'service-address');
      d.svc.family = 'inet';
      d.svc.protocol = 'tcp';
      const mark = parseFwmarkValue(arg);
      if (mark === null) fail(`invalid fwmark value \`${arg}' specified`);
      d.svc.fwmark = mark;
      return true;
    }
    case 's':
      setOption(d, 'scheduler');
      d.svc.scheduler = arg.slice(0, 15);
      return true;
    case 'p':
      setOption(d, 'persistent');
      d.svc.flags |= SVC_F_PERSISTENT;
      d.svc.timeout = parseTimeout(raw, 1, MAX_TIMEOUT);
      return true;
    case 'M':
      setOption(d, 'netmask');
      if (d.svc.family !== 'inet6') {
        const mask = parseNetmask(arg, d.names);
        if (mask === null) fail('illegal virtual server persistent mask specified');
        d.svc.netmask = mask;
      } else {
        d.svc.netmask = atoi(arg);
        if (d.svc.netmask < 1 || d.svc.netmask > 128) fail('illegal ipv6 netmask specified');
      }
      return true;
    case '6':
      if (d.svc.fwmark === 0) fail('-6 used before -f\n');
      d.svc.family = 'inet6';
      d.svc.netmask = 128;
      return true;
    case 'o':
      setOption(d, 'ops');
      d.svc.flags |= SVC_F_ONEPACKET;
      return true;
    case 'pe':
      setOption(d, 'pe');
      d.svc.pe = arg.slice(0, 16);
      return true;
    case 'b':
      setOption(d, 'sched-flags');
      d.schedFlagsText = arg.slice(0, 127);
      return true;
    default:
      return false;
  }
}

/** -r, -i/-g/-m, -w, -x, -y, --tun-*: the real server. */
function destinationOption(d: Draft, tag: string, arg: string): boolean {
  switch (tag) {
    case 'r': {
      setOption(d, 'real-server');
      const target = { family: d.svc.family, address: d.svc.address, port: d.svc.port, protocol: d.svc.protocol };
      const parsed = parseServiceAddress(arg, target, d.names);
      d.dest.family = target.family;
      d.dest.address = target.address;
      d.dest.port = target.port;
      if (!(parsed & SERVICE_ADDR)) fail('illegal real server address[:port] specified');
      if (parsed === SERVICE_ADDR) d.dest.port = d.svc.port;
      return true;
    }
    case 'i':
      setOption(d, 'forwarding-method');
      d.dest.forward = 'tunnel';
      return true;
    case 'g':
      setOption(d, 'forwarding-method');
      d.dest.forward = 'route';
      return true;
    case 'm':
      setOption(d, 'forwarding-method');
      d.dest.forward = 'masq';
      return true;
    case 'w':
      setOption(d, 'weight');
      // Debian patches ipvsadm 1.31 to take weights up to INT_MAX (upstream stops at 65535).
      d.dest.weight = stringToNumber(arg, 0, 0x7fffffff);
      if (d.dest.weight === -1) fail('illegal weight specified');
      return true;
    case 'x':
      setOption(d, 'u-threshold');
      d.dest.upperThreshold = stringToNumber(arg, 0, 0x7fffffff);
      if (d.dest.upperThreshold === -1) fail('illegal u_threshold specified');
      return true;
    case 'y':
      setOption(d, 'l-threshold');
      d.dest.lowerThreshold = stringToNumber(arg, 0, 0x7fffffff);
      if (d.dest.lowerThreshold === -1) fail('illegal l_threshold specified');
      return true;
    case 'tun-type': {
      setOption(d, 'tun-type');
      const type = TUNNEL_TYPES.find((t) => t === arg);
      if (type === undefined) fail('illegal tunnel type specified');
      d.dest.tunnelType = type;
      return true;
    }
    case 'tun-port':
      setOption(d, 'tun-port');
      d.dest.tunnelPort = stringToNumber(arg, 1, 65535);
      if (d.dest.tunnelPort === -1) fail('illegal tunnel port specified');
      return true;
    case 'tun-nocsum':
      setOption(d, 'tun-nocsum');
      return true;
    case 'tun-csum':
      setOption(d, 'tun-csum');
      d.dest.tunnelFlags |= TUN_F_CSUM;
      return true;
    case 'tun-remcsum':
      setOption(d, 'tun-remcsum');
      d.dest.tunnelFlags |= TUN_F_REMCSUM;
      return true;
    default:
      return false;
  }
}

/** --mcast-*, --syncid, --sync-maxlen: the connection sync daemon. */
function daemonOption(d: Draft, tag: string, arg: string): boolean {
  switch (tag) {
    case 'mcast-interface':
      setOption(d, 'mcast-interface');
      d.daemon.ifname = arg.slice(0, 15);
      return true;
    case 'syncid':
      setOption(d, 'syncid');
      d.daemon.syncId = stringToNumber(arg, 0, 255);
      if (d.daemon.syncId === -1) fail('illegal syncid specified');
      return true;
    case 'mcast-group': {
      setOption(d, 'mcast-group');
      if (arg.includes(':')) {
        const bytes = inetPton6(arg);
        if (bytes === null || !isMulticastV6(bytes)) fail(`invalid IPv6 mcast-group \`${arg}'`);
        d.daemon.group = inetNtop6(bytes);
      } else {
        const v4 = inetPton4(arg);
        if (v4 === null || v4 >>> 28 !== 0xe) fail(`invalid IPv4 mcast-group \`${arg}'`);
        d.daemon.group = formatInet4(v4);
      }
      return true;
    }
    case 'mcast-port':
      setOption(d, 'mcast-port');
      d.daemon.port = stringToNumber(arg, 1, 65535);
      if (d.daemon.port === -1) fail('illegal mcast-port specified');
      return true;
    case 'mcast-ttl':
      setOption(d, 'mcast-ttl');
      d.daemon.ttl = stringToNumber(arg, 1, 255);
      if (d.daemon.ttl === -1) fail('illegal mcast-ttl specified');
      return true;
    case 'sync-maxlen':
      setOption(d, 'sync-maxlen');
      d.daemon.maxLen = stringToNumber(arg, 1, 65535 - 20 - 8);
      if (d.daemon.maxLen === -1) fail('illegal sync-maxlen specified');
      return true;
    default:
      return false;
  }
}

/** -c, --timeout, --daemon, --sort: what a listing shows (--sort is the only order ipvsadm has). */
function listOption(d: Draft, tag: string): boolean {
  switch (tag) {
    case 'c':
      setOption(d, 'connection');
      return true;
    case 'timeout':
      setOption(d, 'timeout');
      return true;
    case 'daemon':
      setOption(d, 'daemon');
      return true;
    case 'sort':
      return true;
    default:
      return false;
  }
}

/** -n, --stats, --rate, --thresholds, --persistent-conn, --nosort, -X, --tun-info: how a listing looks. */
function formatOption(d: Draft, tag: string): boolean {
  const option = FORMAT_OPTIONS[tag];
  if (option === undefined) return false;
  setOption(d, option[0]);
  d.format[option[1]] = true;
  return true;
}

/** --set TCP TCPFIN UDP: the three timeouts after the options. */
function readTimeouts(scanner: PoptScanner): Timeouts {
  const tcp = scanner.leftover();
  const tcpFin = tcp === null ? null : scanner.leftover();
  const udp = tcpFin === null ? null : scanner.leftover();
  if (tcp === null || tcpFin === null || udp === null) fail('--set option requires 3 timeout values');
  return { tcp: parseTimeout(tcp, 0, MAX_TIMEOUT), tcpFin: parseTimeout(tcpFin, 0, MAX_TIMEOUT), udp: parseTimeout(udp, 0, MAX_TIMEOUT) };
}

/** process_options' checks: options the command does not take, then the service and server rules. */
function checkDraft({ command, given, svc, dest }: Draft): void {
  const problem = checkCommandOptions(command, given);
  if (problem !== null) fail(problem);

  if (command === 'add-service' || command === 'edit-service') {
    if (svc.fwmark === 0 && svc.port === 0 && !(svc.flags & SVC_F_PERSISTENT)) fail('Zero port specified for non-persistent service');
    if (svc.flags & SVC_F_ONEPACKET && svc.fwmark === 0 && svc.protocol !== 'udp') fail('One-Packet Scheduling is only for UDP virtual services');
    if (svc.scheduler === '') svc.scheduler = 'wlc';
  }

  if (command === 'add-server' || command === 'edit-server') {
    if (svc.fwmark === 0 && (dest.forward === 'tunnel' || dest.forward === 'route')) dest.port = svc.port;
    if (dest.family !== svc.family && dest.forward !== 'tunnel') fail('Different address family is allowed only for tunneling servers');
    const tunnelOptionGiven = (['tun-type', 'tun-port', 'tun-nocsum', 'tun-csum', 'tun-remcsum'] as const).some((o) => given.has(o));
    if (tunnelOptionGiven && dest.forward !== 'tunnel') fail('Tunnel options conflict with forward method');
    const tunnelProblem = checkTunnelOptions(dest.tunnelType, given);
    if (tunnelProblem !== null) fail(tunnelProblem);
  }
}

/** The command to carry out, from the finished drafts. */
function commandOf({ command, given, format, svc, dest, daemon, daemonState }: Draft, timeouts: Timeouts | null): IpvsadmCommand {
  switch (command) {
    case 'list': {
      if (
        ((given.has('connection') || given.has('timeout') || given.has('daemon')) && (format.stats || format.rate || format.thresholds)) ||
        ((given.has('timeout') || given.has('daemon')) && format.persistentConn)
      ) {
        fail('options conflicts in the list command');
      }
      if (given.has('connection')) return { command, what: 'connections', format };
      if (given.has('service-address')) return { command, what: 'service', key: serviceKey(svc), format };
      return { command, what: given.has('timeout') ? 'timeout' : given.has('daemon') ? 'daemon' : 'all', format };
    }
    case 'restore':
      return { command };
    case 'save':
      return { command, format: { ...format, rule: true } };
    case 'flush':
      return { command };
    case 'add-service':
    case 'edit-service':
      return { command, service: buildService(svc) };
    case 'delete-service':
      return { command, key: serviceKey(svc) };
    case 'zero': {
      const everything = svc.fwmark === 0 && svc.port === 0 && (svc.family === null || svc.address === zeroAddress(svc.family));
      return everything ? { command } : { command, key: serviceKey(svc) };
    }
    case 'add-server':
    case 'edit-server':
      return { command, key: serviceKey(svc), destination: buildDestination(dest) };
    case 'delete-server':
      return { command, key: serviceKey(svc), destination: { family: dest.family ?? 'inet', address: dest.address, port: dest.port } };
    case 'set':
      return { command, timeouts: timeouts ?? fail('--set option requires 3 timeout values') };
    case 'start-daemon':
      return {
        command,
        daemon: {
          state: daemonState,
          mcastInterface: daemon.ifname === '' ? 'eth0' : daemon.ifname,
          syncId: daemon.syncId,
          ...(daemon.maxLen ? { maxLen: daemon.maxLen } : {}),
          ...(daemon.group !== null ? { group: daemon.group } : {}),
          ...(daemon.port ? { port: daemon.port } : {}),
          ...(daemon.ttl ? { ttl: daemon.ttl } : {}),
        },
      };
    case 'stop-daemon':
      return { command, state: daemonState };
  }
}

function buildService(svc: ServiceDraft): Service {
  const family = svc.family ?? 'inet';
  return {
    key: serviceKey(svc),
    scheduler: svc.scheduler,
    flags: svc.flags,
    timeout: svc.timeout,
    netmask: family === 'inet6' ? svc.netmask : formatInet4(svc.netmask >>> 0),
    ...(svc.pe !== '' ? { pe: svc.pe } : {}),
  };
}

function buildDestination(dest: DestinationDraft): Destination {
  return {
    family: dest.family ?? 'inet',
    address: dest.address,
    port: dest.port,
    forward: dest.forward,
    weight: dest.weight,
    upperThreshold: dest.upperThreshold,
    lowerThreshold: dest.lowerThreshold,
    ...(dest.forward === 'tunnel' ? { tunnelType: dest.tunnelType, tunnelPort: dest.tunnelPort, tunnelFlags: dest.tunnelFlags } : {}),
  };
}
