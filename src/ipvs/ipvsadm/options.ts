/**
 * ipvsadm 1.31's vocabulary: its popt option table, the names its messages use for commands
 * and options, and its table of which options each command requires, allows or forbids.
 */
import type { OptionSpec } from './popt.js';

export const OPTION_TABLE: readonly OptionSpec[] = [
  { long: 'add-service', short: 'A', arg: 'none', tag: 'A' },
  { long: 'edit-service', short: 'E', arg: 'none', tag: 'E' },
  { long: 'delete-service', short: 'D', arg: 'none', tag: 'D' },
  { long: 'clear', short: 'C', arg: 'none', tag: 'C' },
  { long: 'list', short: 'L', arg: 'none', tag: 'L' },
  { long: 'list', short: 'l', arg: 'none', tag: 'L' },
  { long: 'zero', short: 'Z', arg: 'none', tag: 'Z' },
  { long: 'add-server', short: 'a', arg: 'none', tag: 'a' },
  { long: 'edit-server', short: 'e', arg: 'none', tag: 'e' },
  { long: 'delete-server', short: 'd', arg: 'none', tag: 'd' },
  { long: 'set', arg: 'none', tag: 'set' },
  { long: 'help', short: 'h', arg: 'none', tag: 'h' },
  { long: 'version', short: 'v', arg: 'none', tag: 'v' },
  { long: 'restore', short: 'R', arg: 'none', tag: 'R' },
  { long: 'save', short: 'S', arg: 'none', tag: 'S' },
  { long: 'start-daemon', arg: 'string', tag: 'start-daemon' },
  { long: 'stop-daemon', arg: 'string', tag: 'stop-daemon' },
  { long: 'tcp-service', short: 't', arg: 'string', tag: 't' },
  { long: 'udp-service', short: 'u', arg: 'string', tag: 'u' },
  { long: 'sctp-service', arg: 'string', tag: 'sctp-service' },
  { long: 'fwmark-service', short: 'f', arg: 'string', tag: 'f' },
  { long: 'scheduler', short: 's', arg: 'string', tag: 's' },
  { long: 'persistent', short: 'p', arg: 'optional', tag: 'p' },
  { long: 'netmask', short: 'M', arg: 'string', tag: 'M' },
  { long: 'real-server', short: 'r', arg: 'string', tag: 'r' },
  { long: 'masquerading', short: 'm', arg: 'none', tag: 'm' },
  { long: 'ipip', short: 'i', arg: 'none', tag: 'i' },
  { long: 'gatewaying', short: 'g', arg: 'none', tag: 'g' },
  { long: 'weight', short: 'w', arg: 'string', tag: 'w' },
  { long: 'u-threshold', short: 'x', arg: 'string', tag: 'x' },
  { long: 'l-threshold', short: 'y', arg: 'string', tag: 'y' },
  { long: 'numeric', short: 'n', arg: 'none', tag: 'n' },
  { long: 'connection', short: 'c', arg: 'none', tag: 'c' },
  { long: 'mcast-interface', arg: 'string', tag: 'mcast-interface' },
  { long: 'syncid', arg: 'string', tag: 'syncid' },
  { long: 'timeout', arg: 'none', tag: 'timeout' },
  { long: 'daemon', arg: 'none', tag: 'daemon' },
  { long: 'stats', arg: 'none', tag: 'stats' },
  { long: 'rate', arg: 'none', tag: 'rate' },
  { long: 'thresholds', arg: 'none', tag: 'thresholds' },
  { long: 'persistent-conn', arg: 'none', tag: 'persistent-conn' },
  { long: 'nosort', arg: 'none', tag: 'nosort' },
  { long: 'sort', arg: 'none', tag: 'sort' },
  { long: 'exact', short: 'X', arg: 'none', tag: 'X' },
  { long: 'ipv6', short: '6', arg: 'none', tag: '6' },
  { long: 'ops', short: 'o', arg: 'none', tag: 'o' },
  { long: 'pe', arg: 'string', tag: 'pe' },
  { long: 'sched-flags', short: 'b', arg: 'string', tag: 'b' },
  { long: 'mcast-group', arg: 'string', tag: 'mcast-group' },
  { long: 'mcast-port', arg: 'string', tag: 'mcast-port' },
  { long: 'mcast-ttl', arg: 'string', tag: 'mcast-ttl' },
  { long: 'sync-maxlen', arg: 'string', tag: 'sync-maxlen' },
  { long: 'tun-info', arg: 'none', tag: 'tun-info' },
  { long: 'tun-type', arg: 'string', tag: 'tun-type' },
  { long: 'tun-port', arg: 'string', tag: 'tun-port' },
  { long: 'tun-nocsum', arg: 'none', tag: 'tun-nocsum' },
  { long: 'tun-csum', arg: 'none', tag: 'tun-csum' },
  { long: 'tun-remcsum', arg: 'none', tag: 'tun-remcsum' },
];

