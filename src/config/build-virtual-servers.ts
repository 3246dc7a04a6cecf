/**
 * virtual_server_group, virtual_server and real_server blocks.
 */
import { canonicalIp } from '../net/ip-address.js';
import type { Statement } from './ast.js';
import { buildCheckers, type InheritedTiming } from './build-checkers.js';
import { readVsgEntry } from './data-lines.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { GlobalDefs, RealServer, TunnelOptions, VirtualServer, VirtualServerAddress, VirtualServerGroup } from './model.js';
import type { Named } from './named-blocks.js';
import { allEntries, type Entry } from './read-block.js';
import { onePacketFlag, persistenceTimeout, reportDefaultMethod, serviceProtocol, serviceScheduler, type ServiceContext } from './service-rules.js';
import { Settings } from './settings.js';
import { DEFAULT_TUNNEL, tunnelOptions } from './tunnel-options.js';

const LVS_FLAGS = ['hashed', 'ops', 'flag-1', 'flag-2', 'flag-3', 'sh-port', 'sh-fallback', 'mh-port', 'mh-fallback'];

type Method = 'NAT' | 'DR' | 'TUN';

export function buildVirtualServerGroups(named: readonly Named[], sink: DiagnosticSink): VirtualServerGroup[] {
  return named.map(({ name, entry }) => ({
    name,
    pos: entry.stmt.pos,
    entries: (entry.lines ?? []).flatMap((line) => readVsgEntry(line, sink) ?? []),
  }));
}

export function buildVirtualServers(entries: readonly Entry[], global: GlobalDefs, groups: readonly VirtualServerGroup[], sink: DiagnosticSink): VirtualServer[] {
  return entries.flatMap((entry) => {
    const address = virtualServerAddress(entry.stmt, sink);
    if (!address) return [];
    const group = 'group' in address ? groups.find((g) => g.name === address.group) : undefined;
    const ctx: ServiceContext = {
      s: new Settings('virtual_server', entry.child),
      address,
      group,
      label: serviceLabel(address),
      pos: entry.stmt.pos,
      sink,
    };
    return [buildVirtualServer(entry, ctx, global)];
  });
}

/** How keepalived names a service in its messages: `[IP]:PORT`, `FWM N`, `group NAME`. */
export function serviceLabel(address: VirtualServerAddress): string {
  if ('fwmark' in address) return `FWM ${address.fwmark}`;
  if ('group' in address) return `group ${address.group}`;
  return `[${address.ip}]:${address.port}`;
}

function virtualServerAddress(stmt: Statement, sink: DiagnosticSink): VirtualServerAddress | undefined {
  const [first, second, ...rest] = stmt.args.map((a) => a.value);
  const site = { pos: stmt.pos, keyword: 'virtual_server' };
  const bad = (why: string): undefined => {
    sink.report(
      'invalid-virtual-server',
      `virtual_server ${stmt.args.map((a) => a.value).join(' ')}: ${why}`,
      site,
      'write `virtual_server IP PORT`, `virtual_server fwmark N` or `virtual_server group NAME`',
    );
    return undefined;
  };
  if (rest.length > 0 || second === undefined) return bad(second === undefined ? 'missing port' : 'too many arguments');
  if (first === 'fwmark') {
    const n = Number(second);
    return /^\d+$/.test(second) && n >= 1 && n <= 4294967295 ? { fwmark: n } : bad(`invalid fwmark '${second}'`);
  }
  if (first === 'group') return { group: second };
  const ip = first === undefined ? undefined : canonicalIp(first);
  if (ip === undefined) return bad(`'${first ?? ''}' is not an IP address`);
  const port = Number(second);
  if (!/^\d+$/.test(second) || port > 65535) return bad(`invalid port '${second}'`);
  return { ip, port };
}

interface Forwarding {
  readonly method: Method;
  /** Set only for TUN. */
  readonly tunnel: TunnelOptions | undefined;
}

