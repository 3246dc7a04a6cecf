/**
 * Every error keepalived-ts raises on purpose carries a stable `code`, so callers, logs and
 * tests can branch on the kind of failure without parsing messages. The codes are closed sets,
 * one per module: raising an error with a code not listed here does not compile, so a new kind
 * of failure is added here, where the whole list can be read. (Config problems are diagnostics,
 * not errors: their codes live in src/config/diagnostic-codes.ts.)
 */

/** src/net: address and link-layer payload builders. */
export type NetErrorCode = 'ERR_BAD_ADDRESS' | 'ERR_BAD_MAC';

/** src/vrrp: the protocol core refusing input it cannot encode or order. */
export type VrrpErrorCode = 'VRRP_BAD_ADDRESS' | 'vrrp-invalid-advert';

/** src/scripts: script lines and their security. */
export type ScriptErrorCode = 'ERR_SCRIPT_SYNTAX';

/** src/daemon: a configured instance the daemon cannot run, a service asked before it started, a reload not built yet. */
export type DaemonErrorCode = 'ERR_INSTANCE_UNUSABLE' | 'ERR_NO_INTERFACE' | 'ERR_UNKNOWN_INSTANCE' | 'ERR_NOT_STARTED' | 'ERR_NOT_IMPLEMENTED';

/** src/linux: the adapters; `ERR_NETLINK_<ERRNO>` is a kernel refusal over rtnetlink. */
export type LinuxErrorCode = 'ERR_FIFO' | 'ERR_PIDFILE' | 'ERR_ALREADY_RUNNING' | `ERR_NETLINK_${string}`;

/**
 * src/ipvs: `IPVS_<ERRNO>` (or `IPVS_KERNEL`) for a kernel answer, and the failures that happen
 * before one; `IPVSADM_EXIT` carries ipvsadm-ts's exit out of its parser.
 */
export type IpvsErrorCode = 'IPVS_UNAVAILABLE' | 'IPVS_BAD_REPLY' | 'IPVS_BAD_VALUE' | 'IPVS_SOCKET' | 'IPVS_KERNEL' | `IPVS_E${string}` | 'IPVSADM_EXIT';

/** src/control and its adapters: the control socket, its client and the metrics listener. */
export type ControlErrorCode =
  | 'bad-listen-address'
  | 'control-socket-path'
  | 'control-socket-in-use'
  | 'control-socket-listen'
  | 'metrics-listen'
  | 'control-timeout'
  | 'control-unreachable'
  | 'control-bad-response'
  | 'control-closed';

/** test/vm/harness: the VM the vm tier runs in (booting, the guest agent, its relay). */
export type VmHarnessErrorCode = `VM_${string}`;

export type ErrorCode = NetErrorCode | VrrpErrorCode | ScriptErrorCode | DaemonErrorCode | LinuxErrorCode | IpvsErrorCode | ControlErrorCode | VmHarnessErrorCode;

export class KeepalivedError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'KeepalivedError';
  }

  /**
   * The ordinary instanceof test, declared so that TypeScript narrows `x instanceof
   * KeepalivedError` to `KeepalivedError<ErrorCode>` (and a subclass to its own instance type)
   * instead of `KeepalivedError<any>`, which made `code` an `any`.
   */
  static override [Symbol.hasInstance]<T extends abstract new (...args: never) => unknown>(this: T, value: unknown): value is InstanceType<T> {
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/**
 * A failure the kernel answered with an errno (netlink NACKs from rtnetlink and IPVS): the errno
 * name travels with it (`EEXIST`), since what it means depends on the request.
 */
export class ErrnoError<C extends ErrorCode = ErrorCode> extends KeepalivedError<C> {
  /** Errno name (`EEXIST`), or undefined when the failure did not come from the kernel. */
  readonly errno: string | undefined;
  constructor(code: C, message: string, options: { errno?: string | undefined; cause?: unknown } = {}) {
    super(code, message, { cause: options.cause });
    this.name = 'ErrnoError';
    this.errno = options.errno;
  }
}
