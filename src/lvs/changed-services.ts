/**
 * Which IPVS services a transition of the core can change, so a pass plans those and not the
 * whole table. The core's states are immutable and a transition replaces only the per-virtual-
 * server states it touches (onHealthBatch), so a virtual server whose state object is the same
 * before and after asks for the same services. Pure.
 */
import { serviceId } from '../ipvs/keys.js';
import type { IndexedVs, LvsState } from './lvs-state.js';

/**
 * The ids (`serviceId`) of every service the virtual servers whose state changed stand for;
 * undefined when the configuration changed (a reload), which can change anything. A VRRP state
 * changes the table only through the results it releases (ha_suspend), which replace states. A
 * service id several virtual servers share is in scope when any of them changed.
 */
export function changedServices(before: LvsState, after: LvsState): ReadonlySet<string> | undefined {
  if (before.index !== after.index) return undefined;
  const changed: IndexedVs[] = [];
  for (const entry of after.index.values()) if (before.vs.get(entry.key) !== after.vs.get(entry.key)) changed.push(entry);
  return new Set(changed.flatMap((entry) => entry.parts.map((part) => serviceId(part.key))));
}
