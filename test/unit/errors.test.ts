import { describe, expect, it } from 'vitest';
import { ErrnoError, KeepalivedError } from '../../src/errors.js';
import { IpvsError, kernelError } from '../../src/ipvs/errors.js';
import { netlinkErrno, netlinkFailure } from '../../src/linux/netlink-error.js';

describe('typed errors', () => {
  it('only take the codes their module lists', () => {
    expect(new KeepalivedError('ERR_BAD_ADDRESS', 'x').code).toBe('ERR_BAD_ADDRESS');
    // @ts-expect-error: a code no module lists does not compile
    expect(new KeepalivedError('ERR_MADE_UP', 'x').code).toBe('ERR_MADE_UP');
  });

  it('narrow by instanceof to their own class with a typed code, subclasses to theirs, and keep instanceof exact', () => {
    const caught: unknown = new ErrnoError('IPVS_KERNEL', 'x', { errno: 'EPERM' });
    if (!(caught instanceof KeepalivedError)) throw new Error('not narrowed');
    // @ts-expect-error: code is an ErrorCode, not any
    const asNumber: number = caught.code;
    expect(asNumber).toBe('IPVS_KERNEL');
    if (!(caught instanceof ErrnoError)) throw new Error('not narrowed');
    const errno: string | undefined = caught.errno;
    expect(errno).toBe('EPERM');
    expect([new KeepalivedError('ERR_BAD_MAC', 'x') instanceof ErrnoError, new Error('x') instanceof KeepalivedError, (null as unknown) instanceof KeepalivedError]).toEqual([false, false, false]);
  });

  it('carry the errno of a netlink refusal in one class, for rtnetlink and IPVS alike', () => {
    const rtnl = netlinkFailure('add address 192.0.2.1/24', new Error('Request rejected: EEXIST'));
    expect(rtnl).toBeInstanceOf(ErrnoError);
    expect(rtnl).toMatchObject({ code: 'ERR_NETLINK_EEXIST', errno: 'EEXIST', message: 'add address 192.0.2.1/24: Request rejected: EEXIST' });
    expect(netlinkErrno(rtnl)).toBe('EEXIST');

    const ipvs = kernelError(17, 'add-service', 'TCP 10.0.0.1:80');
    expect(ipvs).toBeInstanceOf(IpvsError);
    expect(ipvs).toBeInstanceOf(ErrnoError);
    expect(ipvs).toMatchObject({ code: 'IPVS_EEXIST', errno: 'EEXIST', operation: 'add-service' });
    expect(netlinkErrno(ipvs)).toBe('EEXIST');
  });

  it('name an errno no table knows after the kernel, not as a code it does not have', () => {
    expect(kernelError(200, 'flush')).toMatchObject({ code: 'IPVS_KERNEL', errno: 'errno 200' });
    expect(netlinkFailure('add route', 'boom')).toMatchObject({ code: 'ERR_NETLINK_EUNKNOWN', errno: 'EUNKNOWN' });
  });
});
