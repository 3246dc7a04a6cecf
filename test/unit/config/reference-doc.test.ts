import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KEYWORDS } from '../../../src/config/keywords.js';
import { renderKeywordReference } from '../../../src/config/reference-doc.js';

const docPath = new URL('../../../docs/configuration.md', import.meta.url);

describe('docs/configuration.md', () => {
  const rendered = renderKeywordReference();
  if (process.env['UPDATE_DOCS'] === '1') writeFileSync(docPath, rendered);

  it('is the committed output of the generator (UPDATE_DOCS=1 regenerates it)', () => {
    expect(existsSync(docPath)).toBe(true);
    expect(readFileSync(docPath, 'utf8')).toBe(rendered);
  });

  it('lists every row of the keyword table', () => {
    for (const spec of KEYWORDS) expect(rendered, spec.name).toContain(`| \`${spec.name}\` |`);
  });

  it('shows defaults, status and legacy spellings', () => {
    expect(rendered).toMatch(/\| `priority` \| INT 1\.\.255 \| `100` \| acted on \|/);
    expect(rendered).toMatch(/\| `lb_algo` \| .* \| legacy spelling of `lvs_sched` \(warned\); acted on \|/);
    expect(rendered).toMatch(/\| `lvs_process_name` \| .* \| legacy spelling of `checker_process_name` \(warned\); parsed, not acted on \(warns\) \|/);
    expect(rendered).toMatch(/\| `vrrp_no_swap` \| \(flag\) \| {2}\| parsed, not acted on \(warns\) \|/);
  });
});