/** Commands in ipvsadm's order; the names are the ones its messages print. */
export const COMMANDS = [
  'add-service',
  'edit-service',
  'delete-service',
  'flush',
  'list',
  'add-server',
  'delete-server',
  'edit-server',
  'set',
  'start-daemon',
  'stop-daemon',
  'restore',
  'save',
  'zero',
] as const;
export type CommandName = (typeof COMMANDS)[number];

/** Options in ipvsadm's bit order (OPTC_*); the names are the ones its messages print. */
export const OPTIONS = [
  'numeric',
  'connection',
  'service-address',
  'scheduler',
  'persistent',
  'netmask',
  'real-server',
  'forwarding-method',
  'weight',
  'u-threshold',
  'l-threshold',
  'mcast-interface',
  'timeout',
  'daemon',
  'stats',
  'rate',
  'thresholds',
  'persistent-conn',
  'nosort',
  'syncid',
  'exact',
  'ops',
  'pe',
  'sched-flags',
  'mcast-group',
  'mcast-port',
  'mcast-ttl',
  'sync-maxlen',
  'tun-info',
  'tun-type',
  'tun-port',
  'tun-nocsum',
  'tun-csum',
  'tun-remcsum',
] as const;
export type OptionName = (typeof OPTIONS)[number];

/**
 * One row per command, one column per option (in OPTIONS order): `+` required, `x` illegal,
 * `1` at most one of the `1` options, `.` optional.
 */
export const COMMAND_RULES: Record<CommandName, string> = {
  //                 n c s s p M r f w x y m t d s r t p s s e o p b g p t s t t t n c r
  'add-service': 'xx+...xxxxxxxxxxxxxxx...xxxxxxxxxx',
  'edit-service': 'xx+...xxxxxxxxxxxxxxx...xxxxxxxxxx',
  'delete-service': 'xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  flush: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  list: '.11xxxxxxxxx11.......xxxxxxx.xxxxx',
  'add-server': 'xx+xxx+....xxxxxxxxxxxxxxxxxx.....',
  'delete-server': 'xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'edit-server': 'xx+xxx+....xxxxxxxxxxxxxxxxxx.....',
  set: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'start-daemon': 'xxxxxxxxxxx.xxxxxxx.xxxx....xxxxxx',
  'stop-daemon': 'xxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxx',
  restore: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  save: '.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  zero: 'xx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
};

export type TunnelTypeName = 'ipip' | 'gue' | 'gre';
export const TUNNEL_TYPES: readonly TunnelTypeName[] = ['ipip', 'gue', 'gre'];

/** The tunnel options, and per tunnel type which of them are required, illegal or exclusive. */
const TUNNEL_OPTIONS: readonly OptionName[] = ['tun-port', 'tun-nocsum', 'tun-csum', 'tun-remcsum'];
const TUNNEL_RULES: Record<TunnelTypeName, string> = {
  ipip: 'xxxx',
  gue: '+111',
  gre: 'x11x',
};

/** generic_opt_check / tunnel_opt_check: the first violation, worded as ipvsadm words it. */
function checkRules(rule: string, columns: readonly OptionName[], given: ReadonlySet<OptionName>, subject: string): string | null {
  let first: OptionName | null = null;
  for (let j = 0; j < columns.length; j++) {
    const option = columns[j] as OptionName;
    const mark = rule[j];
    if (!given.has(option)) {
      if (mark === '+') return `You need to supply the '${option}' option for the ${subject}`;
      continue;
    }
    if (mark === 'x') return `Illegal '${option}' option with the ${subject}`;
    if (mark === '1') {
      if (first === null) {
        first = option;
        continue;
      }
      return `The option '${option}' conflicts with the '${first}' option in the ${subject}`;
    }
  }
  return null;
}

export function checkCommandOptions(command: CommandName, given: ReadonlySet<OptionName>): string | null {
  return checkRules(COMMAND_RULES[command], OPTIONS, given, `'${command}' command`);
}

export function checkTunnelOptions(type: TunnelTypeName, given: ReadonlySet<OptionName>): string | null {
  return checkRules(TUNNEL_RULES[type], TUNNEL_OPTIONS, given, `'${type}' tunnel type`);
}
