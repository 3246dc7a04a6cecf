import type { VrrpAction } from './actions.js';
import type { VrrpState } from './events.js';
import type { NotifyScripts } from './instance-config.js';

/** keepalived waits this long for a notify_stop script before going on. */
export const STOP_SCRIPT_TIMEOUT_MS = 1000;

export type NotifyScope = 'INSTANCE' | 'GROUP';

/** keepalived's VRRP_STATE_DELETED: reported (with `notify_deleted`) for an instance a reload removed. */
export type NotifyState = VrrpState | 'DELETED';

/** Lines keepalived writes to the FIFO that are events rather than states. */
export type FifoEvent = 'MASTER_RX_LOWER_PRI' | 'MASTER_PRIORITY' | 'BACKUP_PRIORITY';

/** `INSTANCE "VI_1" MASTER 100\n`, exactly as keepalived formats it. */
export function fifoLine(scope: NotifyScope, name: string, what: NotifyState | FifoEvent, priority: number): string {
  return `${scope} "${name}" ${what} ${priority}\n`;
}

function specificScript(scripts: NotifyScripts, state: NotifyState): string | undefined {
  switch (state) {
    case 'MASTER':
      return scripts.master;
    case 'BACKUP':
      return scripts.backup;
    case 'FAULT':
      return scripts.fault;
    case 'STOP':
      return scripts.stop;
    case 'DELETED':
      // `notify_deleted` without a script only changes what the generic script and FIFO say
      return scripts.deleted === '' ? undefined : scripts.deleted;
    case 'INITIALIZE':
      return undefined;
  }
}

/**
 * keepalived's notifies on entering `state`: the state's own script with its configured
 * arguments only, the generic `notify` script with `SCOPE name STATE priority` appended (groups
 * report priority 0), then the FIFO line.
 */
export function stateNotifies(scope: NotifyScope, name: string, scripts: NotifyScripts, state: NotifyState, priority: number): VrrpAction[] {
  const reported = scope === 'GROUP' ? 0 : priority;
  const out: VrrpAction[] = [];
  const specific = specificScript(scripts, state);
  if (specific !== undefined) {
    out.push(state === 'STOP' && scope === 'INSTANCE' ? { type: 'runScript', script: specific, args: [], timeoutMs: STOP_SCRIPT_TIMEOUT_MS } : { type: 'runScript', script: specific, args: [] });
  }
  if (scripts.generic !== undefined) {
    const args = [scope, name, state, String(reported)];
    out.push(state === 'STOP' ? { type: 'runScript', script: scripts.generic, args, timeoutMs: STOP_SCRIPT_TIMEOUT_MS } : { type: 'runScript', script: scripts.generic, args });
  }
  out.push({ type: 'fifo', line: fifoLine(scope, name, state, reported) });
  return out;
}
