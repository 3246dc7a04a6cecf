/**
 * Every config shipped under conf/ (ours and the ones taken from the seeds) checks with `-t`
 * exactly as `conf-expect/<same path>.expect` says: the clean ones with no diagnostic and exit 0,
 * the seeds' with the diagnostics their mistakes deserve.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, printedDiagnostics, runConfigTests, type CliRun } from './cli.js';
import { CONF_DIR, configsUnder } from './corpus-files.js';
import { readExpectations, unmatched } from './expectations.js';
import { checkConfig } from './pipeline.js';
import { samePrintedDiagnostics } from './printed.js';

const EXPECT = join(REPO, 'test/unit/config/conf-expect');

const FILES = configsUnder(CONF_DIR).map((path) => relative(CONF_DIR, path));
let runs = new Map<string, CliRun>();

beforeAll(async () => {
  runs = await runConfigTests(FILES.map((rel) => join(CONF_DIR, rel)));
}, 120_000);

it('ships the four seed configs and at least two clean ones', () => {
  expect(FILES.filter((f) => f.startsWith('examples/'))).toHaveLength(4);
  expect(FILES.filter((f) => !f.includes('/')).length).toBeGreaterThanOrEqual(2);
});

describe.each(FILES)('conf/%s', (rel) => {
  const file = join(CONF_DIR, rel);
  const expectFile = join(EXPECT, rel.replace(/\.conf$/, '.expect'));

  it('has its expectations', () => {
    expect(existsSync(expectFile)).toBe(true);
  });

  it('-t gives exactly the diagnostics and exit code it deserves', () => {
    const expected = readExpectations(expectFile, file);
    const run = runs.get(file);
    expect(run?.timedOut).toBe(false);
    expect(run?.code).toBe(expected.exitCode);
    const result = checkConfig(file);
    expect(unmatched(result.diagnostics, expected.diagnostics, file)).toEqual([]);
    expect(samePrintedDiagnostics(printedDiagnostics(run?.stderr ?? ''), result.diagnostics)).toEqual([]);
  });
});
