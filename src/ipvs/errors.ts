/**
 * Typed IPVS failures. The kernel answers an IPVS request with a bare errno whose meaning depends
 * on the operation (ENOENT is "no such scheduler" for add-service but "no such destination" for
 * edit-destination), so every error carries the errno, the operation and the object it was about,
 * and its `code` is derived from the errno alone so callers can branch on it.
 */
import { ErrnoError, type IpvsErrorCode } from '../errors.js';

/** Linux errno numbers IPVS answers with (asm-generic/errno-base.h, errno.h). */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  ENOMEM: 12,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  ERANGE: 34,
  EMSGSIZE: 90,
  ENOPROTOOPT: 92,
  EOPNOTSUPP: 95,
  EAFNOSUPPORT: 97,
  EADDRNOTAVAIL: 99,
} as const;
export type ErrnoName = keyof typeof ERRNO;

export type IpvsOperation =
  | 'info'
  | 'list-services'
  | 'get-service'
  | 'add-service'
  | 'edit-service'
  | 'delete-service'
  | 'list-destinations'
  | 'add-destination'
  | 'edit-destination'
  | 'delete-destination'
  | 'flush'
  | 'zero'
  | 'get-timeouts'
  | 'set-timeouts'
  | 'list-daemons'
  | 'start-daemon'
  | 'stop-daemon';

/** Stable codes: `IPVS_<ERRNO>` for kernel answers, plus the failures that happen before one. */
export const IPVS_UNAVAILABLE = 'IPVS_UNAVAILABLE' satisfies IpvsErrorCode;
export const IPVS_BAD_REPLY = 'IPVS_BAD_REPLY' satisfies IpvsErrorCode;
export const IPVS_BAD_VALUE = 'IPVS_BAD_VALUE' satisfies IpvsErrorCode;
export const IPVS_SOCKET = 'IPVS_SOCKET' satisfies IpvsErrorCode;

/** What each errno means for each operation, in the words an operator needs. */
const MEANINGS: Partial<Record<ErrnoName, Partial<Record<IpvsOperation | '*', string>>>> = {
  EEXIST: {
    'add-service': 'service already exists',
    'add-destination': 'destination already exists',
    'start-daemon': 'a sync daemon in this state is already running',
  },
  ESRCH: {
    'stop-daemon': 'no sync daemon in this state is running',
    '*': 'no such service',
  },
  ENOENT: {
    'add-service': 'scheduler or persistence engine not found',
    'edit-service': 'scheduler or persistence engine not found',
    '*': 'no such destination',
  },
  ERANGE: { '*': 'weight or thresholds out of range (weight < 0 or lower threshold > upper)' },
  EINVAL: {
    'start-daemon': 'sync daemons cannot run while a destination has another address family than its service',
    '*': 'invalid request (bad address, netmask, tunnel settings or mixed address families)',
  },
  EPERM: { '*': 'permission denied (needs CAP_NET_ADMIN)' },
  ENOMEM: { '*': 'kernel out of memory' },
  ENODEV: { '*': 'no such interface' },
  EBUSY: { '*': 'resource busy' },
  EMSGSIZE: { '*': 'message too long for the kernel (module version mismatch?)' },
  ENOPROTOOPT: { '*': 'protocol not available' },
  EOPNOTSUPP: { '*': 'operation not supported' },
  EAFNOSUPPORT: { '*': 'address family not supported' },
  EADDRNOTAVAIL: { '*': 'address not available' },
};

export class IpvsError extends ErrnoError<IpvsErrorCode> {
  readonly operation: IpvsOperation | undefined;
  /** The object the operation was about, e.g. `TCP 10.0.0.1:80`. */
  readonly object: string | undefined;
  constructor(code: IpvsErrorCode, message: string, details: { errno?: string; operation?: IpvsOperation; object?: string; cause?: unknown } = {}) {
    super(code, message, { errno: details.errno, cause: details.cause });
    this.name = 'IpvsError';
    this.operation = details.operation;
    this.object = details.object;
  }
}

export function errnoName(errno: number): string {
  const found = (Object.keys(ERRNO) as ErrnoName[]).find((name) => ERRNO[name] === errno);
  return found ?? `errno ${errno}`;
}

/** Builds the error for a kernel answer; `errno` is a name (`EEXIST`) or a positive number. */
export function kernelError(errno: string | number, operation: IpvsOperation, object?: string): IpvsError {
  const name = typeof errno === 'number' ? errnoName(errno) : errno;
  const meanings = MEANINGS[name as ErrnoName];
  const meaning = meanings?.[operation] ?? meanings?.['*'] ?? 'kernel refused the request';
  const about = object === undefined ? operation : `${operation} ${object}`;
  const code: IpvsErrorCode = name.startsWith('E') ? `IPVS_E${name.slice(1)}` : 'IPVS_KERNEL';
  return new IpvsError(code, `${about}: ${meaning} (${name})`, { errno: name, operation, ...(object === undefined ? {} : { object }) });
}

export function unavailable(cause?: unknown): IpvsError {
  return new IpvsError(IPVS_UNAVAILABLE, 'IPVS not available in this kernel: the generic netlink family "IPVS" does not exist (load ip_vs, or the kernel lacks CONFIG_IP_VS)', {
    errno: 'ENOENT',
    cause,
  });
}

export function badValue(what: string, value: unknown, operation?: IpvsOperation): IpvsError {
  return new IpvsError(IPVS_BAD_VALUE, `${operation === undefined ? '' : `${operation}: `}invalid ${what}: ${JSON.stringify(String(value))}`, {
    ...(operation === undefined ? {} : { operation }),
  });
}

export function badReply(message: string, operation?: IpvsOperation): IpvsError {
  return new IpvsError(IPVS_BAD_REPLY, `${operation === undefined ? '' : `${operation}: `}malformed kernel reply: ${message}`, {
    ...(operation === undefined ? {} : { operation }),
  });
}
