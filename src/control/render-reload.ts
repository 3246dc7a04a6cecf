/**
 * `keepalived-ts reload` and `reload --dry-run` for a person: the outcome in one line (with the
 * located errors when refused), or what a reload would change, service by service.
 */
import type { CheckerPreview } from '../daemon/checker-service.js';
import type { LvsPreview } from '../daemon/lvs-preview.js';
import type { ReloadOutcome, ReloadPreview } from '../daemon/reload.js';
import type { ServiceReloadPreview } from '../daemon/service.js';

const indented = (lines: readonly string[]): string => lines.map((l) => `  ${l}\n`).join('');

export function renderReloadOutcome(outcome: ReloadOutcome): string {
  const took = `${(outcome.durationUs / 1000).toFixed(1)} ms`;
  if (outcome.result === 'applied') return `Reload of ${outcome.configFile} applied in ${took}\n`;
  const why = outcome.result === 'refused' ? `${outcome.errors.length} error(s) in ${outcome.configFile}` : 'a service could not apply it';
  return `Reload ${outcome.result}: ${why}; the running configuration is kept\n${indented(outcome.errors)}`;
}

const NOT_CONFIGURED = new Set(['control', 'metrics']);

const SIGN = { add: '+', edit: '~', delete: '-' } as const;

function checkerLines(p: CheckerPreview): string {
  return `checkers: ${p.started.length} started, ${p.stopped.length} stopped, ${p.kept} kept as they are\n${indented([...p.started.map((c) => `+ ${c}`), ...p.stopped.map((c) => `- ${c}`)])}`;
}

function vrrpLines(p: ServiceReloadPreview): string {
  const change = (c: ServiceReloadPreview['changed'][number]): string => {
    const renamed = c.renamedFrom === undefined ? '' : ` (was ${c.renamedFrom})`;
    const vips = [...c.added.map((a) => `+${a}`), ...c.removed.map((a) => `-${a}`)];
    return `~ ${c.name}${renamed}: ${c.fields.join(', ')}${vips.length > 0 ? ` [${vips.join(' ')}]` : ''}`;
  };
  const head = `vrrp: ${p.started.length} started, ${p.stopped.length} stopped, ${p.changed.length} changed, ${p.unchanged.length} unchanged`;
  return `${head}\n${indented([...p.started.map((n) => `+ ${n}`), ...p.stopped.map((n) => `- ${n}`), ...p.changed.map(change)])}`;
}

function lvsLines(p: LvsPreview): string {
  return `lvs: ${p.changes.length} IPVS write(s)\n${indented(p.changes.map((c) => `${SIGN[c.op]} ${c.text}`))}`;
}

/** Services this file knows the preview of get their own lines; any other is shown as its JSON. */
function serviceLines(name: string, preview: object | null): string {
  if (preview === null) return `${name}: no preview (the service does not offer one)\n`;
  if ('error' in preview) return `${name}: cannot preview: ${String(preview.error)}\n`;
  if (name === 'vrrp') return vrrpLines(preview as ServiceReloadPreview);
  if (name === 'checkers') return checkerLines(preview as CheckerPreview);
  if (name === 'lvs') return lvsLines(preview as LvsPreview);
  return `${name}:\n${indented(JSON.stringify(preview, null, 2).split('\n'))}`;
}

export function renderReloadPreview(preview: ReloadPreview): string {
  if (preview.refused) return `A reload of ${preview.configFile} would be refused: ${preview.errors.length} error(s); nothing would change\n${indented(preview.errors)}`;
  // nothing in keepalived.conf configures the control socket or the metrics listener
  const services = Object.entries(preview.services).filter(([name, p]) => p !== null || !NOT_CONFIGURED.has(name));
  return `A reload of ${preview.configFile} would change:\n${services.map(([name, p]) => serviceLines(name, p)).join('')}`;
}
