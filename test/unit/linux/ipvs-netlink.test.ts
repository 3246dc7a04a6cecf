import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { openNetlinkIpvs } from '../../../src/linux/ipvs-netlink.js';

// The generic netlink family lookup needs no privileges, so this runs in the unit tier. Kernels
// with IPVS (the vm tier) exercise the rest of the client.
describe('opening IPVS over generic netlink', () => {
  it.skipIf(existsSync('/proc/net/ip_vs'))('reports a kernel without IPVS as a typed error', async () => {
    const error = await openNetlinkIpvs().then(
      (client) => {
        client.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'IPVS_UNAVAILABLE',
      message: expect.stringContaining('IPVS not available in this kernel'),
    });
  });
});
