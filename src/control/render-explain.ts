/**
 * `keepalived-ts explain VI_1`: one headline that answers "why this state, with this priority?"
 * ("BACKUP because 10.0.0.2 advertises 150 > our effective 100 = 120 base − 20 chk_nginx down"),
 * then the VRRP core's own explanation (src/vrrp/explain.ts) as the daemon reported it.
 */
import type { ExplainResult } from './protocol.js';
import { priorityText } from './priority-text.js';
import { isoTime } from './table.js';

function headline({ instance: inst }: ExplainResult): string {
  const m = inst.master;
  if (inst.state === 'BACKUP' && m) {
    const cmp = m.priority > inst.effectivePriority ? '>' : m.priority === inst.effectivePriority ? '=' : '<';
    return `${inst.name}: BACKUP because ${m.address} advertises ${m.priority} ${cmp} our effective ${priorityText(inst)}`;
  }
  const master = inst.state !== 'MASTER' && m ? `; master ${m.address} (${m.priority})` : '';
  return `${inst.name}: ${inst.state} with effective priority ${priorityText(inst)}${master}`;
}

export function renderExplain(result: ExplainResult): string {
  const inst = result.instance;
  const lines = [headline(result)];
  const t = inst.lastTransition;
  lines.push(t ? `  last transition ${t.from} → ${t.to} (${t.reason}) at ${isoTime(t.atUnix)}` : '  no transition yet');
  const g = result.syncGroup;
  if (g) lines.push(`  sync group ${g.name} is ${g.state} (members ${g.members.join(', ')})`);
  lines.push(...inst.explanation.map((n) => `  ${n}`));
  return `${lines.join('\n')}\n`;
}
