import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import type { KeepalivedConfig } from '../../../src/config/model.js';
import type { ServiceEvent } from '../../../src/daemon/service.js';
import { VrrpService } from '../../../src/daemon/vrrp-service.js';
import type { LinkState } from '../../../src/net/kernel-objects.js';
import { makeAdvert, type VrrpAdvert } from '../../../src/vrrp/advert.js';
import { decodeIpv4Packet, encodeIpv4Packet } from '../../../src/vrrp/packet.js';
import { FakeVrrpPorts } from './fakes/ports.js';
import { settle } from './fakes/timers.js';
import { conf, VIP } from './fakes/vrrp-config.js';

const ETH0: LinkState = { index: 2, name: 'eth0', up: true, running: true, mac: '02:00:00:00:00:01' };
const ETH1: LinkState = { index: 3, name: 'eth1', up: true, running: true, mac: '02:00:00:00:00:02' };
const OWN = '10.0.0.11';
const OWN1 = '10.0.1.11';
const PEER = '10.0.0.12';

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A VRRP service on fake ports, started on `text`, with its log lines and published events. */
function configOf(text: string): KeepalivedConfig {
  const loaded = loadConfig('/etc/keepalived/keepalived.conf', { fs: { readFile: () => text, glob: (p) => [p] }, configId: 'lb1', hostname: 'lb1' });
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.config;
}

async function started(text: string, links: LinkState[] = [ETH0]) {
  const config = configOf(text);
  const ports = new FakeVrrpPorts(links, [{ address: OWN, prefix: 24, ifindex: ETH0.index }, ...(links.includes(ETH1) ? [{ address: OWN1, prefix: 24, ifindex: ETH1.index }] : [])]);
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => lines.push(JSON.parse(s) as LogLine) });
  const events: ServiceEvent[] = [];
  const service = new VrrpService(ports);
  await service.start(config, { log, publish: (e) => events.push(e), snapshot: () => ({ pid: 1, version: 'test', configFile: '', loadedAtUnix: 0, lastReload: null, services: {} }) });
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
function peerAdvert(priority: number, o: { password?: string; vrid?: number; ttl?: number; vips?: string[] } = {}): Buffer {
  const advert = makeAdvert(
    { version: 2, family: 'inet', vrid: o.vrid ?? 51, advertIntervalMs: 1000, virtualAddresses: o.vips ?? [VIP], authType: 'pass', authPassword: o.password ?? 's3cret' },
    priority,
  );
  return Buffer.from(encodeIpv4Packet(advert, { source: PEER, destination: '224.0.0.18', ttl: o.ttl ?? 255 }));
}

/** Master_Down_Interval for priority 150 at 1 s: 3 s + Skew_Time. */
const MASTER_DOWN_MS = 3 * 1000 + ((256 - 150) * 1000) / 256;

