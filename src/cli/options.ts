/**
 * keepalived's command line, read the way its getopt_long() call reads it: clustered short
 * flags (`-nld`), arguments attached or separate (`-fFILE`, `-f FILE`, `--pid=F`, `--pid F`),
 * optional arguments only when attached (`-tFILE`, `--config-test=FILE`), unambiguous prefixes
 * of long names, and `--` to end the options.
 */

type ArgKind = 'none' | 'required' | 'optional';

interface OptionSpec {
  readonly short?: string;
  readonly long: string;
  readonly arg: ArgKind;
  readonly help: string;
  readonly argName?: string;
}

/** Every option keepalived 2.4.3 accepts, with its exact long name, and keepalived-ts's --control-socket and --metrics-listen. */
export const OPTION_SPECS: readonly OptionSpec[] = [
  { short: 'f', long: 'use-file', arg: 'required', argName: 'FILE', help: 'Use the specified configuration file (default /etc/keepalived/keepalived.conf)' },
  { short: 'P', long: 'vrrp', arg: 'none', help: 'Only run the VRRP subsystem' },
  { short: 'C', long: 'check', arg: 'none', help: 'Only run the health-checker subsystem' },
  { short: 'B', long: 'no_bfd', arg: 'none', help: "Don't run the BFD subsystem" },
  { long: 'all', arg: 'none', help: 'Run all subsystems, even those with no configuration' },
  { short: 'l', long: 'log-console', arg: 'none', help: 'Log messages to the local console' },
  { short: 'D', long: 'log-detail', arg: 'none', help: 'Detailed log messages' },
  { short: 'S', long: 'log-facility', arg: 'required', argName: '([0-7]|local[0-7]|user|daemon)', help: 'Set syslog facility (default daemon)' },
  { short: 'g', long: 'log-file', arg: 'optional', argName: 'FILE', help: 'Also log to FILE (default /tmp/keepalived.log)' },
  { long: 'flush-log-file', arg: 'none', help: 'Flush the log file on every write' },
  { short: 'G', long: 'no-syslog', arg: 'none', help: "Don't log via syslog" },
  { short: 'u', long: 'umask', arg: 'required', argName: 'MASK', help: 'umask for file creation (in numeric form)' },
  { short: 'X', long: 'release-vips', arg: 'none', help: 'Drop VIPs on transition from signal' },
  { short: 'V', long: 'dont-release-vrrp', arg: 'none', help: "Don't remove VRRP VIPs and VROUTEs on daemon stop" },
  { short: 'I', long: 'dont-release-ipvs', arg: 'none', help: "Don't remove IPVS topology on daemon stop" },
  { short: 'R', long: 'dont-respawn', arg: 'none', help: "Don't respawn child processes" },
  { short: 'n', long: 'dont-fork', arg: 'none', help: "Don't fork the daemon process" },
  { short: 'd', long: 'dump-conf', arg: 'none', help: 'Dump the configuration data (with -t: as JSON on stdout)' },
  { short: 'p', long: 'pid', arg: 'required', argName: 'FILE', help: 'Use specified pidfile for parent process' },
  { short: 'r', long: 'vrrp_pid', arg: 'required', argName: 'FILE', help: 'Use specified pidfile for VRRP child process' },
  { short: 'T', long: 'genhash', arg: 'none', help: 'Enter genhash utility mode' },
  { short: 'c', long: 'checkers_pid', arg: 'required', argName: 'FILE', help: 'Use specified pidfile for checkers child process' },
  { short: 'a', long: 'address-monitoring', arg: 'none', help: 'Report all address additions/deletions notified via netlink' },
  { short: 'b', long: 'bfd_pid', arg: 'required', argName: 'FILE', help: 'Use specified pidfile for BFD child process' },
  { short: 'x', long: 'snmp', arg: 'none', help: 'Enable SNMP subsystem' },
  { short: 'A', long: 'snmp-agent-socket', arg: 'required', argName: 'FILE', help: 'Use the specified socket for master agent' },
  { short: 's', long: 'namespace', arg: 'required', argName: 'NAME', help: 'Run in network namespace NAME (overrides config)' },
  { short: 'm', long: 'core-dump', arg: 'none', help: 'Produce core dump if terminate abnormally' },
  { short: 'M', long: 'core-dump-pattern', arg: 'optional', argName: 'PATN', help: "Also set /proc/sys/kernel/core_pattern to PATN (default 'core')" },
  { short: 'e', long: 'all-config', arg: 'none', help: 'Error if any configuration file is missing' },
  { short: 'i', long: 'config-id', arg: 'required', argName: 'id', help: "Skip configuration lines beginning '@' that don't match id (default: the node name)" },
  { long: 'ignore-sigint', arg: 'none', help: 'Ignore SIGINT' },
  { long: 'control-socket', arg: 'required', argName: 'PATH', help: 'Control socket for status and explain (default /run/keepalived-ts/control.sock)' },
  { long: 'metrics-listen', arg: 'required', argName: 'HOST:PORT', help: 'Serve Prometheus metrics at http://HOST:PORT/metrics' },
  { long: 'signum', arg: 'required', argName: 'SIGFUNC', help: 'Print the signal number for STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON' },
  { short: 't', long: 'config-test', arg: 'optional', argName: 'LOG_FILE', help: 'Check the configuration, output to stderr by default' },
  { long: 'config-fd', arg: 'required', argName: 'fd_num', help: 'File descriptor to write the consolidated config to (internal)' },
  { long: 'perf', arg: 'optional', argName: 'PERF_TYPE', help: 'Collect perf data (accepted, no effect)' },
  { long: 'debug', arg: 'optional', argName: '...', help: 'Enable debug options (accepted, no effect)' },
  { long: 'no-mem-check', arg: 'none', help: 'Disable malloc() mem-checks (accepted, no effect)' },
  { short: 'v', long: 'version', arg: 'none', help: 'Display the version number' },
  { short: 'h', long: 'help', arg: 'none', help: 'Display this help message' },
];

