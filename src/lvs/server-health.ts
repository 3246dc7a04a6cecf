/**
 * One real server's health as keepalived counts it: alive only while every checker is up
 * (update_svr_checker_state / set_checker_state in check/ipwrapper.c count the failed ones),
 * and an effective weight that misc_dynamic checkers move while they are up (check_misc.c:
 * each contributes exit status − 2 − the configured weight; exit 0 or a failure contributes 0).
 */
import type { RealServer } from '../config/model.js';

/** IPVS_WEIGHT_MAX (keepalived's ip_vs.h): the kernel's weight is an int32. */
const IPVS_WEIGHT_MAX = 0x7fffffff;

export interface CheckerState {
  readonly up: boolean;
  /** misc_dynamic: the weight the checker's last successful run asked for. */
  readonly weight?: number;
}

export type ServerHealth = readonly CheckerState[];

/**
 * Before its first result a checker is down under alpha and up otherwise (keepalived starts
 * alpha checkers with a failed count, the others without). A server with no checkers is alive.
 */
export function initialHealth(rs: RealServer): ServerHealth {
  return rs.checkers.map((checker) => ({ up: !checker.alpha }));
}

export function isAlive(health: ServerHealth): boolean {
  return health.every((checker) => checker.up);
}

/** effective_weight: the configured weight moved by every up misc_dynamic checker's request. */
export function effectiveWeight(rs: { readonly weight: number }, health: ServerHealth): number {
  let weight = rs.weight;
  for (const checker of health) if (checker.up && checker.weight !== undefined) weight += checker.weight - rs.weight;
  return weight;
}

/** real_weight() (check_data.h): what the kernel is given, clamped to 0..IPVS_WEIGHT_MAX. */
export function realWeight(effective: number): number {
  return Math.min(Math.max(effective, 0), IPVS_WEIGHT_MAX);
}

/** The health after one checker's result; a failure drops its dynamic weight, as check_misc.c does. */
export function withChecker(health: ServerHealth, index: number, up: boolean, weight: number | undefined): ServerHealth {
  const next = health.slice();
  next[index] = up && weight !== undefined ? { up, weight } : { up };
  return next;
}
