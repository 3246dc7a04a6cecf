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
 * or throws IpvsadmExit with exactly what ipvsadm would print and its exit status.
 */
export function parseIpvsadmArgs(args: readonly string[], program: string, names: NameResolver): IpvsadmCommand {
  const scanner = new PoptScanner(OPTION_TABLE, args);
  const first = scanner.nextOption();
  if (first.kind !== 'option') throw new IpvsadmExit(255, { stderr: tryHelpText(program) });
  if (first.tag === 'h') throw new IpvsadmExit(0, { stdout: usageText(program) });
  if (first.tag === 'v') throw new IpvsadmExit(0, { stdout: VERSION_LINE });
  const command = FIRST_OPTION_COMMANDS[first.tag];
  if (command === undefined) throw new IpvsadmExit(255, { stderr: tryHelpText(program) });

  const svc: ServiceDraft = {
    family: null,
    protocol: 'tcp',
    address: '0.0.0.0',
    port: 0,
    fwmark: 0,
    scheduler: '',
    flags: 0,
    timeout: 0,
    netmask: 0xffffffff,
    pe: '',
  };
  const dest: DestinationDraft = {
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
  };
  let daemonState: SyncDaemon['state'] = 'master';
  const daemon: { ifname: string; syncId: number; maxLen: number; group: string | null; port: number; ttl: number } = {
    ifname: '',
    syncId: 0,
    maxLen: 0,
    group: null,
    port: 0,
    ttl: 0,
  };
  const given = new Set<OptionName>();
  const format: { -readonly [K in keyof ListFormat]: boolean } = { ...NO_FORMAT };
  let schedFlagsText = '';

  const setOption = (option: OptionName): void => {
    if (given.has(option)) fail(`multiple '${option}' options specified`);
    given.add(option);
  };

  if (command === 'start-daemon' || command === 'stop-daemon') {
    if (first.arg === 'master') daemonState = 'master';
    else if (first.arg === 'backup') daemonState = 'backup';
    else fail(command === 'start-daemon' ? 'illegal start-daemon parameter specified' : 'illegal start_daemon specified');
  }

  for (;;) {
    const step = scanner.nextOption();
    if (step.kind === 'end') break;
    if (step.kind === 'error') throw new IpvsadmExit(255, { stderr: `${step.badOption}: ${step.error}\n` });
    const arg = step.arg ?? '';
    switch (step.tag) {
      case 't':
      case 'u':
      case 'sctp-service': {
        setOption('service-address');
        svc.protocol = step.tag === 't' ? 'tcp' : step.tag === 'u' ? 'udp' : 'sctp';
        if (!(parseServiceAddress(arg, svc, names) & SERVICE_ADDR)) fail('illegal virtual server address[:port] specified');
        break;
      }
      case 'f': {
        setOption('service-address');
        svc.family = 'inet';
        svc.protocol = 'tcp';
        const mark = parseFwmarkValue(arg);
        if (mark === null) fail(`invalid fwmark value \`${arg}' specified`);
        svc.fwmark = mark;
        break;
      }
      case 's':
        setOption('scheduler');
        svc.scheduler = arg.slice(0, 15);
        break;
      case 'p':
        setOption('persistent');
        svc.flags |= SVC_F_PERSISTENT;
        svc.timeout = parseTimeout(step.arg, 1, MAX_TIMEOUT);
        break;
      case 'M':
        setOption('netmask');
        if (svc.family !== 'inet6') {
          const mask = parseNetmask(arg, names);
          if (mask === null) fail('illegal virtual server persistent mask specified');
          svc.netmask = mask;
        } else {
          svc.netmask = atoi(arg);
          if (svc.netmask < 1 || svc.netmask > 128) fail('illegal ipv6 netmask specified');
        }
        break;
      case 'r': {
        setOption('real-server');
        const target = { family: svc.family, address: svc.address, port: svc.port, protocol: svc.protocol };
        const parsed = parseServiceAddress(arg, target, names);
        dest.family = target.family;
        dest.address = target.address;
        dest.port = target.port;
        if (!(parsed & SERVICE_ADDR)) fail('illegal real server address[:port] specified');
        if (parsed === SERVICE_ADDR) dest.port = svc.port;
        break;
      }
      case 'i':
        setOption('forwarding-method');
        dest.forward = 'tunnel';
        break;
      case 'g':
        setOption('forwarding-method');
        dest.forward = 'route';
        break;
      case 'm':
        setOption('forwarding-method');
        dest.forward = 'masq';
        break;
      case 'w':
        setOption('weight');
        // Debian patches ipvsadm 1.31 to take weights up to INT_MAX (upstream stops at 65535).
        dest.weight = stringToNumber(arg, 0, 0x7fffffff);
        if (dest.weight === -1) fail('illegal weight specified');
        break;
      case 'x':
        setOption('u-threshold');
        dest.upperThreshold = stringToNumber(arg, 0, 0x7fffffff);
        if (dest.upperThreshold === -1) fail('illegal u_threshold specified');
        break;
      case 'y':
        setOption('l-threshold');
        dest.lowerThreshold = stringToNumber(arg, 0, 0x7fffffff);
        if (dest.lowerThreshold === -1) fail('illegal l_threshold specified');
        break;
      case 'c':
        setOption('connection');
        break;
      case 'mcast-interface':
        setOption('mcast-interface');
        daemon.ifname = arg.slice(0, 15);
        break;
      case 'syncid':
        setOption('syncid');
        daemon.syncId = stringToNumber(arg, 0, 255);
        if (daemon.syncId === -1) fail('illegal syncid specified');
        break;
      case 'timeout':
        setOption('timeout');
        break;
      case 'daemon':
        setOption('daemon');
        break;
      case 'sort':
        break;
      case '6':
        if (svc.fwmark === 0) fail('-6 used before -f\n');
        svc.family = 'inet6';
        svc.netmask = 128;
        break;
      case 'o':
        setOption('ops');
        svc.flags |= SVC_F_ONEPACKET;
        break;
      case 'pe':
        setOption('pe');
        svc.pe = arg.slice(0, 16);
        break;
      case 'b':
        setOption('sched-flags');
        schedFlagsText = arg.slice(0, 127);
        break;
      case 'mcast-group': {
        setOption('mcast-group');
        if (arg.includes(':')) {
          const bytes = inetPton6(arg);
          if (bytes === null || !isMulticastV6(bytes)) fail(`invalid IPv6 mcast-group \`${arg}'`);
          daemon.group = inetNtop6(bytes);
        } else {
          const v4 = inetPton4(arg);
          if (v4 === null || v4 >>> 28 !== 0xe) fail(`invalid IPv4 mcast-group \`${arg}'`);
          daemon.group = formatInet4(v4);
        }
        break;
      }
      case 'mcast-port':
        setOption('mcast-port');
        daemon.port = stringToNumber(arg, 1, 65535);
        if (daemon.port === -1) fail('illegal mcast-port specified');
        break;
      case 'mcast-ttl':
        setOption('mcast-ttl');
        daemon.ttl = stringToNumber(arg, 1, 255);
        if (daemon.ttl === -1) fail('illegal mcast-ttl specified');
        break;
      case 'sync-maxlen':
        setOption('sync-maxlen');
        daemon.maxLen = stringToNumber(arg, 1, 65535 - 20 - 8);
        if (daemon.maxLen === -1) fail('illegal sync-maxlen specified');
        break;
      case 'tun-type': {
        setOption('tun-type');
        const type = TUNNEL_TYPES.find((t) => t === arg);
        if (type === undefined) fail('illegal tunnel type specified');
        dest.tunnelType = type;
        break;
      }
      case 'tun-port':
        setOption('tun-port');
        dest.tunnelPort = stringToNumber(arg, 1, 65535);
        if (dest.tunnelPort === -1) fail('illegal tunnel port specified');
        break;
      case 'tun-nocsum':
        setOption('tun-nocsum');
        break;
      case 'tun-csum':
        setOption('tun-csum');
        dest.tunnelFlags |= TUN_F_CSUM;
        break;
      case 'tun-remcsum':
        setOption('tun-remcsum');
        dest.tunnelFlags |= TUN_F_REMCSUM;
        break;
      default: {
        const formatOption = FORMAT_OPTIONS[step.tag];
        if (formatOption === undefined) fail(`invalid option \`${scanner.badOption()}'`);
        setOption(formatOption[0]);
        format[formatOption[1]] = true;
      }
    }
  }

  let timeouts: Timeouts | null = null;
  if (command === 'set') {
    const tcp = scanner.leftover();
    const tcpFin = tcp === null ? null : scanner.leftover();
    const udp = tcpFin === null ? null : scanner.leftover();
    if (tcp === null || tcpFin === null || udp === null) fail('--set option requires 3 timeout values');
    timeouts = { tcp: parseTimeout(tcp, 0, MAX_TIMEOUT), tcpFin: parseTimeout(tcpFin, 0, MAX_TIMEOUT), udp: parseTimeout(udp, 0, MAX_TIMEOUT) };
  }
  const extra = scanner.leftover();
  if (extra !== null) fail(`unexpected argument ${extra}`);
  if (schedFlagsText !== '') {
    svc.flags &= ~(SVC_F_SCHED1 | SVC_F_SCHED2 | SVC_F_SCHED3);
    svc.flags |= parseSchedFlags(svc.scheduler, schedFlagsText);
  }

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
