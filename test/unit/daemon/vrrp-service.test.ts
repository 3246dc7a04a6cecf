import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import type { ServiceEvent } from '../../../src/daemon/service.js';
import { VrrpService } from '../../../src/daemon/vrrp-service.js';
import type { LinkState } from '../../../src/net/kernel-objects.js';
import { makeAdvert, type VrrpAdvert } from '../../../src/vrrp/advert.js';
import { decodeIpv4Packet, encodeIpv4Packet } from '../../../src/vrrp/packet.js';
import { FakeVrrpPorts } from './fakes/ports.js';
import { settle } from './fakes/timers.js';

const ETH0: LinkState = { index: 2, name: 'eth0', up: true, running: true, mac: '02:00:00:00:00:01' };
const OWN = '10.0.0.11';
const PEER = '10.0.0.12';
const VIP = '10.0.0.100';

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

function conf(instanceExtra = '', top = ''): string {
  return `${top}
vrrp_instance VI_1 {
  state MASTER
  interface eth0
  virtual_router_id 51
  priority 150
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass s3cret
  }
  virtual_ipaddress {
    ${VIP}/24 dev eth0 label eth0:vip
  }
${instanceExtra}}
`;
}

/** A VRRP service on fake ports, started on `text`, with its log lines and published events. */
async function started(text: string) {
  const loaded = loadConfig('/etc/keepalived/keepalived.conf', { fs: { readFile: () => text, glob: (p) => [p] }, configId: 'lb1', hostname: 'lb1' });
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const ports = new FakeVrrpPorts([ETH0], [{ address: OWN, prefix: 24, ifindex: ETH0.index }]);
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => lines.push(JSON.parse(s) as LogLine) });
  const events: ServiceEvent[] = [];
  const service = new VrrpService(ports);
  await service.start(loaded.config, { log, publish: (e) => events.push(e), snapshot: () => ({ pid: 1, version: 'test', configFile: '', loadedAtUnix: 0, lastReload: null, services: {} }) });
  await settle();
  return { service, ports, lines, events };
}

/** The adverts sent so far, decoded. */
function adverts(ports: FakeVrrpPorts): { advert: VrrpAdvert; source: string; destination: string }[] {
  return ports.sent.map((s) => {
    const decoded = decodeIpv4Packet(s.data);
    if (!decoded.ok) throw new Error(decoded.reject.message);
    return { advert: decoded.value.advert, source: decoded.value.source, destination: s.destination };
  });
}

/** A peer's advert as it arrives on the raw socket. */
function peerAdvert(priority: number, o: { password?: string; vrid?: number; ttl?: number } = {}): Buffer {
  const advert = makeAdvert({ version: 2, family: 'inet', vrid: o.vrid ?? 51, advertIntervalMs: 1000, virtualAddresses: [VIP], authType: 'pass', authPassword: o.password ?? 's3cret' }, priority);
  return Buffer.from(encodeIpv4Packet(advert, { source: PEER, destination: '224.0.0.18', ttl: o.ttl ?? 255 }));
}

/** Master_Down_Interval for priority 150 at 1 s: 3 s + Skew_Time. */
const MASTER_DOWN_MS = 3 * 1000 + ((256 - 150) * 1000) / 256;

async function asMaster(text = conf(), scriptsUp: readonly string[] = []) {
  const s = await started(text);
  for (const name of scriptsUp) s.ports.scriptResult(name, true);
  await settle();
  await s.ports.timers.advance(MASTER_DOWN_MS + 1);
  expect(s.service.states()).toEqual({ VI_1: 'MASTER' });
  return s;
}

