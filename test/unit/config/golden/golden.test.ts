/**
 * Golden `keepalived-ts -t -d` runs: stdout, stderr and exit status of the conf/ corpus, the
 * broken corpus, a few hundred seeded mutations of them and the 1,000 x 10 benchmark file,
 * recorded before the front end was made faster (issue 14). Any change to what `-t` prints
 * fails here byte for byte; `UPDATE_GOLDEN=1` rewrites golden.json when a change is meant.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { generateConfig } from '../../../../bench/config-load/generate.js';
import { main } from '../../../../src/cli/main.js';
import { REPO } from '../cli.js';
import { BROKEN_DIR, CONF_DIR, brokenConfigs, configsUnder } from '../corpus-files.js';
import { mutate } from './mutate.js';

// the host name is the default router_id and config id: the golden output must not depend on it
vi.mock('node:os', async (original) => {
  const os = await original<typeof import('node:os')>();
  const hostname = (): string => 'golden-host';
  return { ...os, hostname, default: { ...os, hostname } };
});

const GOLDEN = join(REPO, 'test/unit/config/golden/golden.json');
const MUTATIONS = 300;
/** Outputs longer than this are kept as a hash, so the fixture stays a few MB. */
const INLINE_LIMIT = 65_536;

interface GoldenRun {
  readonly name: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const scratch = mkdtempSync(join(tmpdir(), `kts-golden-${process.pid}-`));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function inline(text: string): string {
  return text.length <= INLINE_LIMIT ? text : `sha256:${createHash('sha256').update(text).digest('hex')} (${text.length} chars)`;
}

/** `-t -d -f file` in process, with the file's directory replaced by a stable name in the output. */
function run(name: string, file: string, dir: string, label: string): GoldenRun {
  let stdout = '';
  let stderr = '';
  const exitCode = main(['-t', '-d', '-f', file], { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  if (typeof exitCode !== 'number') throw new Error('-t returned a promise');
  const stable = (t: string): string => t.split(dir).join(label);
  return { name, exitCode, stdout: inline(stable(stdout)), stderr: inline(stable(stderr)) };
}

function allRuns(): GoldenRun[] {
  const runs: GoldenRun[] = [];
  for (const file of configsUnder(CONF_DIR)) runs.push(run(`conf/${relative(CONF_DIR, file)}`, file, REPO, '<repo>/'));
  for (const file of brokenConfigs()) runs.push(run(`broken/${relative(BROKEN_DIR, file)}`, file, REPO, '<repo>/'));
  const sources = [...configsUnder(CONF_DIR), ...brokenConfigs()];
  const mutDir = join(scratch, 'mutations');
  mkdirSync(mutDir);
  for (let seed = 1; seed <= MUTATIONS; seed++) {
    const source = sources[seed % sources.length] as string;
    const { kind, text } = mutate(readFileSync(source, 'utf8'), seed);
    const file = join(mutDir, `m${seed}.conf`);
    writeFileSync(file, text);
    runs.push(run(`mutation ${seed} (${kind}) of ${relative(REPO, source)}`, file, mutDir, '<mutations>'));
  }
  const big = join(scratch, 'bench-1000x10.conf');
  writeFileSync(big, generateConfig({ virtualServers: 1000, realServersPerVs: 10 }));
  runs.push(run('bench/config-load 1000 x 10', big, scratch, '<tmp>'));
  return runs;
}

it('reproduces every golden -t -d run byte for byte', () => {
  const runs = allRuns();
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(GOLDEN, `${JSON.stringify(runs, null, 1)}\n`);
  const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as GoldenRun[];
  expect(runs.map((r) => r.name)).toEqual(golden.map((r) => r.name));
  for (const [i, r] of runs.entries()) expect(r, r.name).toEqual(golden[i]);
}, 300_000);
