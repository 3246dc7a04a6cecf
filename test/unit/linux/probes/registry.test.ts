import { describe, expect, it } from 'vitest';
import { configProbers, linuxProbers } from '../../../../src/linux/probes/index.js';
import { FileCheckProber } from '../../../../src/linux/probes/file.js';
import { MiscProber } from '../../../../src/linux/probes/misc.js';
import { config } from '../../check/fakes.js';

describe('the prober registry', () => {
  it('probes TCP, HTTP, SSL, SMTP, DNS, UDP and ICMP without the configuration', () => {
    expect(Object.keys(linuxProbers()).sort()).toEqual(['DNS_CHECK', 'HTTP_GET', 'PING_CHECK', 'SMTP_CHECK', 'SSL_GET', 'TCP_CHECK', 'UDP_CHECK']);
  });

  it('makes MISC_CHECK and FILE_CHECK probers from the configuration', () => {
    const probers = configProbers(config('track_file f {\n file /run/x\n}\n'), { permit: () => ({ ok: false, reason: 'test' }), env: {} });
    expect(Object.keys(probers).sort()).toEqual(['FILE_CHECK', 'MISC_CHECK']);
    expect(probers.MISC_CHECK).toBeInstanceOf(MiscProber);
    expect(probers.FILE_CHECK).toBeInstanceOf(FileCheckProber);
  });
});