describe('VrrpService on fake ports', () => {
  it('opens one socket on the instance interface, joined to the VRRP group, and starts as BACKUP', async () => {
    const { service, ports, lines } = await started(conf());
    expect(ports.sockets.map((s) => s.options)).toEqual([{ family: 'inet', ifname: 'eth0', ifindex: 2, multicastGroup: '224.0.0.18' }]);
    expect(service.states()).toEqual({ VI_1: 'BACKUP' });
    expect(ports.sent).toEqual([]);
    expect(lines.some((l) => l.msg === '(VI_1) Entering BACKUP STATE' && l.instance === 'VI_1' && l.state === 'BACKUP')).toBe(true);
  });

  it('becomes MASTER after Master_Down_Interval: advert with the priority, interval, password and VIPs; VIP added with its details; GARPs for it, counted', async () => {
    const { service, ports, events } = await asMaster();
    const [first] = adverts(ports);
    expect(first).toMatchObject({ source: OWN, destination: '224.0.0.18' });
    expect(first?.advert).toMatchObject({ version: 2, vrid: 51, priority: 150, advertInterval: 1, authType: 'pass', addresses: [VIP] });
    expect(ports.rtnl.addressTable.find((a) => a.address === VIP)).toEqual({ address: VIP, prefix: 24, ifindex: 2, label: 'eth0:vip', scope: 'global' });
    expect(ports.garps.filter((g) => g.vip === VIP).length).toBeGreaterThan(0);
    expect(ports.garps.every((g) => g.kind === 'arp' && g.ifindex === 2 && g.mac === ETH0.mac)).toBe(true);
    expect(service.status().instances[0]?.announcementsSent).toBe(ports.garps.length);
    expect(events).toContainEqual({ type: 'vrrp-state', instance: 'VI_1', state: 'MASTER', addresses: [VIP] });
  });

  it('disables an instance the system cannot run (no IPv6 link-local address to send from), logs it, and runs the others', async () => {
    const v6 = 'vrrp_instance V6 {\n  interface eth0\n  virtual_router_id 52\n  virtual_ipaddress {\n    fd00::100/64\n  }\n}\n';
    const { service, lines } = await asMaster(conf() + v6);
    expect(service.states()).toEqual({ VI_1: 'MASTER' });
    expect(lines.find((l) => l.instance === 'V6' && l.level === 50)?.msg).toMatch(/interface eth0 has no IPv6 link-local address to send from; \(V6\) disabled$/);
  });

  it('keeps sending adverts every interval while MASTER', async () => {
    const { ports } = await asMaster();
    const before = ports.sent.length;
    await ports.timers.advance(3000);
    expect(ports.sent.length - before).toBe(3);
  });

  it('yields to a higher-priority advert: BACKUP, VIP removed, adverts stop, release counted', async () => {
    const { service, ports } = await asMaster();
    ports.arrive('eth0', { family: 'inet', packet: peerAdvert(200) });
    await settle();
    expect(service.states()).toEqual({ VI_1: 'BACKUP' });
    expect(ports.rtnl.has(VIP)).toBe(false);
    const sent = ports.sent.length;
    await ports.timers.advance(2000);
    expect(ports.sent.length).toBe(sent);
    const [vi1] = service.status().instances;
    expect(vi1).toMatchObject({ state: 'BACKUP', master: { address: PEER, priority: 200 } });
    expect(vi1?.counters).toMatchObject({ become_master: 1, release_master: 1, advert_rcvd: 1 });
  });

  it("counts drops by reason and in keepalived's counters: wrong password, TTL, unknown VRID", async () => {
    const { service, ports, lines } = await asMaster();
    ports.arrive('eth0', { family: 'inet', packet: peerAdvert(200, { password: 'other' }) });
    ports.arrive('eth0', { family: 'inet', packet: peerAdvert(200, { ttl: 64 }) });
    ports.arrive('eth0', { family: 'inet', packet: peerAdvert(200, { vrid: 9 }) });
    ports.arrive('eth0', { family: 'inet', packet: Buffer.from([0x45, 0]) });
    await settle();
    expect(service.states()).toEqual({ VI_1: 'MASTER' });
    const status = service.status();
    expect(status.drops).toMatchObject({ 'auth-mismatch': 1, 'bad-ttl': 1, 'vrid-mismatch': 1, 'short-packet': 1 });
    expect(status.instances[0]?.counters).toMatchObject({ auth_failure: 1, ip_ttl_err: 1, advert_rcvd: 0 });
    expect(lines.find((l) => l.reason === 'auth-mismatch')).toMatchObject({ level: 20, instance: 'VI_1', interface: 'eth0' });
  });

  it('goes to FAULT when its link goes down, sends nothing while down, and comes back as BACKUP then MASTER', async () => {
    const { service, ports } = await asMaster();
    ports.link('new', { ...ETH0, running: false });
    await settle();
    expect(service.states()).toEqual({ VI_1: 'FAULT' });
    expect(ports.rtnl.has(VIP)).toBe(false);
    const sent = ports.sent.length;
    await ports.timers.advance(5000);
    expect(ports.sent.length).toBe(sent);
    ports.link('new', ETH0);
    await settle();
    expect(service.states()).toEqual({ VI_1: 'BACKUP' });
    await ports.timers.advance(MASTER_DOWN_MS + 1);
    expect(service.states()).toEqual({ VI_1: 'MASTER' });
  });

  it("puts a Master's VIP back when netlink notifications were lost and it went missing meanwhile (resync)", async () => {
    const { service, ports, lines } = await asMaster();
    ports.rtnl.addressTable.splice(
      ports.rtnl.addressTable.findIndex((a) => a.address === VIP),
      1,
    );
    ports.resync(new Error('overrun'));
    await settle();
    expect(lines.some((l) => l.level === 30 && /VIP 10.0.0.100 on ifindex 2 was missing: added again/.test(l.msg))).toBe(true);
    expect(service.states()).toEqual({ VI_1: 'MASTER' });
    expect(ports.rtnl.has(VIP)).toBe(true);
  });

  it("advertises the tracked priority: a failing weighted script lowers the adverts' priority; a weight-0 script means FAULT", async () => {
    const top = 'vrrp_script chk {\n  script "/bin/true"\n  weight -20\n}\nvrrp_script must {\n  script "/bin/true"\n  weight 0\n}\n';
    const { service, ports } = await asMaster(conf('  track_script {\n    chk\n    must\n  }\n', top), ['chk', 'must']);
    expect(ports.trackedPlans.map((p) => p.name)).toEqual(['chk', 'must']);
    ports.scriptResult('chk', false);
    await settle();
    await ports.timers.advance(1000);
    expect(adverts(ports).at(-1)?.advert.priority).toBe(130);
    expect(service.status().instances[0]).toMatchObject({ effectivePriority: 130, basePriority: 150 });
    ports.scriptResult('must', false);
    await settle();
    expect(service.states()).toEqual({ VI_1: 'FAULT' });
  });

  it("runs notify scripts with keepalived's arguments and writes the FIFO lines", async () => {
    const top = 'global_defs {\n  notify_fifo /run/kts-test.fifo\n}\n';
    const { ports } = await asMaster(conf('  notify_master "/usr/local/bin/to-master arg"\n  notify /usr/local/bin/any\n', top));
    expect(ports.runs).toContainEqual({ script: '/usr/local/bin/to-master arg', args: [] });
    expect(ports.runs).toContainEqual({ script: '/usr/local/bin/any', args: ['INSTANCE', 'VI_1', 'MASTER', '150'] });
    expect(ports.fifoLines).toEqual(['INSTANCE "VI_1" BACKUP 150\n', 'INSTANCE "VI_1" MASTER 150\n']);
  });

  it('warns once that no-accept mode is not enforced', async () => {
    const { ports, lines } = await asMaster(conf('  no_accept\n'));
    ports.arrive('eth0', { family: 'inet', packet: peerAdvert(200) });
    await settle();
    await ports.timers.advance(MASTER_DOWN_MS + 1);
    const warnings = lines.filter((l) => l.level === 40 && /no accept mode is not enforced/.test(l.msg));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ instance: 'VI_1' });
  });

  it('on stop sends priority 0, removes its VIP, waits for the stop script, and closes every port', async () => {
    const { service, ports, lines } = await asMaster(conf('  notify_stop /usr/local/bin/stopped\n'));
    const stopping = service.stop();
    // the core may hand over for up to its bound before the instance is STOP: let time pass as it would
    for (let i = 0; i < 20 && !lines.some((l) => l.msg === 'VRRP stopped'); i++) await ports.timers.advance(500);
    await stopping;
    expect(adverts(ports).at(-1)?.advert.priority).toBe(0);
    expect(ports.rtnl.has(VIP)).toBe(false);
    expect(ports.runs).toContainEqual(expect.objectContaining({ script: '/usr/local/bin/stopped', timeoutMs: expect.any(Number) }));
    expect(service.states()).toEqual({ VI_1: 'STOP' });
    expect(ports.sockets.every((s) => s.closed)).toBe(true);
    expect(ports.rtnl.closed).toBe(true);
    expect([...ports.closed].sort()).toEqual(['announcer', 'linkWatch', 'trackScripts']);
    expect(ports.timers.armed()).toEqual([]);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('on stop hands over as the core says: priority 0 at once, the VIP kept until the successor is heard, then released and closed', async () => {
    const { service, ports, lines } = await asMaster();
    const stopping = service.stop();
    await settle();
    expect(adverts(ports).at(-1)?.advert.priority).toBe(0);
    expect(ports.rtnl.has(VIP)).toBe(true);
    expect(service.states()).toEqual({ VI_1: 'MASTER' });
    for (let i = 0; i < 3 && !lines.some((l) => l.msg === 'VRRP stopped'); i++) {
      ports.arrive('eth0', { family: 'inet', packet: peerAdvert(100) });
      await settle();
      await ports.timers.advance(200);
    }
    await stopping;
    expect(ports.rtnl.has(VIP)).toBe(false);
    expect(service.states()).toEqual({ VI_1: 'STOP' });
    // the successor was heard well before the core's bound: no waiting it out
    expect(ports.timers.now()).toBeLessThan(MASTER_DOWN_MS + 1 + 1000 + 1000);
  });

  it("writes keepalived's stats, JSON and data dumps from its own counters and configuration; stats clear zeroes them", async () => {
    const { service, ports } = await asMaster();
    ports.arrive('eth0', { family: 'inet', packet: peerAdvert(100) });
    await settle();
    const stats = service.dump('stats');
    expect(stats?.name).toBe('keepalived.stats');
    expect(stats?.text).toMatch(/^VRRP Instance: VI_1\n {2}Advertisements:\n {4}Received: 1\n {4}Sent: \d+\n {2}Became master: 1\n/);
    const json = JSON.parse(service.dump('json')?.text ?? '') as { data: Record<string, unknown>; stats: Record<string, number> }[];
    expect(json[0]?.data).toMatchObject({ iname: 'VI_1', vrid: 51, state: 2, base_priority: 150, vips: [`${VIP}/24 dev eth0 scope global label eth0:vip set`], auth_data: 's3cret' });
    expect(json[0]?.stats).toMatchObject({ advert_rcvd: 1, become_master: 1 });
    const data = service.dump('data')?.text ?? '';
    expect(data).toContain(' VRRP Instance = VI_1\n   VRRP Version = 2\n   State = MASTER\n');
    expect(data).toContain(`   Virtual IP (1):\n     ${VIP}/24 dev eth0 scope global label eth0:vip set\n`);
    service.clearStats();
    expect(service.status().instances[0]?.counters).toMatchObject({ advert_rcvd: 0, advert_sent: 0, become_master: 0 });
  });

  it('builds the dump files from status(), the snapshot the control socket and metrics read: they agree field for field', async () => {
    const { service, ports } = await asMaster();
    ports.arrive('eth0', { family: 'inet', packet: peerAdvert(100) });
    await settle();
    const [vi1] = service.status().instances;
    const [json] = JSON.parse(service.dump('json')?.text ?? '') as { data: Record<string, unknown>; stats: Record<string, number> }[];
    expect(json?.stats).toEqual(vi1?.counters);
    expect(json?.data).toMatchObject({ state: 2, effective_priority: vi1?.effectivePriority, vipset: vi1?.runtime?.vipsSet, master_priority: vi1?.runtime?.heardMaster?.priority ?? 0 });
    expect(vi1?.runtime).toMatchObject({ wantState: 'MASTER', sourceAddress: OWN, advertIntervalMs: 1000, vipsSet: true });
    expect(service.dump('data')?.text).toContain(`   Effective priority = ${vi1?.effectivePriority}\n   Total priority = ${vi1?.runtime?.totalPriority}\n`);
  });

  it('reports status for the control socket: state, priority, trackers, timer lateness', async () => {
    const { service } = await asMaster();
    const status = service.status();
    expect(status.instances[0]).toMatchObject({ name: 'VI_1', state: 'MASTER', interface: 'eth0', vrid: 51, family: 'inet', master: { address: OWN, priority: 150 }, addresses: [VIP] });
    expect(status.instances[0]?.lastTransition).toMatchObject({ from: 'BACKUP', to: 'MASTER' });
    expect(status.timerLateness.fired).toBeGreaterThan(0);
  });
});
