/**
 * ha_suspend as keepalived does it (check/check_api.c, update_checker_activity): a virtual
 * server's checkers are suspended while none of its addresses is on the host, and its IPVS
 * service stays as it is. keepalived learns the addresses from the kernel; here they are the
 * addresses a VRRP instance in MASTER holds (the `vrrp-state` event), so an address configured
 * on the host by other means does not count. keepalived clears ha_suspend on fwmark services
 * (check_data.c, "cannot use ha_suspend with fwmarks"): a fwmark part never suspends.
 */
import type { VirtualServerKey } from '../check/health.js';
import { canonicalIpvsAddress } from '../ipvs/address.js';
import { ipFamily } from '../net/ip-address.js';
import type { VrrpState } from '../vrrp/events.js';
import { formatRealServer, formatVs } from './names.js';
import type { IndexedVs, LvsLog } from './lvs-state.js';

type Vrrp = ReadonlyMap<string, { readonly state: VrrpState; readonly addresses: readonly string[] }>;

/** Addresses held by instances in MASTER, canonical and without a prefix length. */
function masterAddresses(vrrp: Vrrp): Set<string> {
  const held = new Set<string>();
  for (const { state, addresses } of vrrp.values()) {
    if (state !== 'MASTER') continue;
    for (const written of addresses) {
      const ip = written.split('/')[0] ?? written;
      const family = ipFamily(ip);
      // not an address (a route or rule): nothing a virtual server can be suspended on
      if (family !== undefined) held.add(canonicalIpvsAddress(ip, family === 6 ? 'inet6' : 'inet'));
    }
  }
  return held;
}

/** The virtual servers whose checkers are suspended now. */
export function suspendedVirtualServers(index: ReadonlyMap<VirtualServerKey, IndexedVs>, vrrp: Vrrp): Set<VirtualServerKey> {
  const suspended = new Set<VirtualServerKey>();
  const withSuspend = [...index.values()].filter((entry) => entry.vs.ha_suspend && !entry.parts.some((part) => 'fwmark' in part.key));
  if (withSuspend.length === 0) return suspended;
  const held = masterAddresses(vrrp);
  for (const entry of withSuspend) {
    if (!entry.parts.some((part) => 'address' in part.key && held.has(canonicalIpvsAddress(part.key.address, part.key.family)))) suspended.add(entry.key);
  }
  return suspended;
}

/**
 * update_checker_activity()'s line for each checker of the virtual server. Our probes keep
 * running while suspended (the checker service has no suspension); their results are held and
 * acted on when the address comes back, which the line says after keepalived's words.
 */
export function activityLogs(entry: IndexedVs, suspending: boolean): LvsLog[] {
  const vs = formatVs(entry.vs);
  const what = suspending ? 'Suspending healthchecker for service' : 'Activating healthchecker for service';
  const note = suspending ? ' (results held until the address is back)' : '';
  return entry.vs.real_servers.flatMap((rs) => {
    const name = formatRealServer(rs, entry.vs);
    return rs.checkers.map((): LvsLog => ({ level: 'info', msg: `${what} ${name} for VS ${vs}${note}`, vs, rs: name }));
  });
}