/** The forwarding method and, for TUN, its tunnel options; `inherited` when the keyword is not written. */
function forwarding(s: Settings, keyword: string, inherited: Forwarding, server: 'virtual' | 'real', sink: DiagnosticSink): Forwarding {
  const [value, ...options] = s.words(keyword) ?? [];
  if (value !== 'NAT' && value !== 'DR' && value !== 'TUN') return inherited;
  const site = { pos: s.pos(keyword), keyword };
  const tunnel = tunnelOptions(options, server, inherited.tunnel ?? DEFAULT_TUNNEL, sink, site);
  // keepalived reads the options after NAT and DR too (so `DR DR` is an invalid tunnel option) and uses them only for TUN
  return { method: value, tunnel: value === 'TUN' ? tunnel : undefined };
}

/** The optional model fields of a forwarding: present only for TUN. */
function tunnelField<K extends string>(key: K, f: Forwarding): Partial<Record<K, TunnelOptions>> {
  return f.tunnel === undefined ? {} : ({ [key]: f.tunnel } as Record<K, TunnelOptions>);
}

function buildVirtualServer(entry: Entry, ctx: ServiceContext, global: GlobalDefs): VirtualServer {
  const { s, sink } = ctx;
  const vsForwarding = forwarding(s, 'lvs_method', { method: 'NAT', tunnel: undefined }, 'virtual', sink);
  const lvsMethod = vsForwarding.method;
  const protocol = serviceProtocol(ctx);
  const lvsSched = serviceScheduler(ctx);
  const realServers = allEntries(entry.child, 'real_server');
  reportDefaultMethod(ctx, s.has('sorry_server') || realServers.some((rs) => !new Settings('real_server', rs.child).has('lvs_method')));
  const sorry = s.words('sorry_server');
  const vs = {
    delay_loop: s.numberOr('delay_loop'),
    connect_timeout: s.numberOr('connect_timeout'),
    retry: s.number('retry'),
    delay_before_retry: s.number('delay_before_retry'),
    warmup: s.number('warmup'),
    alpha: s.flagOr('alpha'),
    inhibit_on_failure: s.flagOr('inhibit_on_failure'),
    smtp_alert: s.flag('smtp_alert') ?? global.smtp_alert_checker ?? global.smtp_alert ?? false,
    virtualhost: s.string('virtualhost'),
    forwarding: vsForwarding,
  };
  let sorryServer: VirtualServer['sorry_server'] = null;
  if (sorry && sorry[0] !== undefined) {
    const ip = canonicalIp(sorry[0]);
    if (ip === undefined) {
      sink.report('invalid-address', `sorry_server expects an IP address, not '${sorry[0]}'`, { pos: s.pos('sorry_server'), keyword: 'sorry_server' });
    } else {
      sorryServer = { ip, port: sorry[1] !== undefined && /^\d+$/.test(sorry[1]) ? Number(sorry[1]) : 0 };
    }
  }
  // Object.assign: a spread followed by thirty properties is slow in V8, and there may be thousands of these.
  const sorryForwarding = forwarding(s, 'sorry_server_lvs_method', vsForwarding, 'virtual', sink);
  const tunnels = { ...tunnelField('tunnel', vsForwarding), ...tunnelField('sorry_server_tunnel', sorryForwarding) };
  return Object.assign({}, ctx.address, tunnels, {
    pos: entry.stmt.pos,
    protocol,
    lvs_sched: lvsSched,
    lvs_method: lvsMethod,
    lvs_flags: onePacketFlag(ctx, schedulerFlags(s, lvsSched, sink), protocol),
    persistence_timeout: persistenceTimeout(ctx),
    persistence_granularity: s.string('persistence_granularity'),
    persistence_engine: s.string('persistence_engine'),
    delay_loop: vs.delay_loop,
    connect_timeout: vs.connect_timeout,
    inhibit_on_failure: vs.inhibit_on_failure,
    ha_suspend: s.flagOr('ha_suspend', false),
    alpha: vs.alpha,
    omega: s.flagOr('omega'),
    quorum: s.numberOr('quorum'),
    hysteresis: s.numberOr('hysteresis'),
    quorum_up: s.string('quorum_up'),
    quorum_down: s.string('quorum_down'),
    virtualhost: vs.virtualhost,
    smtp_alert: vs.smtp_alert,
    sorry_server: sorryServer,
    sorry_server_inhibit: s.flagOr('sorry_server_inhibit'),
    sorry_server_lvs_method: sorryForwarding.method,
    real_servers: realServers.flatMap((rs) => buildRealServer(rs, vs, global, sink) ?? []),
    other: s.others(),
  });
}

