import { describe, expect, it } from 'vitest';
import { IpvsError, errnoName, kernelError, unavailable } from '../../../src/ipvs/errors.js';
import { KeepalivedError } from '../../../src/errors.js';

describe('IPVS errors', () => {
  it.each([
    [17, 'add-service', 'TCP 10.0.0.1:80', 'IPVS_EEXIST', 'add-service TCP 10.0.0.1:80: service already exists (EEXIST)'],
    [2, 'add-service', 'TCP 10.0.0.1:80', 'IPVS_ENOENT', 'add-service TCP 10.0.0.1:80: scheduler or persistence engine not found (ENOENT)'],
    [2, 'edit-destination', '10.0.1.1:80 in FWM 1', 'IPVS_ENOENT', 'edit-destination 10.0.1.1:80 in FWM 1: no such destination (ENOENT)'],
    [3, 'zero', 'UDP [::1]:53', 'IPVS_ESRCH', 'zero UDP [::1]:53: no such service (ESRCH)'],
    [3, 'stop-daemon', 'master sync daemon', 'IPVS_ESRCH', 'stop-daemon master sync daemon: no sync daemon in this state is running (ESRCH)'],
    [1, 'flush', undefined, 'IPVS_EPERM', 'flush: permission denied (needs CAP_NET_ADMIN) (EPERM)'],
  ] as const)('errno %i on %s reads as %s', (errno, operation, object, code, message) => {
    const error = kernelError(errno, operation, object);
    expect(error).toBeInstanceOf(IpvsError);
    expect(error).toBeInstanceOf(KeepalivedError);
    expect(error).toMatchObject({ code, message, errno: errnoName(errno), operation, object });
  });

  it('keeps an errno it has no name for, under a generic code', () => {
    expect(kernelError(200, 'info')).toMatchObject({ code: 'IPVS_KERNEL', message: 'info: kernel refused the request (errno 200)' });
  });

  it('says plainly when the kernel has no IPVS', () => {
    expect(unavailable()).toMatchObject({ code: 'IPVS_UNAVAILABLE', message: expect.stringMatching(/^IPVS not available in this kernel/) });
  });
});
