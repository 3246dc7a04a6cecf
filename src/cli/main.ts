import { appendFileSync } from 'node:fs';
import { SIGNAL_NUMBERS, SIGNUM_NAMES } from '../daemon/signals.js';
import { parseFacility } from '../log/levels.js';
import { logSettings } from '../log/settings.js';
import { VERSION } from '../version.js';
import { runConfigTest } from './config-test.js';
import { controlOptions } from './control-options.js';
import { parseCommandLine, usage, type ParsedOptions } from './options.js';

/**
 * The keepalived-ts command: keepalived's flags, its `-t` exit statuses, and the VRRP daemon in
 * the foreground. Returns the exit status; writes only through `io`.
 */

const DEFAULT_CONFIG_FILE = '/etc/keepalived/keepalived.conf';
const DEFAULT_PID_FILE = '/run/keepalived-ts.pid';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** The status at once, or, for the daemon, when it has stopped. */
export function main(argv: readonly string[], io: Output = processOutput): number | Promise<number> {
  if (argv[0] === 'lab') return import('../lab/lab.js').then(({ runLab }) => runLab(argv.slice(1), io));
  // keepalived -T: everything after it is genhash's command line (check_genhash.c)
  if (argv[0] === '-T' || argv[0] === '--genhash' || argv[0] === 'genhash') return import('./genhash.js').then(({ runGenhash }) => runGenhash(argv.slice(1), io));
  if (argv[0] === 'status' || argv[0] === 'explain' || argv[0] === 'reload') return import('./control-commands.js').then(({ runControlCommand }) => runControlCommand(argv, io));
  const command = parseCommandLine(argv);
  for (const message of command.errors) io.err(`${message}\n`);
  if (command.errors.length > 0) {
    io.err("Try 'keepalived-ts --help' for the list of options.\n");
    return 1;
  }
  if (command.operands.length > 0) io.err(`Unexpected argument(s): ${command.operands.join(' ')}\n`);
  const options = command.options;

  if (options.has('help')) {
    io.out(usage('keepalived-ts'));
    return 0;
  }
  if (options.has('version')) {
    io.out(`keepalived-ts ${VERSION}\n`);
    return 0;
  }
  const signum = options.get('signum');
  if (typeof signum === 'string') {
    const signal = SIGNUM_NAMES[signum];
    if (signal === undefined) {
      io.err(`Unknown sigfunc ${signum}\n`);
      return 1;
    }
    io.out(`${SIGNAL_NUMBERS[signal]}\n`);
    return 0;
  }
  const facility = options.get('log-facility');
  if (typeof facility === 'string' && parseFacility(facility) === undefined) {
    io.err(`Invalid log facility '${facility}'\n`);
    return 1;
  }
  if (options.has('config-test')) return configTest(options, io);
  if (!options.has('dont-fork')) {
    io.err('keepalived-ts: runs in the foreground only: add -n/--dont-fork (systemd: Type=notify)\n');
    return 3;
  }
  const configId = stringOption(options, 'config-id');
  const control = controlOptions(options);
  if ('error' in control) {
    io.err(`${control.error}\n`);
    return 1;
  }
  // loaded only for the daemon: sockets, netlink and pino would slow every -t and --help
  return import('../daemon/run.js').then(({ runDaemon }) =>
    runDaemon({
      configFile: stringOption(options, 'use-file') ?? DEFAULT_CONFIG_FILE,
      pidFile: stringOption(options, 'pid') ?? DEFAULT_PID_FILE,
      logging: logSettings(options),
      vrrpOnly: options.has('vrrp'),
      ...control,
      checkOnly: options.has('check'),
      dontReleaseIpvs: options.has('dont-release-ipvs'),
      err: (text) => io.err(text),
      ...(configId !== undefined ? { configId } : {}),
    }),
  );
}

function configTest(options: ParsedOptions, io: Output): number {
  const file = stringOption(options, 'use-file') ?? DEFAULT_CONFIG_FILE;
  const configId = stringOption(options, 'config-id');
  const logFile = stringOption(options, 'config-test');
  const outcome = runConfigTest({ file, dump: options.has('dump-conf'), ...(configId !== undefined ? { configId } : {}) });
  const report = outcome.report.map((entry) => `${entry}\n`).join('');
  if (logFile !== undefined) {
    try {
      appendFileSync(logFile, report);
    } catch (err) {
      io.err(`Unable to open config-test log file ${logFile}: ${(err as Error).message}\n`);
      return 1;
    }
  } else if (report !== '') io.err(report);
  if (outcome.dump !== undefined) io.out(outcome.dump);
  return outcome.exitCode;
}

function stringOption(options: ParsedOptions, name: string): string | undefined {
  const value = options.get(name);
  return typeof value === 'string' ? value : undefined;
}