async function asMaster(text = conf(), scriptsUp: readonly string[] = [], links: LinkState[] = [ETH0]) {
  const s = await started(text, links);
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

  it('hands an advert to the instance with its interface and VRID only: the same VRID on another interface, or another VRID here, hears nothing', async () => {
    const block = (name: string, ifname: string, vrid: number, vip: string): string =>
      `vrrp_instance ${name} {\n  interface ${ifname}\n  virtual_router_id ${vrid}\n  priority 150\n  advert_int 1\n  authentication {\n    auth_type PASS\n    auth_pass s3cret\n  }\n  virtual_ipaddress {\n    ${vip}/24\n  }\n}\n`;
    const text = block('A', 'eth0', 51, VIP) + block('B', 'eth0', 52, '10.0.0.101') + block('C', 'eth1', 51, '10.0.1.100');
    const { service, ports } = await started(text, [ETH0, ETH1]);
    ports.arrive('eth0', { family: 'inet', packet: peerAdvert(200) });
    await settle();
    const rcvd = Object.fromEntries(service.status().instances.map((i) => [i.name, i.counters.advert_rcvd]));
    expect(rcvd).toEqual({ A: 1, B: 0, C: 0 });
    expect(service.status().instances.find((i) => i.name === 'A')?.master).toMatchObject({ address: PEER, priority: 200 });
  });

  it('sends the same bytes every interval while nothing in the advert changes', async () => {
    const { ports } = await asMaster();
    const before = ports.sent.length;
    await ports.timers.advance(2000);
    const [a, b] = ports.sent.slice(before).map((s) => Buffer.from(s.data).toString('hex'));
    expect(a).toBeDefined();
    expect(b).toBe(a);
    expect(adverts(ports).at(-1)?.advert).toMatchObject({ vrid: 51, priority: 150, addresses: [VIP] });
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

describe('VrrpService reload (issue 11)', () => {
  const VIP2 = '10.0.0.101';
  const VIP3 = '10.0.0.102';
  const twoVips = (a: string, b: string): string => conf().replace(`    ${VIP}/24 dev eth0 label eth0:vip\n`, `    ${a}/24 dev eth0\n    ${b}/24 dev eth0\n`);

  async function reload(s: Awaited<ReturnType<typeof started>>, text: string): Promise<void> {
    await s.service.reconfigure(configOf(text));
    await settle();
  }

  it('an unchanged file changes nothing: no address touched, no GARP, no transition, the adverts keep their rhythm', async () => {
    const s = await asMaster();
    const { ports, lines } = s;
    await ports.timers.advance(400);
    const [sent, garps, rtnl, logged] = [ports.sent.length, ports.garps.length, ports.rtnl.log.length, lines.length];
    await reload(s, conf());
    expect(ports.sent.length).toBe(sent);
    expect(ports.garps.length).toBe(garps);
    expect(ports.rtnl.log.slice(rtnl)).toEqual([]);
    expect(lines.slice(logged).filter((l) => /Entering/.test(l.msg))).toEqual([]);
    expect(lines.at(-1)).toMatchObject({ msg: 'VRRP reconfigured: 0 started, 0 stopped, 0 changed, 1 unchanged' });
    // Master since MASTER_DOWN_MS after the start and 401 ms ago: its next advert is due in 599 ms, as if no reload happened
    await ports.timers.advance(598);
    expect(ports.sent.length).toBe(sent);
    await ports.timers.advance(1);
    expect(
      adverts(ports)
        .slice(sent)
        .map((a) => a.advert.priority),
    ).toEqual([150]);
    expect(s.service.states()).toEqual({ VI_1: 'MASTER' });
  });

  it('a Master swaps only the VIPs that changed and announces only the new one; its next advert lists the new set', async () => {
    const s = await asMaster(twoVips(VIP, VIP2));
    const { ports } = s;
    const [rtnl, garps] = [ports.rtnl.log.length, ports.garps.length];
    await reload(s, twoVips(VIP2, VIP3));
    expect(ports.rtnl.log.slice(rtnl)).toEqual([`del ${VIP}/24`, `add ${VIP3}/24`]);
    expect(new Set(ports.garps.slice(garps).map((g) => g.vip))).toEqual(new Set([VIP3]));
    await ports.timers.advance(1000);
    expect(adverts(ports).at(-1)?.advert.addresses).toEqual([VIP2, VIP3]);
    // what it holds now is what it releases when it yields
    ports.arrive('eth0', { family: 'inet', packet: peerAdvert(200, { vips: [VIP2, VIP3] }) });
    await settle();
    expect(s.service.states()).toEqual({ VI_1: 'BACKUP' });
    expect([VIP, VIP2, VIP3].map((v) => ports.rtnl.has(v))).toEqual([false, false, false]);
  });

  it('a removed Master says priority 0, drops its VIP, reports FAULT to notify as keepalived does, and leaves no timer or socket', async () => {
    const s = await asMaster(conf('  notify /usr/local/bin/notify\n'));
    const { ports, events } = s;
    await reload(s, '');
    expect(adverts(ports).at(-1)?.advert.priority).toBe(0);
    expect(ports.rtnl.has(VIP)).toBe(false);
    expect(ports.runs.at(-1)).toEqual({ script: '/usr/local/bin/notify', args: ['INSTANCE', 'VI_1', 'FAULT', '150'] });
    expect(events.at(-1)).toEqual({ type: 'vrrp-state', instance: 'VI_1', state: 'STOP', addresses: [VIP] });
    expect(s.lines.some((l) => l.msg === '(VI_1) removed by the reload: released')).toBe(true);
    expect(ports.timers.armed().filter((t) => t.startsWith('VI_1/'))).toEqual([]);
    expect(ports.sockets.every((x) => x.closed)).toBe(true);
    expect(s.service.states()).toEqual({});
  });

  it('a new instance on another interface gets its socket and starts; the running one is untouched', async () => {
    const more = `vrrp_instance VI_2 {\n  interface eth1\n  virtual_router_id 52\n  priority 100\n  virtual_ipaddress {\n    10.0.1.100/24\n  }\n}\n`;
    const s = await asMaster(conf(), [], [ETH0, ETH1]);
    const sent = s.ports.sent.length;
    await reload(s, conf() + more);
    expect(s.ports.sockets.map((x) => [x.options.ifname, x.closed])).toEqual([
      ['eth0', false],
      ['eth1', false],
    ]);
    expect(s.service.states()).toEqual({ VI_1: 'MASTER', VI_2: 'BACKUP' });
    expect(s.ports.sent.length).toBe(sent);
    expect(s.lines.at(-1)).toMatchObject({ started: ['VI_2'], stopped: [], changed: [] });
  });

  it('multicast to unicast is another router under the same name: the old one releases, the new one starts with fresh counters', async () => {
    const s = await asMaster();
    await reload(s, conf('  unicast_peer {\n    10.0.0.12\n  }\n'));
    // the old router says goodbye where it spoke: to the multicast group
    expect(adverts(s.ports).at(-1)).toMatchObject({ destination: '224.0.0.18', advert: { priority: 0 } });
    expect(s.ports.rtnl.has(VIP)).toBe(false);
    expect(s.service.states()).toEqual({ VI_1: 'BACKUP' });
    expect(s.service.status().instances[0]?.counters).toMatchObject({ become_master: 0, advert_sent: 0 });
    await s.ports.timers.advance(MASTER_DOWN_MS + 1);
    expect(s.service.states()).toEqual({ VI_1: 'MASTER' });
    expect(s.ports.sent.at(-1)?.destination).toBe('10.0.0.12');
  });

  it('a changed unicast peer list takes effect at the next advert, without a state change', async () => {
    const peers = (ip: string): string => conf(`  unicast_peer {\n    ${ip}\n  }\n`);
    const s = await asMaster(peers('10.0.0.12'));
    const logged = s.lines.length;
    await reload(s, peers('10.0.0.13'));
    await s.ports.timers.advance(1000);
    expect(s.ports.sent.at(-1)?.destination).toBe('10.0.0.13');
    expect(s.service.states()).toEqual({ VI_1: 'MASTER' });
    expect(s.lines.slice(logged).filter((l) => /Entering/.test(l.msg))).toEqual([]);
  });

  it('a renamed instance (same VRID and interface) keeps its state; its timers and VIP follow the new name', async () => {
    const s = await asMaster();
    await reload(s, conf().replace('VI_1', 'web'));
    expect(s.service.states()).toEqual({ web: 'MASTER' });
    expect(s.ports.timers.armed().filter((t) => t.startsWith('VI_1/'))).toEqual([]);
    expect(s.ports.timers.armed()).toContain('web/adver');
    s.ports.arrive('eth0', { family: 'inet', packet: peerAdvert(200) });
    await settle();
    expect(s.service.states()).toEqual({ web: 'BACKUP' });
    expect(s.ports.rtnl.has(VIP)).toBe(false);
  });

  it("a Master's virtual routes become the new file's; one deleted by hand is back", async () => {
    const routes = (r: string): string => conf(`  virtual_routes {\n${r}  }\n`);
    const s = await asMaster(routes('    192.168.10.0/24 via 10.0.0.1\n    192.168.11.0/24 via 10.0.0.1\n'));
    const { rtnl } = s.ports;
    rtnl.routeTable.splice(1, 1);
    await reload(s, routes('    192.168.10.0/24 via 10.0.0.1\n    192.168.12.0/24 via 10.0.0.1\n'));
    expect(rtnl.routeTable.map((r) => `${r.destination}/${r.prefix}`).sort()).toEqual(['192.168.10.0/24', '192.168.12.0/24']);
    expect(s.service.states()).toEqual({ VI_1: 'MASTER' });
  });

  it('the preview names what would change and changes nothing', async () => {
    const s = await asMaster();
    const [sent, rtnl] = [s.ports.sent.length, s.ports.rtnl.log.length];
    const preview = s.service.previewReconfigure(configOf(conf().replace('priority 150', 'priority 90').replace(`${VIP}/24 dev eth0 label eth0:vip`, `${VIP2}/24 dev eth0`)));
    expect(preview).toEqual({ service: 'vrrp', started: [], stopped: [], unchanged: [], changed: [{ name: 'VI_1', fields: ['priority', 'virtualAddresses', 'vips'], added: [VIP2], removed: [VIP] }] });
    expect(s.service.previewReconfigure(configOf(conf().replace('auth_pass s3cret', 'auth_pass other'))).changed).toEqual([{ name: 'VI_1', fields: ['authentication'], added: [], removed: [] }]);
    // multicast to unicast makes another router, as keepalived's vrrp_exist says
    expect(s.service.previewReconfigure(configOf(conf('  unicast_peer {\n    10.0.0.12\n  }\n')))).toMatchObject({ started: ['VI_1'], stopped: ['VI_1'], changed: [] });
    expect(s.service.previewReconfigure(configOf(conf()))).toEqual({ service: 'vrrp', started: [], stopped: [], changed: [], unchanged: ['VI_1'] });
    expect([s.ports.sent.length, s.ports.rtnl.log.length]).toEqual([sent, rtnl]);
  });

  it('script trackers restart only when the scripts changed', async () => {
    const script = (cmd: string): string => `vrrp_script chk {\n  script "${cmd}"\n  interval 1\n}\n`;
    const s = await asMaster(conf('  track_script {\n    chk\n  }\n', script('/bin/true')), ['chk']);
    await reload(s, conf('  track_script {\n    chk\n  }\n', script('/bin/true')));
    expect(s.ports.closed.has('trackScripts')).toBe(false);
    await reload(s, conf('  track_script {\n    chk\n  }\n', script('/bin/false')));
    expect(s.ports.closed.has('trackScripts')).toBe(true);
    expect(s.ports.trackedPlans.map((p) => p.script)).toEqual(['/bin/false']);
    expect(s.service.states()).toEqual({ VI_1: 'MASTER' });
  });
});
