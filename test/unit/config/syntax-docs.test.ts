import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { SYNTAX_CODES } from '../../../src/config/syntax-codes.js';

it('docs/config-syntax.md lists every syntax diagnostic code with its severity', () => {
  const doc = readFileSync('docs/config-syntax.md', 'utf8');
  for (const [code, info] of Object.entries(SYNTAX_CODES)) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    expect(row, code).toBeDefined();
    expect(row).toContain(`| ${info.severity}${'fatal' in info ? ', fatal' : ''} |`);
  }
});
