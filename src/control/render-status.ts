/**
 * `keepalived-ts status` for a person: the daemon, each VRRP instance with its priority sum,
 * Master and last transition, sync groups, advert drops and timer lateness, then each virtual
 * server with its real servers. Built only from the DaemonStatus the socket returns, like every
 * other view, so it can never disagree with `--json` or the metrics.
 */
import type { DaemonStatus, LvsStatus, RealServerStatus, VrrpStatus } from '../daemon/status.js';
import { priorityText, trackerDelta } from './priority-text.js';
import { lvsOf, vrrpOf } from './status-view.js';
import { isoTime, ms, table } from './table.js';

function header(s: DaemonStatus): string[] {
  const r = s.lastReload;
  const reload = r ? `${r.ok ? 'ok' : 'FAILED'} at ${isoTime(r.atUnix)}${r.errors.length ? `: ${r.errors.join('; ')}` : ''}` : 'none';
  return [`keepalived-ts ${s.version}, pid ${s.pid}`, `config ${s.configFile}, loaded ${isoTime(s.loadedAtUnix)}`, `last reload: ${reload}`];
}

/** `name value` pairs, the non-zero ones, or `none`. */
function nonZero(counts: Readonly<Record<string, number>>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n !== 0)
    .map(([k, n]) => `${k} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}

function vrrpSection(v: VrrpStatus): string[] {
  const rows = v.instances.map((i) => [
    i.name,
    i.state,
    i.interface,
    String(i.vrid),
    priorityText(i),
    i.master ? `${i.master.address} (${i.master.priority})` : '-',
    i.lastTransition ? `${i.lastTransition.from} → ${i.lastTransition.to} (${i.lastTransition.reason}) ${isoTime(i.lastTransition.atUnix)}` : '-',
  ]);
  const lines = ['', 'VRRP instances', ...table(['NAME', 'STATE', 'IF', 'VRID', 'PRIORITY', 'MASTER', 'LAST TRANSITION'], rows, '  ')];
  for (const i of v.instances) {
    const trackers = i.trackers.map(
      (t) => `${t.name} ${t.up ? 'up' : 'down'} (weight ${t.weight}${trackerDelta(t) !== 0 ? `, ${trackerDelta(t) > 0 ? '+' : '−'}${Math.abs(trackerDelta(t))} now` : ''})`,
    );
    lines.push(`  ${i.name}: counters ${nonZero(i.counters)}${trackers.length ? `; trackers ${trackers.join(', ')}` : ''}`);
  }
  if (v.syncGroups.length) {
    lines.push(
      '',
      'Sync groups',
      ...table(
        ['NAME', 'STATE', 'MEMBERS'],
        v.syncGroups.map((g) => [g.name, g.state, g.members.join(', ')]),
        '  ',
      ),
    );
  }
  const t = v.timerLateness;
  lines.push('', `Advert drops: ${nonZero(v.drops)}`, `Timers: ${t.fired} fired, ${ms(t.meanLateMs)} late on average, ${ms(t.maxLateMs)} at most`);
  return lines;
}

function lastCheck(rs: RealServerStatus): string {
  const latest = rs.checkers.filter((c) => c.lastResult).sort((a, b) => (b.lastResult?.atUnix ?? 0) - (a.lastResult?.atUnix ?? 0))[0];
  const r = latest?.lastResult;
  if (!latest || !r) return rs.checkers.length ? 'no result yet' : 'no checker';
  return `${latest.type} ${r.ok ? 'ok' : 'failed'} (${r.reason}) in ${ms(r.latencyMs)} at ${isoTime(r.atUnix)}`;
}

function lvsSection(l: LvsStatus): string[] {
  const lines = ['', 'Virtual servers'];
  for (const vs of l.virtualServers) {
    lines.push(`  ${vs.key}: quorum ${vs.quorumUp ? 'up' : 'DOWN'}, sorry server ${vs.sorryServerActive ? 'ACTIVE' : 'inactive'}`);
    const rows = vs.realServers.map((rs) => [rs.key, rs.alive ? 'up' : 'DOWN', String(rs.weight), lastCheck(rs)]);
    lines.push(...(rows.length ? table(['REAL SERVER', 'STATE', 'WEIGHT', 'LAST CHECK'], rows, '    ') : ['    no real servers']));
  }
  lines.push('', `IPVS: ${l.applies} applies, ${l.repairs} repairs, ${l.errors} errors`);
  return lines;
}

export function renderStatus(status: DaemonStatus): string {
  const vrrp = vrrpOf(status);
  const lvs = lvsOf(status);
  const lines = [...header(status), ...(vrrp ? vrrpSection(vrrp) : ['', 'VRRP: not running']), ...(lvs ? lvsSection(lvs) : ['', 'LVS: not running'])];
  return `${lines.join('\n')}\n`;
}
