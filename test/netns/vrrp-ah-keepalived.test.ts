import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DaemonPeer } from './support/daemon.js';
import { KeepalivedPeer, vrrpConfig } from './support/keepalived.js';
import { Lan, inNs, type Host } from './support/netns.js';
import { holds } from './support/vip.js';

/**
 * VRRPv2 `auth_type AH` between keepalived-ts on lb1 and Debian's keepalived 2.2.7 on lb2, both
 * ways: each side must authenticate the other's AH packets (HMAC-MD5-96, SPI, sequence numbers)
 * or the pair never forms. keepalived must not complain about what we send.
 */

const VIP = '10.65.0.100';
const MASTER = /\(VI_1\) Entering MASTER STATE/;
const BACKUP = /\(VI_1\) Entering BACKUP STATE/;
const ah = (key: string): string => `    authentication {\n        auth_type AH\n        auth_pass ${key}\n    }\n`;

describe("auth_type AH with Debian's keepalived as the other director", () => {
  let lan: Lan;
  let lb1: Host;
  let lb2: Host;
  const ours: DaemonPeer[] = [];
  const theirs: KeepalivedPeer[] = [];
  const conf = (id: string, priority: number, key: string) => vrrpConfig({ routerId: id, priority, advertInt: 1, vips: [`${VIP}/24`], extra: ah(key) });
  const startOurs = (priority: number, key: string) => {
    const d = new DaemonPeer(lb1.ns, conf('lb1', priority, key));
    ours.push(d);
    return d;
  };
  const startTheirs = (priority: number, key: string) => {
    const k = new KeepalivedPeer(lb2.ns, conf('lb2', priority, key));
    theirs.push(k);
    return k;
  };

  beforeAll(() => {
    lan = new Lan(`kah${process.pid % 1000}`);
    lb1 = lan.addHost('lb1', '10.65.0.11/24');
    lb2 = lan.addHost('lb2', '10.65.0.12/24');
  });
  afterEach(async () => {
    const complaints = theirs.flatMap((k) => k.complaints());
    const problems = ours.flatMap((d) => d.problems());
    await Promise.all([...ours.splice(0), ...theirs.splice(0)].map((p) => p.stop('SIGKILL')));
    for (const h of [lb1, lb2]) if (holds(h, VIP)) inNs(h.ns, 'ip', ['addr', 'del', `${VIP}/24`, 'dev', 'eth0']);
    expect(complaints).toEqual([]);
    expect(problems).toEqual([]);
  });
  afterAll(() => lan?.destroy());

  it('ours MASTER, keepalived BACKUP: keepalived takes our AH adverts, and our hand-over takes its AH adverts as the successor', async () => {
    // one after the other: started together, keepalived (quicker to start) may be Master for a
    // moment, and adverts both sides sent in that split brain may carry equal sequence numbers,
    // which each side then drops as replays, as keepalived pairs do
    const a = startOurs(150, 'ahkey1');
    await a.waitFor(MASTER);
    const k = startTheirs(100, 'ahkey1');
    await k.waitFor(BACKUP);
    expect(holds(lb1, VIP)).toBe(true);
    const since = k.mark();
    const stopping = a.stop('SIGTERM');
    // keepalived authenticated our priority-0 AH advert ...
    await k.waitFor(/Backup received priority 0 advertisement/, 5000, since);
    await k.waitFor(MASTER, 5000, since);
    // ... and we authenticated two of its AH adverts before letting the VIP go
    expect(await stopping).toBe(0);
    const stop = a.log.find((e) => e.msg === '(VI_1) Entering STOP STATE');
    expect(stop).toMatchObject({ reason: 'successor-heard', peer: lb2.address });
    expect(holds(lb1, VIP)).toBe(false);
    expect(holds(lb2, VIP)).toBe(true);
    const stopped = a.log.find((e) => e.msg === 'VRRP stopped');
    expect(stopped?.drops).toMatchObject({ 'ah-auth-mismatch': 0, 'ah-bad-spi': 0, 'ah-replayed-sequence': 0, 'ah-bad-header': 0, 'auth-type-mismatch': 0 });
  });

  it('keepalived MASTER, ours BACKUP: we stay Backup on its AH adverts and take over within Skew_Time of its priority-0 one; it then accepts ours', async () => {
    const k = startTheirs(150, 'ahkey2');
    await k.waitFor(MASTER);
    const b = startOurs(100, 'ahkey2');
    await b.waitFor(BACKUP);
    const since = b.mark();
    const stopped = Date.now();
    expect(await k.stop('SIGTERM')).toBe(0);
    const taken = await b.waitFor(MASTER, 5000, since);
    // Skew_Time at priority 100 is 0.61 s; had we dropped keepalived's adverts we would have been
    // Master already, and without its priority-0 advert it would be Master_Down_Interval, 3.6 s
    expect(Date.now() - stopped).toBeLessThan(2000);
    expect(taken.reason).toBe('master-down');
    expect(holds(lb1, VIP)).toBe(true);
    // keepalived back as the higher priority: as Backup it must accept our AH adverts (sequence
    // numbers above what it last saw from itself), then preempt us
    const k2 = startTheirs(150, 'ahkey2');
    const since2 = b.mark();
    await k2.waitFor(BACKUP);
    await k2.waitFor(MASTER);
    await b.waitFor(BACKUP, 10_000, since2);
    expect(holds(lb1, VIP)).toBe(false);
  });

  it('a key mismatch forms no pair: both become MASTER, our drops counted as ah-auth-mismatch, keepalived complains of the HMAC', async () => {
    const a = startOurs(150, 'right');
    const k = startTheirs(100, 'wrong');
    await a.waitFor(MASTER);
    await k.waitFor(MASTER);
    const drop = await a.waitFor((e) => e.reason === 'ah-auth-mismatch');
    expect(drop).toMatchObject({ level: 20, instance: 'VI_1' });
    const counted = drop.drops as number;
    await a.waitFor((e) => e.reason === 'ah-auth-mismatch' && e.drops === counted + 1, 3000);
    const complaint = await k.waitFor(/IPSEC-AH : invalid IPSEC HMAC-MD5 value/);
    expect(holds(lb1, VIP) && holds(lb2, VIP)).toBe(true);
    // keepalived's complaint is the point here: out of the clean-log check of afterEach
    theirs.splice(theirs.indexOf(k), 1);
    await k.stop('SIGKILL');
    console.log(`keepalived on an AH key mismatch: ${complaint}`);
  });
});
