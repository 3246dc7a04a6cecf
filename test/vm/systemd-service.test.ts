/**
 * The package under a real systemd (issue 12): the .deb that `npm run package:deb` builds,
 * installed with dpkg in the systemd guest (systemd 252 as PID 1, journald), then both units
 * started, reloaded and stopped with systemctl, and what journald and the kernel show checked.
 * One VRRP instance on a veth pair inside the guest; nothing leaves it.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemdVm as vm } from './harness/vm.js';

const VIP = '10.77.0.100';
// Starting a process takes seconds in the emulated guest: the track script gets a long timeout
// and three failures before it counts, or its timeouts would flap the instance.
const CONFIG = `vrrp_script chk_true {
  script "/bin/true"
  interval 5
  timeout 60
  fall 3
}
vrrp_instance VI_1 {
  state MASTER
  interface ktssd0
  virtual_router_id 77
  priority 150
  advert_int 1
  virtual_ipaddress {
    ${VIP}/24
  }
  track_script {
    chk_true
  }
  notify /usr/local/bin/kts-notify
  notify_master /bin/false
}
`;
// The non-root unit also programs IPVS and health-checks a real server: a TCP_CHECK on a
// listener in the guest; `alpha` starts the server down, so it enters the table only after the
// checker, running with the unit's capabilities, has connected.
const REAL_SERVER = '10.77.0.1';
const CONFIG_WITH_LVS = `${CONFIG}virtual_server ${VIP} 8080 {
  delay_loop 5
  alpha
  lvs_sched rr
  lvs_method NAT
  protocol TCP
  real_server ${REAL_SERVER} 8081 {
    TCP_CHECK {
      connect_timeout 30
    }
  }
}
`;
// writes who ran it and its arguments where both units may write (RuntimeDirectory=)
const NOTIFY = '#!/bin/sh\necho "$(id -un) $*" >> /run/keepalived-ts/notify.log\n';

/** Polls in the guest until `condition` (a shell test) holds; fails after `seconds`. */
async function waitFor(condition: string, seconds = 180): Promise<void> {
  await vm.run('/bin/sh', ['-c', `i=0; until ${condition}; do i=$((i+1)); [ $i -ge ${seconds * 4} ] && exit 1; sleep 0.25; done`], { timeoutMs: (seconds + 30) * 1000 });
}

const hasVip = `ip -o addr show dev ktssd0 | grep -q ' ${VIP}/'`;
const journal = async (unit: string, ...args: string[]) => (await vm.run('journalctl', ['--no-pager', '-u', unit, ...args])).split('\n').filter(Boolean);

/** The reload outcomes the unit's daemon has logged, oldest first (not the command's echo of them on stderr, nor systemd's lines). */
const reloadOutcomes = async (unit: string) => (await journal(unit, '-t', 'Keepalived', '-o', 'cat')).filter((l) => /^Reload (complete$|failed|refused)/.test(l));
/** `systemctl reload UNIT` in the guest: its exit status and how long it took. */
async function timedReload(unit: string): Promise<{ code: number; ms: number }> {
  const out = await vm.run('/bin/sh', ['-c', `a=$(date +%s%N); systemctl reload ${unit}; c=$?; b=$(date +%s%N); echo "$c $(( (b - a) / 1000000 ))"`], { timeoutMs: 600_000 });
  const [code, ms] = out.trim().split(' ').map(Number);
  return { code: code as number, ms: ms as number };
}

let deb = '';

beforeAll(async () => {
  // the package is built on the host, from this checkout, by the script users run
  const out = execFileSync('npm', ['run', '--silent', 'package:deb'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 540_000 });
  deb = out.trim().split('\n').at(-1) as string;
  await vm.sh(
    [
      'ip link add ktssd0 type veth peer name ktssd1',
      'ip link set ktssd1 up',
      'ip link set ktssd0 up',
      'ip addr add 10.77.0.1/24 dev ktssd0',
      `printf '%s' '${NOTIFY}' > /usr/local/bin/kts-notify`,
      'chmod 0755 /usr/local/bin/kts-notify',
      // JavaScript runs 20-30 times slower in the emulated guest: a start that takes seconds on
      // a host takes minutes here, past systemd's default 90 s. A failure must show, not loop.
      ...['keepalived-ts', 'keepalived-ts-nonroot'].map(
        (unit) => `mkdir -p /run/systemd/system/${unit}.service.d && printf '[Service]\\nTimeoutStartSec=900\\nRestart=no\\n' > /run/systemd/system/${unit}.service.d/emulated.conf`,
      ),
    ].join('\n'),
  );
}, 600_000);

