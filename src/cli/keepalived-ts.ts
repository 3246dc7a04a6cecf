import { VERSION } from '../version.js';

export function main(argv: string[]): number {
  if (argv.includes('-v') || argv.includes('--version')) {
    process.stdout.write(`keepalived-ts ${VERSION}\n`);
    return 0;
  }
  process.stderr.write('keepalived-ts: nothing implemented yet\n');
  return 3;
}

process.exitCode = main(process.argv.slice(2));
