import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// These run the built command (bin/ imports dist/), as a user would; the unit tier's global
// setup builds dist/ first.
const BIN = 'bin/keepalived-ts';
const dir = mkdtempSync(join(tmpdir(), 'cfg-syntax-cli-'));
// Each test starts node once or more; on a busy machine that takes seconds.
vi.setConfig({ testTimeout: 30_000 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function run(args: string[], nodeArgs: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', [...nodeArgs, BIN, ...args], { encoding: 'utf8' });
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GOOD = [
  'global_defs {',
  '  default_interface eth0',
  '}',
  'vrrp_instance VI_1 {',
  '  state BACKUP',
  '  interface eth0',
  '  virtual_router_id 51',
  '  priority 100',
  '  advert_int 1',
  '  virtual_ipaddress {',
  '    192.0.2.10/24',
  '  }',
  '}',
  '',
].join('\n');

describe('keepalived-ts -t', () => {
  it('exits 0 and prints nothing for a clean configuration', () => {
    const r = run(['-t', '-f', file('good.conf', GOOD)]);
    expect(r).toMatchObject({ status: 0, stderr: '' });
  });

  it('exits 0 with warnings, printed as FILE:LINE:COL: warning: ...', () => {
    const path = file('warn.conf', GOOD.replace('default_interface eth0', 'default_interface eth${NOT_DEFINED}'));
    const r = run(['--config-test', `--use-file=${path}`]);
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe(`${path}:2:24: warning: $NOT_DEFINED is not defined; left as is`);
  });

  it('exits 4 for errors keepalived would still run with, naming line and column', () => {
    const path = file('bad.conf', 'global_defs {\n  router_id "lb1\n}\n}\n');
    const r = run(['-t', '-f', path]);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain(`${path}:2:13: error: this quote is never closed`);
    expect(r.stderr).toContain(`${path}:4:1: error: '}' closes no block`);
  });

  it('shows the include chain under a diagnostic from an included file', () => {
    const inner = file('inner.conf', 'x {\n');
    const outer = file('outer.conf', `include ${inner}\n`);
    const lines = run(['-t', '-f', outer]).stderr.split('\n');
    const at = lines.findIndex((l) => l.includes('never closed'));
    expect(lines.slice(at, at + 3)).toEqual([
      `${inner}:1:3: error: '{' is never closed by a '}'`,
      "  hint: add the missing '}' where the block should end",
      `  included from ${outer}:1:1`,
    ]);
  });

  it('exits 3 when the configuration file cannot be read', () => {
    const r = run(['-t', '-f', join(dir, 'absent.conf')]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('absent.conf: no such file');
  });

  it('exits 3 when -f names a directory', () => {
    const r = run(['-t', '-f', dir]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('is a directory');
  });

  it('names stray operands, as keepalived does, and carries on', () => {
    const r = run(['-t', '-f', file('ops.conf', GOOD), 'stray', 'words']);
    expect(r).toMatchObject({ status: 0, stderr: 'Unexpected argument(s): stray words\n' });
  });

  it('reads /etc/keepalived/keepalived.conf when -f is not given', () => {
    const r = run(['-t', '--config-id', 'x']);
    expect([0, 3, 4, 5]).toContain(r.status);
    if (r.status === 3) expect(r.stderr).toContain('/etc/keepalived/keepalived.conf');
  });

  it('writes the diagnostics to the file named by --config-test=FILE instead of stderr', () => {
    const log = join(dir, 'test.log');
    const r = run([`--config-test=${log}`, '-f', file('bad2.conf', 'a {\n')]);
    expect(r).toMatchObject({ status: 4, stderr: '' });
    expect(readFileSync(log, 'utf8')).toMatch(/bad2\.conf:1:3: error: /);
  });

  it('matches @id lines against -i', () => {
    const path = file('cond.conf', '@lb1 a {\n@^lb1 b {\n');
    expect(run(['-t', '-i', 'lb1', '-f', path]).stderr).toMatch(/cond\.conf:1:8: error/);
    expect(run(['-t', '-ilb2', '-f', path]).stderr).toMatch(/cond\.conf:2:9: error/);
  });

  it('prints the effective configuration as JSON on stdout with -d', () => {
    const r = run(['-t', '-d', '-f', file('dump.conf', GOOD)]);
    expect(r.status).toBe(0);
    const dump = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(dump)).toEqual(['global_defs', 'vrrp_scripts', 'track_files', 'vrrp_sync_groups', 'vrrp_instances', 'virtual_server_groups', 'virtual_servers']);
    expect(dump.vrrp_instances).toEqual([expect.objectContaining({ name: 'VI_1', virtual_router_id: 51, priority: 100 })]);
  });

  it('exits 5 when scripts are configured without script security', () => {
    const path = file('scripts.conf', GOOD.replace('  advert_int 1', '  advert_int 1\n  notify_master /usr/local/bin/master.sh'));
    const r = run(['-t', '-f', path]);
    expect(r.status).toBe(5);
    expect(r.stderr).toContain('script_security');
  });

  it('exits 4 for keyword errors, reporting syntax and keyword problems together in line order', () => {
    const path = file('mixed.conf', GOOD.replace('  priority 100', '  netify_backup /x\n  priority "100'));
    const r = run(['-t', '-f', path]);
    expect(r.status).toBe(4);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith(path));
    expect(lines.map((l) => l.slice(path.length).split(':').slice(1, 3).join(':'))).toEqual(['8:3', '9:12']);
    expect(r.stderr).toContain("did you mean 'notify_backup'?");
  });

  it('accepts every keepalived daemon flag alongside -t', () => {
    const path = file('flags.conf', GOOD);
    const r = run(['-nlDG', '-S', 'local3', '-P', '-C', '-p', '/run/a.pid', '-r/run/b.pid', '--checkers_pid=/run/c.pid', '-b', '/run/d.pid', '-i', 'id', '-X', '-V', '-I', '--dont-fork', '--log-detail', '-t', '-f', path]);
    expect(r).toMatchObject({ status: 0, stderr: '' });
  });
});

describe('keepalived-ts without -t', () => {
  it('runs only in the foreground: without -n it says so and exits 3', () => {
    const r = run(['-f', file('d.conf', GOOD)]);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe('keepalived-ts: runs in the foreground only: add -n/--dont-fork (systemd: Type=notify)\n');
  });

  it('refuses to start the daemon on a config with errors, printing the diagnostics, exit 3', () => {
    const path = file('broken.conf', 'global_defs {\n  router_id "lb1\n}\n}\n');
    const r = run(['-n', '-l', '-P', '-f', path, '-p', join(dir, 'broken.pid')]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^${path}:\\d+:\\d+: error: `, 'm'));
    expect(r.stderr).toContain(`keepalived-ts: ${path} has errors: not starting\n`);
    expect(r.stdout).toBe('');
  });

  it('lists keepalived options in --help', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    for (const name of ['--use-file=FILE', '--dont-fork', '--config-test[=LOG_FILE]', '--vrrp_pid=FILE', '--checkers_pid=FILE', '--bfd_pid=FILE', '--config-id=id', '--release-vips', '--dont-release-vrrp', '--dont-release-ipvs']) {
      expect(r.stdout).toContain(name);
    }
  });

  it('prints the signal numbers keepalived uses with --signum', () => {
    expect(run(['--signum=RELOAD'])).toMatchObject({ status: 0, stdout: '1\n' });
    expect(run(['--signum', 'STOP'])).toMatchObject({ status: 0, stdout: '15\n' });
    expect(run(['--signum=NOPE'])).toMatchObject({ status: 1, stderr: 'Unknown sigfunc NOPE\n' });
  });

  it('rejects unknown options, missing parameters and bad facilities with exit 1, like keepalived', () => {
    expect(run(['-q']).status).toBe(1);
    expect(run(['-q']).stderr.split('\n')[0]).toBe('Unknown option -q');
    expect(run(['--use-file']).stderr.split('\n')[0]).toBe('Missing parameter for option --use-file');
    expect(run(['-t', '-S', '9'])).toMatchObject({ status: 1, stderr: "Invalid log facility '9'\n" });
  });

  it('turns an unexpected exception into one line and exit 3', () => {
    const breakJson = 'data:text/javascript,JSON.stringify=()=>{throw new Error("boom")}';
    const r = run(['-t', '-d', '-f', file('j.conf', GOOD)], ['--import', breakJson]);
    expect(r).toMatchObject({ status: 3, stderr: 'keepalived-ts: internal error: boom\n' });
  });
});
