/**
 * The one line systemd shows under "Status:" (sd_notify STATUS=): each VRRP instance's state,
 * then how many real servers are alive, e.g. "VI_1 MASTER, VI_2 BACKUP; 3/4 real servers up",
 * and, until a reload succeeds, that the last one was not applied and why.
 * Built from the same DaemonStatus as every other view.
 */
import type { DaemonStatus, LvsStatus, VrrpStatus } from './status.js';

export function statusLine(status: DaemonStatus): string {
  // a service's status is whatever it reports: read only the fields that are there
  const instances = (status.services['vrrp'] as Partial<VrrpStatus> | undefined)?.instances ?? [];
  const virtualServers = (status.services['lvs'] as Partial<LvsStatus> | undefined)?.virtualServers;
  const parts: string[] = [];
  if (instances.length > 0) parts.push(instances.map((i) => `${i.name} ${i.state}`).join(', '));
  if (virtualServers !== undefined) {
    const servers = virtualServers.flatMap((vs) => vs.realServers);
    parts.push(`${servers.filter((rs) => rs.alive).length}/${servers.length} real servers up`);
  }
  const reload = status.lastReload;
  if (reload !== null && !reload.ok) parts.push(`last reload not applied (${reload.errors.length} error(s)), running configuration kept: ${reload.errors[0] ?? 'no reason given'}`);
  return parts.length > 0 ? parts.join('; ') : 'running';
}

/** Runs `run` once after `delayMs`; the function it returns cancels that. */
export type Schedule = (delayMs: number, run: () => void) => () => void;

/** systemd needs no more than this: the line is for a person reading `systemctl status`. */
export const STATUS_LINE_INTERVAL_MS = 1000;

/**
 * Sends systemd's STATUS= at most once per interval, however often services publish events (a
 * checker flapping, a failover's burst of state changes): a change in a quiet period goes at
 * once; changes inside an interval go together at its end, so the last value is always sent.
 * `line` (a whole status snapshot) is only computed when a line may go.
 */
export class StatusLineThrottle {
  private last = '';
  private pending = false;
  private cancel: (() => void) | undefined;

  constructor(
    private readonly line: () => string,
    private readonly send: (line: string) => void,
    private readonly schedule: Schedule,
    private readonly intervalMs = STATUS_LINE_INTERVAL_MS,
  ) {}

  /** Something the line shows may have changed. */
  changed(): void {
    if (this.cancel !== undefined) {
      this.pending = true;
      return;
    }
    this.flush();
  }

  /** A change systemd must hear with the message it belongs to (a reload's READY=1): sent now, the interval starts again. */
  changedNow(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.pending = false;
    this.flush();
  }

  /** No more lines (the daemon is stopping). */
  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.pending = false;
  }

  private flush(): void {
    const line = this.line();
    if (line !== this.last) {
      this.last = line;
      this.send(line);
    }
    this.cancel = this.schedule(this.intervalMs, () => {
      this.cancel = undefined;
      if (!this.pending) return;
      this.pending = false;
      this.flush();
    });
  }
}
