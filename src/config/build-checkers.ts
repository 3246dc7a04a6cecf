/**
 * Checker blocks of a real server. Timing keywords are inherited checker <- real_server <-
 * virtual_server, then fall back to the checker type's default (check_data.c, check_api.c).
 */
import type { SourcePos } from './ast.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { BlockName } from './keyword-spec.js';
import type { Checker, CheckerTiming, CheckerType, Connection, GlobalDefs, HttpUrl } from './model.js';
import type { Entry } from './read-block.js';
import { Settings } from './settings.js';

export const CHECKER_TYPES: readonly CheckerType[] = ['HTTP_GET', 'SSL_GET', 'TCP_CHECK', 'SMTP_CHECK', 'DNS_CHECK', 'MISC_CHECK', 'FILE_CHECK', 'PING_CHECK', 'UDP_CHECK', 'BFD_CHECK'];

/** Checker settings a virtual server passes to its real servers, and a real server to its checkers. */
export interface InheritedTiming {
  readonly delay_loop: number;
  readonly connect_timeout: number;
  readonly retry: number | undefined;
  readonly delay_before_retry: number | undefined;
  readonly warmup: number | undefined;
  readonly alpha: boolean;
  readonly virtualhost: string | null;
}

/** What a checker inherits from its real server (already merged with the virtual server). */
export interface CheckerContext extends InheritedTiming {
  readonly ip: string;
  readonly port: number;
  readonly pos: SourcePos;
  readonly global: GlobalDefs;
}

const DEFAULT_STATUS: readonly (readonly [number, number])[] = [[200, 299]];

export function buildCheckers(entries: readonly Entry[], ctx: CheckerContext, sink: DiagnosticSink): Checker[] {
  const out: Checker[] = [];
  for (const entry of entries) {
    const type = entry.name as CheckerType;
    if (!CHECKER_TYPES.includes(type)) continue;
    const s = new Settings(type, entry.child);
    const pos = entry.stmt.pos;
    // Object.assign rather than spreads: this runs once per checker, and large configs have tens of thousands.
    const base = Object.assign({ pos }, timing(s, ctx));
    switch (type) {
      case 'HTTP_GET':
      case 'SSL_GET': {
        const virtualhost = s.string('virtualhost') ?? ctx.virtualhost;
        const urls = (entry.child?.entries ?? []).filter((e) => e.name === 'url').map((e) => readUrl(e, virtualhost, sink));
        if (urls.length === 0) {
          sink.report('http-no-url', `${type} checker for ${ctx.ip} has no url - it can never succeed`, { pos, keyword: type });
        }
        out.push(
          Object.assign(base, { type }, connection(type, s, ctx, pos, sink), {
            virtualhost,
            http_protocol: s.stringOr('http_protocol'),
            url: urls,
            fast_recovery: s.flagOr('fast_recovery', false),
            // sni_name implies enable_sni (check_http.c sni_name_handler())
            enable_sni: s.flagOr('enable_sni', false) || s.has('sni_name'),
            sni_name: s.string('sni_name'),
          }),
        );
        break;
      }
      case 'TCP_CHECK':
      case 'PING_CHECK':
        out.push(Object.assign(base, { type }, connection(type, s, ctx, pos, sink)));
        break;
      case 'SMTP_CHECK': {
        const helo = s.string('helo_name');
        const hosts = (entry.child?.entries ?? []).filter((e) => e.name === 'host');
        if (hosts.length === 0 || hasConnectionKeyword(s)) {
          out.push({ ...base, type, ...connection(type, s, ctx, pos, sink), helo_name: helo });
        }
        for (const host of hosts) {
          sink.report('deprecated-keyword', 'The SMTP_CHECK host block is deprecated. Please define additional checkers.', {
            pos: host.stmt.pos,
            keyword: 'host',
          });
          const h = new Settings('smtp_host', host.child);
          out.push({ pos: host.stmt.pos, ...timing(h, ctx, s), type, ...connection('smtp_host', h, ctx, host.stmt.pos, sink, s), helo_name: helo });
        }
        break;
      }
      case 'DNS_CHECK':
        out.push(Object.assign(base, { type }, connection(type, s, ctx, pos, sink), { query_type: s.stringOr('type'), name: s.stringOr('name') }));
        break;
      case 'UDP_CHECK': {
        // keepalived joins the words of both hex strings (make_strvec_str) before reading them
        const pattern = s.words('require_reply');
        out.push(
          Object.assign(base, { type }, connection(type, s, ctx, pos, sink), {
            payload: s.words('payload')?.join(' ') ?? null,
            require_reply: s.has('require_reply') ? (pattern && pattern.length > 0 ? pattern.join(' ') : true) : false,
            min_reply_length: s.numberOr('min_reply_length'),
            max_reply_length: s.numberOr('max_reply_length'),
          }),
        );
        break;
      }
      case 'MISC_CHECK': {
        const path = s.string('misc_path');
        if (path === null) sink.report('misc-no-path', `MISC_CHECK for ${ctx.ip} has no misc_path - removing`, { pos, keyword: type });
        else {
          out.push(
            Object.assign(base, {
              type,
              misc_path: path,
              misc_timeout: s.number('misc_timeout') ?? base.delay_loop,
              misc_dynamic: s.flagOr('misc_dynamic', false),
              user: s.scriptUser('user'),
            }),
          );
        }
        break;
      }
      case 'FILE_CHECK': {
        const words = s.words('weight') ?? [];
        const weight = words[0] !== undefined && /^[+-]?\d+$/.test(words[0]) ? Number(words[0]) : null;
        out.push(Object.assign(base, { type, track_file: s.string('track_file'), weight, weight_reverse: words[1] === 'reverse' }));
        break;
      }
      case 'BFD_CHECK':
        out.push(Object.assign(base, { type, name: s.string('name'), alpha: s.flag('alpha') ?? ctx.alpha }));
        break;
    }
  }
  return out;
}

