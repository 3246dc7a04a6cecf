/**
 * The daemon's two options for the control socket and the metrics listener. They are
 * keepalived-ts's own (keepalived has neither), given on the command line or in
 * /etc/default/keepalived-ts, so keepalived.conf stays shareable with keepalived.
 */
import { parseListenAddress, type ListenAddress } from '../control/listen-address.js';
import type { ParsedOptions } from './options.js';

export interface ControlOptions {
  readonly controlSocket?: string;
  readonly metricsListen?: ListenAddress;
}

export function controlOptions(options: ParsedOptions): ControlOptions | { readonly error: string } {
  const socket = options.get('control-socket');
  const listen = options.get('metrics-listen');
  try {
    return {
      ...(typeof socket === 'string' ? { controlSocket: socket } : {}),
      ...(typeof listen === 'string' ? { metricsListen: parseListenAddress(listen) } : {}),
    };
  } catch (err) {
    return { error: (err as Error).message };
  }
}
