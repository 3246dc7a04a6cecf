/**
 * quorum_up / quorum_down: keepalived's check/ipwrapper.c do_vs_notifies() runs the one that
 * matches the new quorum state whenever update_quorum_state() gains or loses quorum (at start
 * too: a virtual server that starts with quorum runs quorum_up, one that starts without it and
 * has a sorry server runs quorum_down), with no arguments; at a reload, for a virtual server
 * the new file removes while it has quorum (clear_service_vs(vs, false) → update_vs_notifies:
 * quorum_down, with no log line); and at shutdown,
 * update_vs_notifies(vs, stopping) runs quorum_down for every omega virtual server, whatever
 * its quorum was, unless the table is kept (-I skips clear_services()).
 */
import type { VirtualServer } from '../config/model.js';
import { formatVs } from './names.js';

export interface QuorumScript {
  /** format_vs() of the virtual server, for the log. */
  readonly vs: string;
  readonly up: boolean;
  /** The configured command line, run as notify scripts are (script security applies). */
  readonly script: string;
}

/** The condition update_quorum_state() acts on: gained from down; lost from up, or started down with a sorry server. */
export function quorumChange(vs: VirtualServer, was: boolean, now: boolean, init: boolean): 'gained' | 'lost' | undefined {
  if (!was && now) return 'gained';
  if ((was && !now) || (init && !now && vs.sorry_server !== null)) return 'lost';
  return undefined;
}

/** The script a change of quorum runs, when one is configured. */
export function quorumScript(vs: VirtualServer, change: 'gained' | 'lost' | undefined): QuorumScript[] {
  if (change === undefined) return [];
  const up = change === 'gained';
  const script = up ? vs.quorum_up : vs.quorum_down;
  return script === null ? [] : [{ vs: formatVs(vs), up, script }];
}

/** update_vs_notifies(vs, true) at shutdown: quorum_down of every omega virtual server. */
export function stopScripts(virtualServers: readonly VirtualServer[]): QuorumScript[] {
  return virtualServers.flatMap((vs) => (vs.omega ? quorumScript(vs, 'lost') : []));
}
