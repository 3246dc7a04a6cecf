/**
 * MISC_CHECK's judgement of how its script ended (keepalived check_misc.c
 * misc_check_child_thread): exit 0 is up; with misc_dynamic, 2..255 are up too and set the real
 * server's weight to code − 2; any other exit, a signal, or a run past misc_timeout (SIGTERM,
 * then SIGKILL 2 s later) is down. The reason words are keepalived's ("timed out",
 * "failed (exited with status 1)") so the log line can be built as keepalived builds it.
 */
import { constants } from 'node:os';

/** How a run ended, as the script runner reports it. */
export interface ScriptEnd {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly spawnError?: string;
}

export type MiscVerdict = { readonly ok: true; readonly reason: 'succeeded'; readonly weight?: number } | { readonly ok: false; readonly reason: string };

export function judgeMiscExit(end: ScriptEnd, dynamic: boolean): MiscVerdict {
  if (end.spawnError !== undefined) return { ok: false, reason: `failed (could not start: ${end.spawnError})` };
  if (end.timedOut) return { ok: false, reason: 'timed out' };
  if (end.status === null) {
    const number = end.signal ? constants.signals[end.signal] : undefined;
    return { ok: false, reason: `failed (due to signal ${number ?? end.signal ?? '?'})` };
  }
  if (end.status === 0) return { ok: true, reason: 'succeeded' };
  if (dynamic && end.status >= 2 && end.status <= 255) return { ok: true, reason: 'succeeded', weight: end.status - 2 };
  return { ok: false, reason: `failed (exited with status ${end.status})` };
}
