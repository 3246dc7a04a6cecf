/**
 * Differential test against Debian's keepalived 2.2.7 (installed by test/run-all.sh): on every
 * config in conf/ and in the broken corpus, every keyword `keepalived -t` calls unknown must be
 * one we warn or error about too. We may say more than keepalived; we must never stay silent
 * where it complains.
 *
 * How a keyword keepalived reports as unknown counts as covered by us, in order:
 * 1. we have a diagnostic naming that keyword (`[keyword]`);
 * 2. we have a diagnostic on the same line (keepalived reports the first word of a line it
 *    could not place: the member names of the old `vrrp_sync_group G { VI_1 VI_2 }` form, which
 *    we accept with a deprecation warning on each, or a line of prose);
 * 3. the line is inside a block we rejected as a whole: keepalived, having skipped the block's
 *    `{`, reports every line in it again, one by one (`url{` in a real_server, a misspelt
 *    `vrrp_instanse`), where we report the block once;
 * 4. it is `}`: keepalived echoes a brace it cannot match after an earlier mistake; covered if
 *    we reported an error on or before that line;
 * 5. the file is in KEEPALIVED_LOST_TRACK and the line comes after the mistake that derailed
 *    keepalived's reading there: it then reports lines that are fine, as a consequence of a
 *    mistake both of us report;
 * 6. it is a keyword keepalived 2.4.3 has and Debian's 2.2.7 lacks (UNKNOWN_TO_2_2_7, measured
 *    by probing every keyword of our table, see the last test).
 * Legacy spellings keepalived forgot need no rule of their own: it registers `nb_get_retry` only
 * inside HTTP_GET and SSL_GET (2.2.7 and 2.4.3 alike), so in the seeds' TCP_CHECK blocks it calls
 * it unknown, where we read it as `retry` with a deprecation warning (rule 1); it calls the bare
 * member names of the old sync group form unknown, where we warn on each (rule 2).
 *
 * keepalived's -t reports only to syslog unless `-l` (log to console) is given; it reads the
 * config in its parent and again in the VRRP and checker children, so each report comes up to
 * three times, sometimes without the file name. We keep (line, keyword) pairs. It needs no pid
 * file and starts no daemon with -t; it does look up interfaces, which changes nothing here.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, Statement } from '../../src/config/ast.js';
import { REPO } from '../unit/config/cli.js';
import { CONF_DIR, brokenConfigs, configsUnder } from '../unit/config/corpus-files.js';
import { checkConfig } from '../unit/config/pipeline.js';
import { inPool } from '../unit/config/run-pool.js';
import { keywordProbes } from './keyword-probe.js';

/**
 * keyword@block pairs of our table (keepalived 2.4.3's keywords) that Debian's 2.2.7 calls unknown,
 * measured by the probe test below. Most came after 2.2.7 (they are missing from the
 * install_keyword() calls at its v2.2.7 tag of keepalived's source): the VRRP auth_hmac block,
 * JSON/state dumps, iproute paths, the TLS options of HTTP_GET, ... `vrrp_ipsets` is in 2.2.7's
 * source, but Debian builds it without ipset support. `key` is only unknown because it sits in
 * auth_hmac, itself unknown to 2.2.7. `lvs_id` is the 1.1.x name of router_id, which no 2.x
 * keepalived knows and we accept with a deprecation warning.
 */
const UNKNOWN_TO_2_2_7 = [
  'use_symlink_paths@global_defs',
  'v3_checksum_as_v2@global_defs',
  'vrrp_ipsets@global_defs',
  'snmp_vs_stats_update_interval@global_defs',
  'snmp_rs_stats_update_interval@global_defs',
  'dbus_no_interface_name@global_defs',
  'set_supplementary_groups@global_defs',
  'vrrp_delay_after_boot@global_defs',
  'vrrp_owner_ignore_adverts@global_defs',
  'json_version@global_defs',
  'iproute_usr_dir@global_defs',
  'iproute_etc_dir@global_defs',
  'state_dump_file@global_defs',
  'stats_dump_file@global_defs',
  'json_dump_file@global_defs',
  'no_virtual_ipaddress@vrrp_instance',
  'v3_checksum_as_v2@vrrp_instance',
  'timer_expired_backup@vrrp_instance',
  'thread_timer_expired@vrrp_instance',
  'owner_ignore_adverts@vrrp_instance',
  'auth_hmac@vrrp_instance',
  'key@auth_hmac',
  'active_key@auth_hmac',
  'time_window@auth_hmac',
  'anti_replay@auth_hmac',
  'mode@auth_hmac',
  'multihop@bfd_instance',
  'sni_name@HTTP_GET',
  'tls_compliant@HTTP_GET',
  'tls_compliant@url',
  'lvs_id@global_defs',
];

/** The keyword names of UNKNOWN_TO_2_2_7 (rule 6). */
const NEWER_THAN_2_2_7: ReadonlySet<string> = new Set(UNKNOWN_TO_2_2_7.map((id) => id.split('@')[0] ?? id));

/**
 * Files where one mistake makes keepalived read the rest differently from us, so it reports good
 * lines after it as unknown: file → the first such line, and why.
 */
const KEEPALIVED_LOST_TRACK: ReadonlyMap<string, { readonly from: number; readonly why: string }> = new Map([
  [
    'brace-without-keyword.conf',
    {
      from: 7,
      why:
        "keepalived drops the stray '{' after virtual_router_id but not its '}', which then closes vrrp_instance at line 6, " +
        'so virtual_ipaddress lands at the top level; we ignore the whole stray block and report it at 3:5',
    },
  ],
  [
    'self-referential-variable.conf',
    {
      from: 4,
      why: 'keepalived expands $IFACE=${IFACE}0 into a long run of zeros with a stray { and loses the block structure from ' + 'line 4 on; we stop the loop and report it at 4:15',
    },
  ],
]);

