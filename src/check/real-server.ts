/**
 * A real server's state as its checkers' verdicts make it, and what keepalived does when it
 * changes: ipwrapper.c update_svr_checker_state(), set_checker_state(), perform_svr_state() and
 * do_rs_notifies(). A real server is alive only while all its checkers are up. Adding it to or
 * removing it from IPVS (and those log lines) is the LVS service's part; here are the notify
 * scripts, the FIFO lines and the health events.
 */

export interface RealServerState {
  readonly alive: boolean;
  /** Each checker's is_up. */
  readonly checkersUp: readonly boolean[];
}

export interface RealServerNames {
  /** FMT_RS and FMT_VS. */
  readonly rs: string;
  readonly vs: string;
  readonly notifyUp: string | null;
  readonly notifyDown: string | null;
}

export type RealServerAction =
  /** A checker's is_up changed: the health event of src/check/health.ts. */
  | { readonly type: 'checker'; readonly checker: number; readonly up: boolean; readonly reason: string; readonly weight?: number | undefined }
  /** notify_up / notify_down, run as configured with no arguments. */
  | { readonly type: 'script'; readonly script: string }
  /** For notify_fifo and lvs_notify_fifo, byte for byte (keepalived writes the terminating NUL too). */
  | { readonly type: 'fifo'; readonly line: string };

/** check_data.c: an alpha checker starts down and so does its real server. */
export function initialRealServer(alphas: readonly boolean[]): RealServerState {
  return { alive: !alphas.some(Boolean), checkersUp: alphas.map((a) => !a) };
}

/** update_svr_checker_state(): one checker's verdict. */
export function onVerdict(
  names: RealServerNames,
  s: RealServerState,
  checker: number,
  verdict: { readonly up: boolean; readonly firstRun: boolean; readonly alpha: boolean; readonly reason: string },
): { state: RealServerState; actions: RealServerAction[] } {
  const wasUp = s.checkersUp[checker];
  if (wasUp === verdict.up) {
    // a first verdict that changes nothing still tells the scripts, under alpha or on failure
    const actions = verdict.firstRun && (verdict.alpha || !verdict.up) ? notifies(names, s.alive) : [];
    return { state: s, actions };
  }
  const failed = s.checkersUp.filter((u) => !u).length;
  let alive = s.alive;
  const actions: RealServerAction[] = [];
  // perform_svr_state(): up when this was the last failed checker, down at the first failure
  if ((verdict.up && failed <= 1) || (!verdict.up && failed === 0)) {
    if (alive !== verdict.up) {
      alive = verdict.up;
      actions.push(...notifies(names, alive));
    }
  }
  const checkersUp = s.checkersUp.map((u, i) => (i === checker ? verdict.up : u));
  actions.unshift({ type: 'checker', checker, up: verdict.up, reason: verdict.reason });
  return { state: { alive, checkersUp }, actions };
}

/** clear_service_rs() on shutdown: with omega, a live real server's down notifies run. */
export function onStop(names: RealServerNames, s: RealServerState, omega: boolean): RealServerAction[] {
  return s.alive && omega ? notifies(names, false) : [];
}

/** do_rs_notifies() and notify_fifo_rs(). */
function notifies(names: RealServerNames, alive: boolean): RealServerAction[] {
  const script = alive ? names.notifyUp : names.notifyDown;
  const line = `RS ${names.rs} ${names.vs} ${alive ? 'UP' : 'DOWN'}\n\0`;
  return script === null
    ? [{ type: 'fifo', line }]
    : [
        { type: 'script', script },
        { type: 'fifo', line },
      ];
}