function timing(s: Settings, ctx: CheckerContext, parent?: Settings): CheckerTiming {
  const pick = (name: string): number | undefined => s.number(name) ?? parent?.number(name);
  const delayLoop = pick('delay_loop') ?? ctx.delay_loop;
  const typeDefault = (name: string): number | undefined => {
    const d = s.default(name);
    return typeof d === 'number' ? d : undefined;
  };
  return {
    retry: pick('retry') ?? ctx.retry ?? typeDefault('retry') ?? 1,
    delay_before_retry: pick('delay_before_retry') ?? ctx.delay_before_retry ?? typeDefault('delay_before_retry') ?? delayLoop,
    warmup: pick('warmup') ?? ctx.warmup ?? delayLoop,
    delay_loop: delayLoop,
    alpha: s.flag('alpha') ?? parent?.flag('alpha') ?? ctx.alpha,
    log_all_failures: s.flag('log_all_failures') ?? parent?.flag('log_all_failures') ?? ctx.global.checker_log_all_failures,
  };
}

const CONNECTION_KEYWORDS = ['connect_ip', 'connect_port', 'bindto', 'bind_port', 'bind_if'];

function hasConnectionKeyword(s: Settings): boolean {
  return CONNECTION_KEYWORDS.some((k) => s.has(k));
}

function connection(block: BlockName, s: Settings, ctx: CheckerContext, pos: SourcePos, sink: DiagnosticSink, parent?: Settings): Connection {
  const str = (name: string): string | null => s.string(name) ?? parent?.string(name) ?? null;
  const num = (name: string): number | undefined => s.number(name) ?? parent?.number(name);
  const port = num('connect_port') ?? ctx.port;
  const needsPort = block !== 'PING_CHECK';
  if (needsPort && port === 0) {
    const type = block === 'smtp_host' ? 'SMTP_CHECK' : block;
    sink.report('checker-no-port', `${type} for real server ${ctx.ip} has no port to connect to`, { pos, keyword: type }, 'add connect_port to the checker or a port to the real_server line');
  }
  return {
    connect_ip: str('connect_ip') ?? ctx.ip,
    connect_port: port,
    bindto: str('bindto'),
    bind_port: num('bind_port') ?? null,
    bind_if: str('bind_if'),
    connect_timeout: num('connect_timeout') ?? ctx.connect_timeout,
    fwmark: num('fwmark') ?? null,
  };
}

function readUrl(entry: Entry, virtualhost: string | null, sink: DiagnosticSink): HttpUrl {
  const s = new Settings('url', entry.child);
  return {
    pos: entry.stmt.pos,
    path: s.string('path'),
    digest: s.string('digest'),
    status_code: statusCodes(s, sink),
    virtualhost: s.string('virtualhost') ?? virtualhost,
    regex: s.string('regex'),
    regex_no_match: s.flagOr('regex_no_match', false),
    regex_min_offset: s.numberOr('regex_min_offset', 0),
    regex_max_offset: s.numberOr('regex_max_offset', 0),
  };
}

/** `status_code 200 301-302 ...`: numbers and inclusive ranges of 100-599. */
function statusCodes(s: Settings, sink: DiagnosticSink): readonly (readonly [number, number])[] {
  const words = s.words('status_code');
  if (!words) return DEFAULT_STATUS;
  const ranges: (readonly [number, number])[] = [];
  for (const word of words) {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(word);
    const low = Number(m?.[1]);
    const high = Number(m?.[2] ?? m?.[1]);
    if (!m || low < 100 || high > 599 || low > high) {
      sink.report('invalid-value', `Invalid HTTP status code '${word}' - ignoring`, { pos: s.pos('status_code'), keyword: 'status_code' });
      continue;
    }
    ranges.push([low, high]);
  }
  return ranges.length > 0 ? ranges : DEFAULT_STATUS;
}
