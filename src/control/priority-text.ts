/**
 * Effective priority as a sum a person can check: "100 = 120 base − 20 chk_nginx down".
 The terms add up unless the core clamped the total to 1..254; an address owner (255) is never
 * changed by its trackers.
 */
import type { VrrpInstanceStatus } from '../daemon/status.js';

type Tracker = VrrpInstanceStatus['trackers'][number];

const OWNER_PRIORITY = 255;

/** keepalived's rule (src/vrrp/tracking.ts computePriority): a positive weight adds while up, a negative one subtracts while down. */
export function trackerDelta(t: Tracker): number {
  if (t.delta !== undefined) return t.delta;
  return (t.weight > 0 && t.up) || (t.weight < 0 && !t.up) ? t.weight : 0;
}

export function priorityText(inst: VrrpInstanceStatus): string {
  if (inst.basePriority === OWNER_PRIORITY) return `${OWNER_PRIORITY} (address owner)`;
  const terms = inst.trackers.map((t) => ({ t, delta: trackerDelta(t) })).filter(({ delta }) => delta !== 0);
  const parts = terms.map(({ t, delta }) => `${delta > 0 ? '+' : '−'} ${Math.abs(delta)} ${t.name} ${t.up ? 'up' : 'down'}`);
  if (parts.length === 0) return inst.effectivePriority === inst.basePriority ? `${inst.effectivePriority}` : `${inst.effectivePriority} (base ${inst.basePriority})`;
  const sum = `${inst.basePriority} base ${parts.join(' ')}`;
  const total = inst.basePriority + terms.reduce((s, { delta }) => s + delta, 0);
  return total === inst.effectivePriority ? `${inst.effectivePriority} = ${sum}` : `${inst.effectivePriority} (${sum} = ${total}, clamped)`;
}
