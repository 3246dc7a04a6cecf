/**
 * vrrp_sync_group blocks, including the old form that lists member instances directly
 * (`vrrp_sync_group G { VI_1 VI_2 }`) instead of inside `group { }`.
 */
import type { SourcePos, Statement } from './ast.js';
import { readName, readTracked } from './data-lines.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { keywordsIn, lookupKeyword } from './keyword-index.js';
import type { Tracked, VrrpSyncGroup } from './model.js';
import type { Named } from './named-blocks.js';
import { Settings } from './settings.js';
import { suggest } from './suggest.js';

/**
 * A line of a sync group that is not a keyword but lists member instances (old form): it names
 * a declared instance, or at least does not look like a misspelt sync group keyword (those are
 * reported as unknown keywords with a did-you-mean instead).
 */
export function isLegacyMemberLine(stmt: Statement, instanceNames: ReadonlySet<string>): boolean {
  if (stmt.block || lookupKeyword('vrrp_sync_group', stmt.keyword) !== undefined) return false;
  return instanceNames.has(stmt.keyword) || suggest(stmt.keyword, keywordsIn('vrrp_sync_group')) === undefined;
}

export function trackedList(s: Settings, keyword: string, sink: DiagnosticSink): Tracked[] {
  return s.lines(keyword).flatMap((line) => readTracked(line, sink, keyword) ?? []);
}

export function buildSyncGroups(named: readonly Named[], instanceNames: ReadonlySet<string>, sink: DiagnosticSink): VrrpSyncGroup[] {
  return named.map(({ name, entry }) => {
    const s = new Settings('vrrp_sync_group', entry.child);
    const lines = s.lines('group');
    const members = lines.map((line) => readName(line, sink, 'group'));
    const at: Record<string, SourcePos> = s.positions();
    for (const line of lines) at[line.keyword] ??= line.pos;
    const legacy = (entry.stmt.block ?? []).filter((stmt) => isLegacyMemberLine(stmt, instanceNames));
    const listed = legacy.flatMap((l) => [l.keyword, ...l.args.map((a) => a.value)]);
    for (const line of legacy) {
      at[line.keyword] ??= line.pos;
      for (const arg of line.args) at[arg.value] ??= arg.pos;
      sink.report(
        'legacy-sync-group',
        `sync group ${name} lists its instances without 'group { }' - this form is deprecated`,
        { pos: line.pos, keyword: line.keyword },
        `write: group { ${listed.join(' ')} }`,
      );
    }
    members.push(...listed);
    return {
      name,
      pos: entry.stmt.pos,
      group: members,
      track_interface: trackedList(s, 'track_interface', sink),
      track_script: trackedList(s, 'track_script', sink),
      track_file: trackedList(s, 'track_file', sink),
      notify_master: s.string('notify_master'),
      notify_backup: s.string('notify_backup'),
      notify_fault: s.string('notify_fault'),
      notify_stop: s.string('notify_stop'),
      notify: s.string('notify'),
      smtp_alert: s.flagOr('smtp_alert', false),
      sync_group_tracking_weight: s.flagOr('sync_group_tracking_weight', false),
      notify_priority_changes: s.flag('notify_priority_changes') ?? null,
      at,
    };
  });
}