/** The options given, keyed by long name; a flag's value is `true`, an option's value its argument. */
export type ParsedOptions = ReadonlyMap<string, string | true>;

export interface CommandLine {
  readonly options: ParsedOptions;
  /** Words that are not options; keepalived names them and carries on. */
  readonly operands: readonly string[];
  /** Messages in keepalived's words; any of them makes keepalived exit 1. */
  readonly errors: readonly string[];
}

const byShort = new Map(OPTION_SPECS.filter((s) => s.short).map((s) => [s.short as string, s]));

function findLong(name: string): OptionSpec | 'ambiguous' | undefined {
  const exact = OPTION_SPECS.find((s) => s.long === name);
  if (exact) return exact;
  const prefixed = OPTION_SPECS.filter((s) => s.long.startsWith(name));
  if (prefixed.length > 1) return 'ambiguous';
  return prefixed[0];
}

export function parseCommandLine(argv: readonly string[]): CommandLine {
  const options = new Map<string, string | true>();
  const operands: string[] = [];
  const errors: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = word.slice(2, eq < 0 ? undefined : eq);
      const spec = findLong(name);
      if (spec === 'ambiguous') {
        errors.push(`Option ${word} is ambiguous`);
        continue;
      }
      if (!spec) {
        errors.push(`Unknown option ${word}`);
        continue;
      }
      const attached = eq < 0 ? undefined : word.slice(eq + 1);
      if (spec.arg === 'none') {
        if (attached !== undefined) errors.push(`Option --${spec.long} doesn't allow an argument`);
        else options.set(spec.long, true);
      } else if (spec.arg === 'optional') {
        options.set(spec.long, attached === undefined || attached === '' ? true : attached);
      } else {
        const value = attached ?? argv[++i];
        if (value === undefined || value === '') errors.push(`Missing parameter for option --${spec.long}`);
        else options.set(spec.long, value);
      }
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      for (let k = 1; k < word.length; k++) {
        const letter = word[k] as string;
        const spec = byShort.get(letter);
        if (!spec) {
          errors.push(`Unknown option -${letter}`);
          continue;
        }
        if (spec.arg === 'none') {
          options.set(spec.long, true);
          continue;
        }
        const rest = word.slice(k + 1);
        if (spec.arg === 'optional') options.set(spec.long, rest === '' ? true : rest);
        else {
          const value = rest !== '' ? rest : argv[++i];
          if (value === undefined || value === '') errors.push(`Missing parameter for option -${letter}`);
          else options.set(spec.long, value);
        }
        break;
      }
      continue;
    }
    operands.push(word);
  }
  return { options, operands, errors };
}

/** The `-h` text, laid out like keepalived's. */
export function usage(program: string): string {
  const lines = [`Usage: ${program} [OPTION...]`];
  for (const spec of OPTION_SPECS) {
    const flag = spec.short ? `-${spec.short}, ` : '    ';
    const arg = spec.argName ? (spec.arg === 'optional' ? `[=${spec.argName}]` : `=${spec.argName}`) : '';
    const head = `  ${flag}--${spec.long}${arg}`;
    lines.push(head.length < 32 ? `${head.padEnd(32)} ${spec.help}` : `${head}\n${' '.repeat(33)}${spec.help}`);
  }
  return `${lines.join('\n')}\n`;
}
