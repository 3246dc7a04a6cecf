/**
 * The defaults keepalived fills in when it completes a virtual server, each with the message it
 * prints (check_data.c, validate_check_config): a service by address with no protocol becomes
 * UDP (the kernel's reading of protocol 0), no scheduler becomes wlc, no forwarding method NAT,
 * port 0 forces persistence, one-packet scheduling needs UDP, fwmark services ignore protocol.
 */
import type { SourcePos } from './ast.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { VirtualServer, VirtualServerAddress, VirtualServerGroup } from './model.js';
import type { Settings } from './settings.js';

const PERSISTENCE_WHEN_BARE = 360;

type Protocol = VirtualServer['protocol'];

export interface ServiceContext {
  readonly s: Settings;
  readonly address: VirtualServerAddress;
  readonly group: VirtualServerGroup | undefined;
  readonly label: string;
  readonly pos: SourcePos;
  readonly sink: DiagnosticSink;
}

/** A service defined by addresses (directly or through a group with address entries), not only fwmarks. */
function byAddress(ctx: ServiceContext): boolean {
  if ('ip' in ctx.address) return true;
  if ('group' in ctx.address) return ctx.group?.entries.some((e) => 'ip' in e) ?? false;
  return false;
}

export function serviceProtocol(ctx: ServiceContext): Protocol {
  const given = ctx.s.string('protocol') as Protocol;
  // A group that does not exist is reported on its own; its protocol cannot be judged.
  if ('group' in ctx.address && ctx.group === undefined) return given;
  const site = { pos: ctx.s.pos('protocol') ?? ctx.pos, keyword: 'protocol' };
  if (byAddress(ctx)) {
    if (given !== null) return given;
    ctx.sink.report('no-protocol', `Virtual server ${ctx.label}: no protocol set - defaulting to UDP`, site, 'add `protocol TCP` if this is a TCP service');
    return 'UDP';
  }
  if (given !== null) {
    ctx.sink.report('protocol-with-fwmark', `Virtual server ${ctx.label}: protocol specified for fwmark - protocol will be ignored`, site);
  }
  return null;
}

export function serviceScheduler(ctx: ServiceContext): string {
  if (ctx.s.has('lvs_sched')) return ctx.s.stringOr('lvs_sched');
  const fallback = ctx.s.stringOr('lvs_sched');
  ctx.sink.report('no-scheduler', `Virtual server ${ctx.label}: no scheduler set, setting default '${fallback}'`, { pos: ctx.pos, keyword: 'lvs_sched' });
  return fallback;
}

/** One-packet scheduling only works for UDP. */
export function onePacketFlag(ctx: ServiceContext, flags: readonly string[], protocol: Protocol): string[] {
  if (!flags.includes('ops') || protocol === 'UDP' || protocol === null) return [...flags];
  ctx.sink.report('ops-not-udp', `Virtual server ${ctx.label}: one packet scheduling requires UDP - resetting`, { pos: ctx.s.pos('ops'), keyword: 'ops' });
  return flags.filter((f) => f !== 'ops');
}

export function persistenceTimeout(ctx: ServiceContext): number | null {
  const entry = ctx.s.entry('persistence_timeout');
  if (entry) return typeof entry.value === 'number' ? entry.value : PERSISTENCE_WHEN_BARE;
  const zeroPort = ('ip' in ctx.address && ctx.address.port === 0) || ('group' in ctx.address && (ctx.group?.entries.some((e) => 'port' in e && e.port === 0) ?? false));
  if (!zeroPort) return null;
  ctx.sink.report('zero-port-persistence', `Virtual server ${ctx.label}: zero port only valid for persistent services - setting`, {
    pos: ctx.pos,
    keyword: 'persistence_timeout',
  });
  return PERSISTENCE_WHEN_BARE;
}

/** keepalived says so when a real server (or the sorry server) ends up with NAT only by default. */
export function reportDefaultMethod(ctx: ServiceContext, needsDefault: boolean): void {
  if (ctx.s.has('lvs_method') || !needsDefault) return;
  ctx.sink.report('no-lvs-method', `Virtual server ${ctx.label}: no forwarding method set, setting default NAT`, { pos: ctx.pos, keyword: 'lvs_method' });
}
