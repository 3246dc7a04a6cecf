import { KeepalivedError } from '../../errors.js';

/**
 * ipvsadm ends by printing and exiting from deep inside its parser and listers; this carries
 * that ending (its exit status and what it printed) up to the one place that writes it out.
 */
export class IpvsadmExit extends KeepalivedError {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  constructor(status: number, output: { stdout?: string; stderr?: string }) {
    super('IPVSADM_EXIT', (output.stderr ?? output.stdout ?? '').trimEnd() || `exit ${status}`);
    this.status = status;
    this.stdout = output.stdout ?? '';
    this.stderr = output.stderr ?? '';
  }
}

/** ipvsadm's fail(): the message and a newline on stderr, then exit 2. */
export function fail(message: string): never {
  throw new IpvsadmExit(2, { stderr: `${message}\n` });
}
