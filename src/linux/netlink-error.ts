import { ErrnoError, type LinuxErrorCode } from '../errors.js';

/**
 * netlink 0.3.0 reports a kernel NACK as a plain `Error('Request rejected: EEXIST')` with no
 * errno property; recover the errno name so callers can branch on it.
 */
export function netlinkErrno(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  // already translated by netlinkFailure
  const errno = (error as { errno?: unknown }).errno;
  if (typeof errno === 'string') return errno;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return /^Request rejected: (\w+)/.exec(error.message)?.[1];
}

/** A kernel refusal as a typed error: `code` is `ERR_NETLINK_<ERRNO>`, the message names the operation. */
export function netlinkFailure(operation: string, error: unknown): ErrnoError<LinuxErrorCode> {
  const errno = netlinkErrno(error) ?? 'EUNKNOWN';
  const detail = error instanceof Error ? error.message : String(error);
  return new ErrnoError<LinuxErrorCode>(`ERR_NETLINK_${errno}`, `${operation}: ${detail}`, { errno, cause: error });
}