/**
 * The corpus case that repeats a line 100 million times: keepalived expands all of it and grinds
 * for minutes (measured: 36 million lines in 60 s), so there is nothing to compare in a test's
 * time. We stop at our repetition limit with an error (see the broken-corpus test).
 */
const KEEPALIVED_TOO_SLOW = new Set(['huge-seq.conf']);

const FILES = [...configsUnder(CONF_DIR), ...brokenConfigs()];

interface Unknown {
  readonly line: number;
  readonly keyword: string;
}

const UNKNOWN = /^\((?:.*?: )?Line (\d+)\) Unknown keyword '(.*)'$/;

function keepalivedUnknowns(file: string): Unknown[] {
  const run = spawnSync('keepalived', ['-t', '-l', '-f', basename(file)], { cwd: dirname(file), encoding: 'utf8', timeout: 30_000 });
  if (run.error) throw run.error;
  const seen = new Map<string, Unknown>();
  for (const line of `${run.stdout}\n${run.stderr}`.split('\n')) {
    const m = UNKNOWN.exec(line.trim());
    if (m) seen.set(`${m[1]}\u0000${m[2]}`, { line: Number(m[1]), keyword: m[2] ?? '' });
  }
  return [...seen.values()];
}

/** Lines of every statement nested (at any depth) in a statement we diagnosed. */
function linesInsideDiagnosedBlocks(statements: readonly Statement[], diagnosed: ReadonlySet<string>): Set<number> {
  const lines = new Set<number>();
  const addAll = (list: readonly Statement[]): void => {
    for (const s of list) {
      lines.add(s.pos.line);
      if (s.block) addAll(s.block);
    }
  };
  const walk = (list: readonly Statement[]): void => {
    for (const s of list) {
      if (!s.block) continue;
      if (diagnosed.has(`${s.pos.file}\u0000${s.pos.line}`)) addAll(s.block);
      else walk(s.block);
    }
  };
  walk(statements);
  return lines;
}

function uncovered(file: string, unknowns: readonly Unknown[], diagnostics: readonly Diagnostic[], statements: readonly Statement[]): Unknown[] {
  const lost = KEEPALIVED_LOST_TRACK.get(basename(file))?.from ?? Number.POSITIVE_INFINITY;
  const keywords = new Set(diagnostics.map((d) => d.keyword));
  const lines = new Set(diagnostics.map((d) => d.pos?.line));
  const diagnosed = new Set(diagnostics.flatMap((d) => (d.pos ? [`${d.pos.file}\u0000${d.pos.line}`] : [])));
  const inside = linesInsideDiagnosedBlocks(statements, diagnosed);
  const firstError = Math.min(...diagnostics.filter((d) => d.severity === 'error').map((d) => d.pos?.line ?? 0));
  return unknowns.filter(
    (u) => !keywords.has(u.keyword) && !lines.has(u.line) && !inside.has(u.line) && !(u.keyword === '}' && firstError <= u.line) && u.line < lost && !NEWER_THAN_2_2_7.has(u.keyword),
  );
}

/** Fails, loudly, on a machine without Debian's keepalived 2.2.7: this test must not pass by not running. */
function requireKeepalived227(): void {
  const version = spawnSync('keepalived', ['-v'], { encoding: 'utf8' });
  if (version.error) {
    throw new Error(`Debian's keepalived is not installed (${version.error.message}); test/run-all.sh installs it as root`);
  }
  expect(`${version.stdout}${version.stderr}`).toMatch(/Keepalived v2\.2\.7\b/);
}

describe("keepalived's unknown keywords are a subset of ours", () => {
  it('runs against Debian keepalived 2.2.7', requireKeepalived227);

  it.each(FILES.filter((f) => !KEEPALIVED_TOO_SLOW.has(basename(f))).map((f) => [f.slice(REPO.length), f]))('%s', (_name, file) => {
    requireKeepalived227();
    const ours = checkConfig(file);
    const missed = uncovered(file, keepalivedUnknowns(file), ours.diagnostics, ours.statements);
    expect(missed.map((u) => `line ${u.line}: '${u.keyword}'`)).toEqual([]);
  });

  it('the keywords of our table Debian keepalived 2.2.7 calls unknown are exactly UNKNOWN_TO_2_2_7', async () => {
    requireKeepalived227();
    const dir = mkdtempSync(join(tmpdir(), 'cfg-evidence-probe-'));
    try {
      const probes = keywordProbes();
      const verdicts = await inPool(probes, 4, (probe) => {
        const file = join(dir, `${probe.id}.conf`);
        writeFileSync(file, probe.text);
        return new Promise<boolean>((done, fail) => {
          execFile('keepalived', ['-t', '-l', '-f', file], { timeout: 30_000 }, (err, stdout, stderr) => {
            if (err && (typeof err.code === 'string' || err.killed)) fail(new Error(err.message, { cause: err }));
            else done(`${stdout}${stderr}`.includes(`Unknown keyword '${probe.keyword}'`));
          });
        });
      });
      expect(
        probes
          .filter((_p, i) => verdicts[i])
          .map((p) => p.id)
          .sort(),
      ).toEqual([...UNKNOWN_TO_2_2_7].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
