/**
 * Effective priority as a sum a person can check: "100 = 120 base − 20 chk_nginx down".
 * A tracker's `weight` in the status is its part of the effective priority now (0 when it
 * changes nothing), so the terms add up unless the core clamped the total to 1..254.
 */
import type { VrrpInstanceStatus } from '../daemon/status.js';

export function priorityText(inst: VrrpInstanceStatus): string {
  const terms = inst.trackers.filter((t) => t.weight !== 0);
  const parts = terms.map((t) => `${t.weight > 0 ? '+' : '−'} ${Math.abs(t.weight)} ${t.name} ${t.up ? 'up' : 'down'}`);
  if (parts.length === 0) return inst.effectivePriority === inst.basePriority ? `${inst.effectivePriority}` : `${inst.effectivePriority} (base ${inst.basePriority})`;
  const sum = `${inst.basePriority} base ${parts.join(' ')}`;
  const total = inst.basePriority + terms.reduce((s, t) => s + t.weight, 0);
  return total === inst.effectivePriority ? `${inst.effectivePriority} = ${sum}` : `${inst.effectivePriority} (${sum} = ${total}, clamped)`;
}
