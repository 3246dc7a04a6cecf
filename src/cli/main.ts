import { appendFileSync } from 'node:fs';
import { VERSION } from '../version.js';
import { runConfigTest } from './config-test.js';
import { parseCommandLine, usage, type ParsedOptions } from './options.js';

/**
 * The keepalived-ts command: keepalived's flags and its `-t` exit statuses; the daemon itself
 * comes later. Returns the exit status; writes only through `io`.
 */

const DEFAULT_CONFIG_FILE = '/etc/keepalived/keepalived.conf';

/** The numbers keepalived's --signum prints on Linux. */
const SIGNALS: Readonly<Record<string, number>> = { STOP: 15, RELOAD: 1, DATA: 10, STATS: 12, STATS_CLEAR: 63, JSON: 36 };

const LOG_FACILITY = /^([0-7]|local[0-7]|user|daemon)$/;

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export function main(argv: readonly string[], io: Output = processOutput): number {
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
    const number = SIGNALS[signum];
    if (number === undefined) {
      io.err(`Unknown sigfunc ${signum}\n`);
      return 1;
    }
    io.out(`${number}\n`);
    return 0;
  }
  const facility = options.get('log-facility');
  if (typeof facility === 'string' && !LOG_FACILITY.test(facility)) {
    io.err(`Invalid log facility '${facility}'\n`);
    return 1;
  }
  if (options.has('config-test')) return configTest(options, io);
  io.err('keepalived-ts: the daemon is not implemented yet; only -t/--config-test works (see --help)\n');
  return 3;
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
