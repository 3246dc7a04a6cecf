/**
 * The broken-config corpus: every `broken/NAME.conf` is checked by the whole pipeline, in process
 * and through `bin/keepalived-ts -t`, and must give exactly the diagnostics `broken/NAME.expect`
 * lists (format in expectations.ts), at the right line and column, without throwing or hanging.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { printedDiagnostics, runConfigTests, type CliRun } from './cli.js';
import { BROKEN_DIR as BROKEN, brokenConfigs } from './corpus-files.js';
import { readExpectations, unmatched } from './expectations.js';
import { checkConfig } from './pipeline.js';
import { samePrintedDiagnostics } from './printed.js';

const CASES = brokenConfigs().map((path) => basename(path));

let runs = new Map<string, CliRun>();

beforeAll(async () => {
  runs = await runConfigTests(brokenConfigs());
}, 300_000);

it('holds at least 40 broken configs, each with its expectations', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(40);
  const expects = new Set(readdirSync(BROKEN).filter((n) => n.endsWith('.expect')));
  expect(CASES.filter((n) => !expects.has(n.replace(/\.conf$/, '.expect')))).toEqual([]);
});

describe.each(CASES)('%s', (name) => {
  const file = join(BROKEN, name);
  const expected = readExpectations(file.replace(/\.conf$/, '.expect'), file);

  it('-t terminates without a crash or a stack trace', () => {
    const run = runs.get(file);
    expect(run?.timedOut).toBe(false);
    expect(run?.stderr).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
  });

  it(`-t exits with ${expected.exitCode}`, () => {
    expect(runs.get(file)?.code).toBe(expected.exitCode);
  });

  it('nothing fails inside, and -t prints what the pipeline found', () => {
    if (runs.get(file)?.timedOut !== false) throw new Error('not run in process: the CLI did not terminate');
    const result = checkConfig(file);
    expect(result.diagnostics.filter((d) => d.code === 'internal-error')).toEqual([]);
    expect(samePrintedDiagnostics(printedDiagnostics(runs.get(file)?.stderr ?? ''), result.diagnostics)).toEqual([]);
  });

  it('gives exactly the expected diagnostics', () => {
    if (runs.get(file)?.timedOut !== false) throw new Error('not run in process: the CLI did not terminate');
    expect(unmatched(checkConfig(file).diagnostics, expected.diagnostics, file)).toEqual([]);
  });
});
