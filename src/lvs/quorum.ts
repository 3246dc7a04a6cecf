/**
 * A virtual server's quorum with hysteresis: update_quorum_state() in keepalived's
 * check/ipwrapper.c, with the limits validate_check_config() (check_data.c) enforces: a quorum
 * above the real servers' total weight is reduced to it, and a hysteresis of the quorum or more
 * is set to quorum − 1. Both are C unsigned ints, and so is the threshold's arithmetic: with a
 * quorum of 0 the hysteresis becomes 4294967295 and the quorum can never be gained (keepalived
 * logs "Starting with quorum down 0-4294967295=4294967295 > 0"); we keep that, so the tables agree.
 */
import type { VirtualServer } from '../config/model.js';

export interface QuorumLimits {
  readonly quorum: number;
  readonly hysteresis: number;
}

export function quorumLimits(vs: VirtualServer): QuorumLimits {
  const total = vs.real_servers.reduce((sum, rs) => sum + rs.weight, 0);
  const quorum = Math.min(vs.quorum, total);
  const hysteresis = vs.hysteresis >= quorum ? (quorum - 1) >>> 0 : vs.hysteresis;
  return { quorum, hysteresis };
}

/** The threshold the next change is judged against: quorum + hysteresis to gain, quorum − hysteresis to lose. */
export function threshold(limits: QuorumLimits, up: boolean): number {
  return (limits.quorum + (up ? -1 : 1) * limits.hysteresis) >>> 0;
}

/**
 * update_quorum_state(): gained at ≥ the threshold; lost at 0 or below it. A virtual server
 * starts with quorum down (validate_check_config's set_quorum_states() runs before any server is
 * alive), so at start-up keepalived logs "Gained quorum" for every one that has it.
 */
export function nextQuorumUp(limits: QuorumLimits, up: boolean, weightSum: number): boolean {
  const limit = threshold(limits, up);
  if (!up) return weightSum >= limit;
  return !(weightSum === 0 || weightSum < limit);
}
