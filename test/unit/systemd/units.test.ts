import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const UNITS = ['keepalived-ts.service', 'keepalived-ts-nonroot.service'];
const read = (name: string) => readFileSync(join('systemd', name), 'utf8');
vi.setConfig({ testTimeout: 60_000 });

/** `Key=value` lines of one unit, repeated keys joined by spaces (as systemd joins lists). */
function settings(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) map.set(m[1] as string, map.has(m[1] as string) ? `${map.get(m[1] as string)} ${m[2]}` : (m[2] as string));
  }
  return map;
}

const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
const haveAnalyze = analyze.status === 0;
if (!haveAnalyze) console.warn('!!! systemd-analyze is not installed: the units were NOT verified (apt-get install systemd) !!!');

describe('the unit files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kts-units-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // verify checks that ExecStart exists; the package puts the command in /usr/sbin, a checkout has it in bin/
  it.skipIf(!haveAnalyze).each(UNITS)('systemd-analyze verify finds nothing to say about %s', (name) => {
    writeFileSync(join(dir, name), read(name).replaceAll('/usr/sbin/keepalived-ts', resolve('bin/keepalived-ts')));
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', join(dir, name)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.each(UNITS)('%s: Type=notify, reload that waits for the daemon, the options file, restart on failure, after the network is up', (name) => {
    const unit = settings(read(name));
    expect(unit.get('Type')).toBe('notify');
    expect(unit.get('ExecReload')).toBe('/usr/sbin/keepalived-ts reload');
    expect(unit.get('EnvironmentFile')).toBe('-/etc/default/keepalived-ts');
    expect(unit.get('ExecStart')).toMatch(/^\/usr\/sbin\/keepalived-ts --dont-fork .*\$DAEMON_ARGS$/);
    expect(unit.get('Restart')).toBe('on-failure');
    expect(unit.get('After')).toBe('network-online.target');
    expect(unit.get('Wants')).toBe('network-online.target');
    expect(unit.get('ConditionFileNotEmpty')).toBe('/etc/keepalived/keepalived.conf');
  });

  it('the unprivileged variant has exactly NET_RAW and NET_ADMIN, and the address families VRRP, GARP and IPVS use', () => {
    const unit = settings(read('keepalived-ts-nonroot.service'));
    expect(unit.get('User')).toBe('keepalived-ts');
    expect(unit.get('AmbientCapabilities')).toBe('CAP_NET_RAW CAP_NET_ADMIN');
    expect(unit.get('CapabilityBoundingSet')).toBe('CAP_NET_RAW CAP_NET_ADMIN');
    expect(unit.get('RestrictAddressFamilies')).toBe('AF_UNIX AF_INET AF_INET6 AF_NETLINK AF_PACKET');
    expect(unit.get('NoNewPrivileges')).toBe('yes');
    expect(unit.get('ProtectSystem')).toBe('strict');
  });

  it('the system user the unprivileged variant names is the one sysusers.d creates', () => {
    expect(read('sysusers.d/keepalived-ts.conf')).toMatch(/^u keepalived-ts /m);
  });
});
