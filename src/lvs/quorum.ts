/**
 * A virtual server's quorum with hysteresis: update_quorum_state() and set_quorum_states() in
 * keepalived's check/ipwrapper.c, with the limits validate_check_config() (check_data.c)
 * enforces: a quorum above the real servers' total weight is reduced to it, and a hysteresis
 * of the quorum or more is reduced to quorum − 1.
 */
import type { VirtualServer } from '../config/model.js';

export interface QuorumLimits {
  readonly quorum: number;
  readonly hysteresis: number;
}

export function quorumLimits(vs: VirtualServer): QuorumLimits {
  const total = vs.real_servers.reduce((sum, rs) => sum + rs.weight, 0);
  const quorum = Math.min(vs.quorum, total);
  const hysteresis = vs.hysteresis >= quorum ? Math.max(quorum - 1, 0) : vs.hysteresis;
  return { quorum, hysteresis };
}

/** set_quorum_states(): at start the quorum is up when the alive weight reaches quorum + hysteresis. */
export function startsUp(limits: QuorumLimits, weightSum: number): boolean {
  return weightSum >= limits.quorum + limits.hysteresis;
}

/** The threshold the next change is judged against: quorum + hysteresis to gain, quorum − hysteresis to lose. */
export function threshold(limits: QuorumLimits, up: boolean): number {
  return limits.quorum + (up ? -1 : 1) * limits.hysteresis;
}

/** update_quorum_state(): gained at ≥ the threshold; lost at 0 or below it. */
export function nextQuorumUp(limits: QuorumLimits, up: boolean, weightSum: number): boolean {
  const limit = threshold(limits, up);
  if (!up) return weightSum >= limit;
  return !(weightSum === 0 || weightSum < limit);
}
