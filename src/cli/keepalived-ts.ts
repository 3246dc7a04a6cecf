import './no-inspector.js';
import { main } from './main.js';

/**
 * The process entry point behind bin/keepalived-ts. Whatever happens, the user sees one-line
 * messages, never a stack trace: an unexpected exception is an internal error, exit status 3.
 */
function runAsProcess(argv: readonly string[]): void {
  const internalError = (err: unknown): void => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`keepalived-ts: internal error: ${message.split('\n')[0]}\n`);
    process.exitCode = 3;
  };
  // A closed pipe (`keepalived-ts -t -d | head`) is not worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') internalError(err);
  });
  process.on('uncaughtException', (err) => {
    internalError(err);
    process.exit(3);
  });
  try {
    const status = main(argv);
    if (typeof status === 'number') process.exitCode = status;
    else status.then((code) => process.exit(code), internalError);
  } catch (err) {
    internalError(err);
  }
}

runAsProcess(process.argv.slice(2));
