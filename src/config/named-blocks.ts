/**
 * Named top-level blocks (vrrp_instance VI_1, vrrp_script chk, ...): keepalived keeps the first
 * of two blocks with one name; so do we, and we say so.
 */
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { Entry } from './read-block.js';

export interface Named {
  readonly name: string;
  readonly entry: Entry;
}

export function uniqueNamed(entries: readonly Entry[], sink: DiagnosticSink): Named[] {
  const byName = new Map<string, Entry>();
  const out: Named[] = [];
  for (const entry of entries) {
    const name = typeof entry.value === 'string' ? entry.value : '';
    const first = byName.get(name);
    if (first) {
      sink.report('duplicate-name', `${entry.name} ${name} is already defined at line ${first.stmt.pos.line}; ignoring this one`, { pos: entry.stmt.pos, keyword: entry.stmt.keyword });
      continue;
    }
    byName.set(name, entry);
    out.push({ name, entry });
  }
  return out;
}
