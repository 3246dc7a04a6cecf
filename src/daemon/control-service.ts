/**
 * The control socket as a Service: each line a client sends is answered from the whole
 * daemon's status (ServiceContext.snapshot()) by the pure protocol (src/control/protocol.ts);
 * a `reload` request goes to the supervisor (ServiceContext.reload / previewReload).
 * The socket adapter comes in as a port, so the wiring is tested with a fake.
 */
import type { KeepalivedConfig } from '../config/model.js';
import { KeepalivedError } from '../errors.js';
import type { LineServer, ListenLines } from '../control/ports.js';
import { answer, encodeResponse, tooLongResponse } from '../control/protocol.js';
import type { Service, ServiceContext } from './service.js';
import type { DaemonStatus } from './status.js';

export const DEFAULT_CONTROL_SOCKET = '/run/keepalived-ts/control.sock';

/**
 * A socket that cannot be opened (another daemon on the path, no such directory allowed) is
 * logged and reported in the status, and the daemon runs on without it: VRRP's availability
 * matters more than its view.
 */
export class ControlService implements Service {
  readonly name = 'control';
  private server: LineServer | undefined;
  private failure: { readonly code: string; readonly message: string } | undefined;
  private current: DaemonStatus | undefined;

  constructor(
    private readonly listen: ListenLines,
    private readonly path: string = DEFAULT_CONTROL_SOCKET,
  ) {}

  async start(_config: KeepalivedConfig, context: ServiceContext): Promise<void> {
    // the context's reload and previewReload as they are; status from the per-turn snapshot
    const daemon = { ...context, snapshot: () => this.snapshot(context) };
    try {
      this.server = await this.listen({
        path: this.path,
        log: context.log,
        answer: (item) => {
          if (!('line' in item)) return encodeResponse(tooLongResponse(item.tooLong));
          const response = answer(item.line, daemon);
          return response instanceof Promise ? response.then(encodeResponse) : encodeResponse(response);
        },
      });
      context.log.info({ socket: this.path }, 'control socket listening');
    } catch (err) {
      this.failure = failureOf(err);
      context.log.error({ socket: this.path, code: this.failure.code }, `control socket unavailable, running without it: ${this.failure.message}`);
    }
  }

  /**
   * The daemon's status, taken once per turn of the event loop: clients asking together get the
   * same picture (and encodeResponse serialises it once), while the next turn sees any change.
   */
  private snapshot(context: ServiceContext): DaemonStatus {
    if (this.current === undefined) {
      this.current = context.snapshot();
      setImmediate(() => (this.current = undefined));
    }
    return this.current;
  }

  /** Nothing in keepalived.conf configures it: the path is a command-line choice. */
  async reconfigure(): Promise<void> {}

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  status(): object {
    const failure = this.failure ? { error: this.failure } : {};
    return { socket: this.path, ...failure, ...(this.server?.stats() ?? { connected: 0, accepted: 0, lines: 0, dropped: 0 }) };
  }
}

/** The code and message of a failed listen, for the log and the status. */
export function failureOf(err: unknown): { readonly code: string; readonly message: string } {
  return err instanceof KeepalivedError ? { code: err.code, message: err.message } : { code: 'internal', message: String(err) };
}