afterAll(async () => {
  await vm.exec('systemctl', ['stop', 'keepalived-ts', 'keepalived-ts-nonroot']);
  await vm.exec('ip', ['link', 'del', 'ktssd0']);
});

describe('the package in a systemd guest', () => {
  it('installs with dpkg beside Debian keepalived, with the system user and verified units', async () => {
    const install = await vm.exec('dpkg', ['-i', deb], { timeoutMs: 300_000 });
    // the conffile is the all-comment example: the test's instance replaces it
    await vm.run('/bin/sh', ['-c', `cat > /etc/keepalived/keepalived.conf`], { input: CONFIG });
    expect(install.code).toBe(0);
    // systemd-sysusers reports the user it creates on stderr; nothing else may be there
    expect(install.stderr.split('\n').filter((l) => l !== '' && !/^Creating (group|user) 'keepalived-ts'/.test(l))).toEqual([]);
    expect(await vm.run('getent', ['passwd', 'keepalived-ts'])).toMatch(/^keepalived-ts:x:\d+:\d+:/);
    expect((await vm.run('/usr/sbin/keepalived-ts', ['--version'])).trim()).toMatch(/^keepalived-ts \d/);
    // both units verified where they are installed, with the real ExecStart
    const verify = await vm.exec('systemd-analyze', ['verify', '--man=no', 'keepalived-ts.service', 'keepalived-ts-nonroot.service']);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    expect(await vm.run('man', ['-w', 'keepalived-ts'])).toContain('/usr/share/man/man8/keepalived-ts.8.gz');
  });

  it('systemctl start returns once the daemon said READY=1, after the VRRP service started', async () => {
    await vm.run('systemctl', ['start', 'keepalived-ts'], { timeoutMs: 540_000 });
    expect((await vm.run('systemctl', ['show', '-P', 'ActiveState', 'keepalived-ts'])).trim()).toBe('active');
    const lines = await journal('keepalived-ts', '-o', 'cat');
    const started = lines.findIndex((l) => /^Started keepalived-ts\.service/.test(l) || /^Started keepalived-ts: /.test(l));
    expect(lines.indexOf('VRRP started')).toBeGreaterThanOrEqual(0);
    expect(started).toBeGreaterThan(lines.indexOf('VRRP started'));
  });

  it('becomes MASTER and journald files each line at its priority, identifier and fields', async () => {
    await waitFor(hasVip);
    // notify_master /bin/false fails: the one runtime warning this config causes
    await waitFor(`journalctl -u keepalived-ts -p warning -o cat | grep -q 'notify script'`);
    // exactly the warnings this config causes: its one config warning (as an entry at priority 4,
    // not a stderr line journald would file at 6) and the failing notify_master
    expect(await journal('keepalived-ts', '-p', 'warning', '-o', 'cat')).toEqual([
      '/etc/keepalived/keepalived.conf:1:1: warning: SECURITY VIOLATION - scripts are being executed but script_security not enabled. [script]',
      'notify script /bin/false exited 1',
    ]);
    const [configWarning] = (await journal('keepalived-ts', '-o', 'json', '-p', 'warning', 'CODE=script-security-disabled')).map((l) => JSON.parse(l) as Record<string, string>);
    expect(configWarning).toMatchObject({ PRIORITY: '4', AT: '/etc/keepalived/keepalived.conf:1:1', HINT: 'add enable_script_security to global_defs (scripts then run as script_user, not root)' });
    const [entry] = (await journal('keepalived-ts', '-o', 'json', 'MESSAGE=(VI_1) Entering MASTER STATE')).map((l) => JSON.parse(l) as Record<string, string>);
    expect(entry).toMatchObject({ PRIORITY: '6', SYSLOG_IDENTIFIER: 'Keepalived_vrrp', SYSLOG_FACILITY: '3', INSTANCE: 'VI_1', STATE: 'MASTER', _SYSTEMD_UNIT: 'keepalived-ts.service' });
    expect((await vm.run('journalctl', ['--no-pager', '-t', 'Keepalived_vrrp', '-o', 'cat', 'INSTANCE=VI_1'])).split('\n')).toContain('(VI_1) Entering MASTER STATE');
  });

  it('systemctl status shows the STATUS= summary line: the instance and its state', async () => {
    await waitFor(`systemctl show -P StatusText keepalived-ts | grep -qx 'VI_1 MASTER'`, 60);
    expect(await vm.run('systemctl', ['status', '--no-pager', '--lines=0', 'keepalived-ts'])).toMatch(/^\s+Status: "VI_1 MASTER"$/m);
  });

  it('systemctl reload returns once the daemon has logged Reload complete (ExecReload waits on the control socket), fails on a refused file, and the daemon keeps running with its VIP', async () => {
    const pid = (await vm.run('systemctl', ['show', '-P', 'MainPID', 'keepalived-ts'])).trim();
    const before = (await reloadOutcomes('keepalived-ts')).length;
    const applied = await timedReload('keepalived-ts');
    console.log(`systemctl reload: exit ${applied.code} after ${applied.ms} ms; journal:\n${(await journal('keepalived-ts', '-o', 'short-monotonic')).slice(-8).join('\n')}`);
    expect(applied.code).toBe(0);
    // no waiting: when systemctl returns, the daemon has logged the end of this reload
    expect((await reloadOutcomes('keepalived-ts')).slice(before)).toEqual(['Reload complete']);

    // a file with an error: the reload fails, the daemon runs on with the configuration it had
    await vm.run('/bin/sh', ['-c', `cat > /etc/keepalived/keepalived.conf`], { input: CONFIG.replace('priority 150', 'priority banana') });
    const refused = await timedReload('keepalived-ts');
    expect(refused.code).not.toBe(0);
    expect((await reloadOutcomes('keepalived-ts')).slice(before + 1)).toEqual(['Reload refused: 1 error(s) in /etc/keepalived/keepalived.conf; the running configuration is kept']);
    expect((await journal('keepalived-ts', '-o', 'cat')).filter((l) => l.startsWith('Reload failed for keepalived-ts.service'))).toHaveLength(1);
    expect(await vm.run('systemctl', ['show', '-P', 'StatusText', 'keepalived-ts'])).toMatch(/^VI_1 MASTER; last reload not applied \(1 error\(s\)\)/);
    await vm.run('/bin/sh', ['-c', `cat > /etc/keepalived/keepalived.conf`], { input: CONFIG });

    expect((await vm.run('systemctl', ['show', '-P', 'MainPID', 'keepalived-ts'])).trim()).toBe(pid);
    expect((await vm.run('systemctl', ['show', '-P', 'ActiveState', 'keepalived-ts'])).trim()).toBe('active');
    expect((await vm.exec('/bin/sh', ['-c', hasVip])).code).toBe(0);
  });

  it('systemctl stop releases the VIP within TimeoutStopSec, and the daemon exits by itself', async () => {
    const timeoutUs = Number((await vm.run('systemctl', ['show', '-P', 'TimeoutStopUSec', 'keepalived-ts'])).trim().replace(/s$/, '')) * 1e6 || 30e6;
    const took = await vm.run('/bin/sh', ['-c', 'a=$(date +%s%N); systemctl stop keepalived-ts; b=$(date +%s%N); echo $(( (b - a) / 1000 ))']);
    console.log(`systemctl stop took ${Number(took) / 1000} ms`);
    expect(Number(took)).toBeLessThan(timeoutUs);
    expect((await vm.run('systemctl', ['show', '-P', 'Result', 'keepalived-ts'])).trim()).toBe('success');
    expect((await vm.exec('/bin/sh', ['-c', hasVip])).code).not.toBe(0);
    expect(await journal('keepalived-ts', '-o', 'cat')).toContain('VRRP stopped');
  });

  it('the non-root unit runs the VRRP instance, its track script and notify scripts, a TCP_CHECK and IPVS with only NET_RAW and NET_ADMIN', async () => {
    // loading a kernel module needs CAP_SYS_MODULE, which the unit does not have: the administrator's
    // modules-load.d does it on a real system, the test as root here
    await vm.run('modprobe', ['ip_vs']);
    await vm.run('/bin/sh', ['-c', `cat > /etc/keepalived/keepalived.conf`], { input: CONFIG_WITH_LVS });
    await vm.run('/bin/sh', ['-c', `setsid -f node -e "require('net').createServer((s) => s.end()).listen(8081, '${REAL_SERVER}')" >/dev/null 2>&1`]);
    await vm.run('systemctl', ['start', 'keepalived-ts-nonroot'], { timeoutMs: 540_000 });
    await waitFor(hasVip);
    await waitFor(`grep -q MASTER /run/keepalived-ts/notify.log`);
    const pid = (await vm.run('systemctl', ['show', '-P', 'MainPID', 'keepalived-ts-nonroot'])).trim();
    expect((await vm.run('ps', ['-o', 'user=', '-p', pid])).trim()).toBe('keepalived-ts');
    const status = await vm.run('cat', [`/proc/${pid}/status`]);
    // CAP_NET_ADMIN is bit 12, CAP_NET_RAW bit 13: effective, permitted and bounding hold those two only
    for (const set of ['CapEff', 'CapPrm', 'CapBnd']) expect(status).toMatch(new RegExp(`^${set}:\\s+0000000000003000$`, 'm'));
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    expect(await vm.run('cat', ['/run/keepalived-ts/notify.log'])).toMatch(/^keepalived-ts INSTANCE VI_1 MASTER 150$/m);
    await waitFor(`journalctl -u keepalived-ts-nonroot -o cat | grep -q 'VRRP_Script(chk_true) succeeded'`);
    // the checker connected (alpha: the server was down until then) and the unit wrote IPVS over netlink
    await waitFor(`ipvsadm -Ln | grep -q -- '-> ${REAL_SERVER}:8081'`);
    expect(await vm.run('ipvsadm', ['-Ln'])).toMatch(new RegExp(`^TCP  ${VIP.replace(/\./g, '\\.')}:8080 rr\n  -> ${REAL_SERVER.replace(/\./g, '\\.')}:8081 +Masq +1 `, 'm'));
    expect(await journal('keepalived-ts-nonroot', '-o', 'cat')).toContain(`TCP connection to [${REAL_SERVER}]:tcp:8081 success.`);
    // its reload waits too: the unit's user reaches the control socket in its RuntimeDirectory
    const reload = await timedReload('keepalived-ts-nonroot');
    console.log(`systemctl reload (non-root): exit ${reload.code} after ${reload.ms} ms`);
    expect(reload.code).toBe(0);
    expect(await reloadOutcomes('keepalived-ts-nonroot')).toEqual(['Reload complete']);
    expect(await vm.run('ipvsadm', ['-Ln'])).toContain(`-> ${REAL_SERVER}:8081`);
    // no socket, GARP, address, script, checker or IPVS failure: nothing at error or worse
    expect(await journal('keepalived-ts-nonroot', '-p', 'err', '-o', 'cat')).toEqual([]);
    await vm.run('systemctl', ['stop', 'keepalived-ts-nonroot'], { timeoutMs: 120_000 });
    expect((await vm.exec('/bin/sh', ['-c', hasVip])).code).not.toBe(0);
    // keepalived's stop removes what it programmed
    expect(await vm.run('ipvsadm', ['-Ln'])).not.toContain(`${VIP}:8080`);
  });
});
