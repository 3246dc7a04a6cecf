/**
 * The IPVS table a state calls for: what keepalived's ipvs_cmd() calls would have left in the
 * kernel after the same events (check/ipwrapper.c, check/ipvswrapper.c), as a whole table the
 * reconciler can compare with the kernel's.
 *
 * Per virtual server, while quorum is up (or there is no sorry server): alive servers at their
 * effective weight; failed servers with inhibit_on_failure at weight 0, others absent; a sorry
 * server with sorry_server_inhibit at weight 0. While quorum is down with a sorry server: the
 * sorry server at weight 1 (alloc_ssvr's), servers with inhibit_on_failure at 0, no others
 * (perform_quorum_state). ha_suspend does not change the table (keepalived suspends checkers,
 * not services): see lvs-state.ts.
 */
import type { RealServer, VirtualServer } from '../config/model.js';
import type { Destination, Table } from '../ipvs/types.js';
import { effectiveWeight, isAlive, realWeight } from './server-health.js';
import { serviceId } from '../ipvs/keys.js';
import { destination, serviceSettings, type ServicePart } from './services.js';
import type { IndexedVs, LvsState, VsState } from './lvs-state.js';

/** The sorry server's weight: alloc_ssvr() gives it 1 and nothing changes it. */
const SORRY_WEIGHT = 1;

/** The weight a real server is programmed at, or undefined when it is not in the table. */
export function serverWeight(rs: RealServer, health: VsState['health'][number], sorryActive: boolean): number | undefined {
  if (sorryActive) return rs.inhibit_on_failure ? 0 : undefined;
  if (isAlive(health)) return realWeight(effectiveWeight(rs, health));
  return rs.inhibit_on_failure ? 0 : undefined;
}

export function sorryActive(vs: VirtualServer, state: VsState): boolean {
  return vs.sorry_server !== null && !state.quorumUp;
}

function destinations(entry: IndexedVs, state: VsState, part: ServicePart): Destination[] {
  const { vs } = entry;
  const active = sorryActive(vs, state);
  const byKey = new Map<string, Destination>();
  vs.real_servers.forEach((rs, i) => {
    const weight = serverWeight(rs, state.health[i] ?? [], active);
    if (weight === undefined) return;
    const d = destination(rs, rs, weight, vs, part);
    byKey.set(`${d.address} ${d.port}`, d);
  });
  const sorry = vs.sorry_server;
  if (sorry !== null && (active || vs.sorry_server_inhibit)) {
    const d = destination({ ...sorry, lvs_method: vs.sorry_server_lvs_method, tunnel: vs.sorry_server_tunnel }, { uthreshold: 0, lthreshold: 0 }, active ? SORRY_WEIGHT : 0, vs, part);
    // A sorry server that is also a real server is that real server while quorum is up (s_svr_duplicates_rs).
    if (active || !byKey.has(`${d.address} ${d.port}`)) byKey.set(`${d.address} ${d.port}`, d);
  }
  return [...byKey.values()];
}

type Entry = Table['services'][number];

/**
 * One virtual server's services, remembered by its (immutable) state: a checker result changes
 * one virtual server, so a table of 1,000 recomputes one and reuses 999.
 */
const servicesOf = new WeakMap<VsState, WeakMap<IndexedVs, readonly { readonly id: string; readonly entry: Entry }[]>>();

function vsServices(entry: IndexedVs, vsState: VsState): readonly { readonly id: string; readonly entry: Entry }[] {
  let byEntry = servicesOf.get(vsState);
  const known = byEntry?.get(entry);
  if (known !== undefined) return known;
  const made = entry.parts.map((part) => ({
    id: serviceId(part.key),
    entry: { service: serviceSettings(entry.vs, part.key), destinations: destinations(entry, vsState, part) },
  }));
  if (byEntry === undefined) servicesOf.set(vsState, (byEntry = new WeakMap()));
  byEntry.set(entry, made);
  return made;
}

export function desiredTable(state: LvsState): Table {
  const services: Entry[] = [];
  const seen = new Set<string>();
  for (const entry of state.index.values()) {
    const vsState = state.vs.get(entry.key);
    if (vsState === undefined) continue;
    for (const { id, entry: service } of vsServices(entry, vsState)) {
      if (seen.has(id)) continue;
      seen.add(id);
      services.push(service);
    }
  }
  return { services };
}
