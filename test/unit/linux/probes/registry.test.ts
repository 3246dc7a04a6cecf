import { describe, expect, it } from 'vitest';
import { linuxProbers } from '../../../../src/linux/probes/index.js';

describe('the prober registry', () => {
  it("probes SMTP, DNS, UDP and ICMP besides part A's types; MISC and FILE wait for the configuration", () => {
    expect(Object.keys(linuxProbers()).sort()).toEqual(['DNS_CHECK', 'HTTP_GET', 'PING_CHECK', 'SMTP_CHECK', 'SSL_GET', 'TCP_CHECK', 'UDP_CHECK']);
  });
});
