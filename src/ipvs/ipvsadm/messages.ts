/**
 * ipvs_strerror: the words ipvsadm prints when the kernel refuses, which depend on the errno
 * and on the library call made last (libipvs's ipvs_func); anything else falls back to
 * strerror's text. Flushing and dumping the services do not set ipvs_func, so their refusals
 * are worded after whatever call came before them.
 */

export type LibipvsCall =
  | 'add-service'
  | 'edit-service'
  | 'delete-service'
  | 'zero'
  | 'add-server'
  | 'edit-server'
  | 'delete-server'
  | 'start-daemon'
  | 'stop-daemon'
  | 'get-services'
  | 'get-destinations'
  | 'get-service'
  | 'get-timeouts'
  | 'get-daemons'
  | 'set-timeouts'
  | 'init';

const BY_CALL: ReadonlyArray<readonly [LibipvsCall | null, string, string]> = [
  ['add-service', 'EEXIST', 'Service already exists'],
  ['add-service', 'ENOENT', 'Scheduler or persistence engine not found'],
  ['edit-service', 'ESRCH', 'No such service'],
  ['edit-service', 'ENOENT', 'Scheduler or persistence engine not found'],
  ['delete-service', 'ESRCH', 'No such service'],
  ['zero', 'ESRCH', 'No such service'],
  ['add-server', 'ESRCH', 'Service not defined'],
  ['add-server', 'EEXIST', 'Destination already exists'],
  ['edit-server', 'ESRCH', 'Service not defined'],
  ['edit-server', 'ENOENT', 'No such destination'],
  ['delete-server', 'ESRCH', 'Service not defined'],
  ['delete-server', 'ENOENT', 'No such destination'],
  ['start-daemon', 'EEXIST', 'Daemon has already run'],
  ['stop-daemon', 'ESRCH', 'No daemon is running'],
  ['get-services', 'ESRCH', 'No such service'],
  ['get-destinations', 'ESRCH', 'No such service'],
  ['get-service', 'ESRCH', 'No such service'],
  [null, 'EPERM', 'Permission denied (you must be root)'],
  [null, 'EINVAL', 'Invalid operation.  Possibly wrong module version, address not unicast, ...'],
  [null, 'ENOPROTOOPT', 'Protocol not available'],
  [null, 'ENOMEM', 'Memory allocation problem'],
  [null, 'EOPNOTSUPP', 'Operation not supported with IPv6'],
  [null, 'EAFNOSUPPORT', 'Operation not supported with specified address family'],
  [null, 'EMSGSIZE', 'Module is wrong version'],
];

/** glibc's strerror texts for the errnos the IPVS family returns. */
const STRERROR: Partial<Record<string, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  EINTR: 'Interrupted system call',
  EIO: 'Input/output error',
  E2BIG: 'Argument list too long',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  ENODEV: 'No such device',
  EINVAL: 'Invalid argument',
  ENOSPC: 'No space left on device',
  ERANGE: 'Numerical result out of range',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EADDRINUSE: 'Address already in use',
  ENOBUFS: 'No buffer space available',
  ENOTSUP: 'Operation not supported',
  EPROTONOSUPPORT: 'Protocol not supported',
};

export function ipvsErrorMessage(call: LibipvsCall, errno: string): string {
  const hit = BY_CALL.find(([c, code]) => (c === null || c === call) && code === errno);
  return hit ? hit[2] : (STRERROR[errno] ?? `Unknown error ${errno}`);
}