/** sh-* flags mean something to the sh scheduler only, mh-* to mh (check_parser.c, lbflags_handler). */
function schedulerFlags(s: Settings, sched: string, sink: DiagnosticSink): string[] {
  return LVS_FLAGS.filter((flag) => {
    if (!s.has(flag)) return false;
    const only = flag.startsWith('sh-') ? 'sh' : flag.startsWith('mh-') ? 'mh' : undefined;
    if (only === undefined || only === sched) return true;
    sink.report('scheduler-flag-ignored', `${flag} only applies to ${only} scheduler - ignoring`, { pos: s.pos(flag), keyword: flag });
    return false;
  });
}

interface Inherited extends InheritedTiming {
  readonly inhibit_on_failure: boolean;
  readonly forwarding: Forwarding;
}

function buildRealServer(entry: Entry, vs: Inherited, global: GlobalDefs, sink: DiagnosticSink): RealServer | undefined {
  const [written, portText, ...rest] = Array.isArray(entry.value) ? (entry.value as readonly string[]) : [];
  const site = { pos: entry.stmt.pos, keyword: 'real_server' };
  const ip = written === undefined ? undefined : canonicalIp(written);
  if (ip === undefined) {
    sink.report('invalid-address', `Invalid real server ip address '${written ?? ''}' - skipping`, site);
    return undefined;
  }
  if (rest.length > 0) sink.report('extra-argument', `real_server takes IP [PORT]; ignoring '${rest.join(' ')}'`, site);
  let port = 0;
  if (portText !== undefined) {
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
      sink.report('out-of-range', `Invalid real server port '${portText}' - skipping`, site);
      return undefined;
    }
    port = Number(portText);
  }
  const s = new Settings('real_server', entry.child);
  const alpha = s.flag('alpha') ?? vs.alpha;
  const checkers = buildCheckers(
    entry.child?.entries ?? [],
    {
      ip,
      port,
      pos: entry.stmt.pos,
      delay_loop: s.number('delay_loop') ?? vs.delay_loop,
      connect_timeout: s.number('connect_timeout') ?? vs.connect_timeout,
      retry: s.number('retry') ?? vs.retry,
      delay_before_retry: s.number('delay_before_retry') ?? vs.delay_before_retry,
      warmup: s.number('warmup') ?? vs.warmup,
      alpha,
      virtualhost: s.string('virtualhost') ?? vs.virtualhost,
      global,
    },
    sink,
  );
  const rsForwarding = forwarding(s, 'lvs_method', vs.forwarding, 'real', sink);
  return {
    pos: entry.stmt.pos,
    ip,
    port,
    weight: s.numberOr('weight'),
    lvs_method: rsForwarding.method,
    ...tunnelField('tunnel', rsForwarding),
    uthreshold: s.numberOr('uthreshold'),
    lthreshold: s.numberOr('lthreshold'),
    inhibit_on_failure: s.flag('inhibit_on_failure') ?? vs.inhibit_on_failure,
    notify_up: s.string('notify_up'),
    notify_down: s.string('notify_down'),
    smtp_alert: s.flag('smtp_alert') ?? global.smtp_alert_checker ?? global.smtp_alert ?? true,
    checkers,
  };
}
