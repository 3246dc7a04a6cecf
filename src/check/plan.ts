/**
 * From the configuration to what the checker service runs: one probe group per distinct check
 * and one record per real server of each virtual server. Identical checks (same type, target,
 * options and timing) of a real server behind several virtual servers share one group, so they
 * run once and feed them all; keepalived runs each (its issues 2111 and 2358).
 */
import type { Checker, CheckerType, KeepalivedConfig, TrackFile } from '../config/model.js';
import { splitCommand } from '../scripts/argv.js';
import { checkIdentity } from './check-identity.js';
import type { CheckerParams } from './checker-fsm.js';
import { realServerKey, virtualServerKey, type CheckerRef } from './health.js';
import { formatRs, formatVs } from './names.js';
import type { RealServerNames } from './real-server.js';

export interface ProbeGroup {
  readonly key: string;
  readonly params: CheckerParams;
  readonly checker: Checker;
  readonly ip: string;
  readonly port: number;
  /** connect_timeout (misc_timeout for scripts): the deadline of one attempt, ms. */
  readonly deadlineMs: number;
  readonly members: readonly CheckerRef[];
}

export interface PlannedRealServer {
  /** `vs rs`, unique in a configuration. */
  readonly id: string;
  readonly vs: string;
  readonly rs: string;
  readonly names: RealServerNames;
  readonly omega: boolean;
  /** The configured weight (iweight), which misc_dynamic replaces and FILE_CHECK moves. */
  readonly weight: number;
  /** The real server's checkers that run (unsupported types are left out), by position. */
  readonly checkers: readonly { readonly index: number; readonly type: CheckerType; readonly alpha: boolean; readonly group: string }[];
}

export interface CheckerPlan {
  readonly groups: ReadonlyMap<string, ProbeGroup>;
  readonly realServers: ReadonlyMap<string, PlannedRealServer>;
  /** Checkers left out because their type has no probe here, counted by type. */
  readonly unsupported: Readonly<Partial<Record<CheckerType, number>>>;
}

const s = (seconds: number): number => Math.round(seconds * 1000);

/** What MISC_CHECK and FILE_CHECK lines name: the script's first word, the tracked file's path. */
function sourceOf(checker: Checker, trackFiles: readonly TrackFile[]): string | undefined {
  if (checker.type === 'MISC_CHECK' && checker.misc_path !== null) {
    try {
      return splitCommand(checker.misc_path)[0] ?? checker.misc_path;
    } catch {
      return checker.misc_path;
    }
  }
  if (checker.type === 'FILE_CHECK' && checker.track_file !== null) return trackFiles.find((f) => f.name === checker.track_file)?.file ?? checker.track_file;
  return undefined;
}

export function checkerParams(checker: Checker, label: string, source?: string): CheckerParams {
  const http = checker.type === 'HTTP_GET' || checker.type === 'SSL_GET';
  return {
    flavour: http ? 'http' : 'tcp',
    checkName: checker.type === 'HTTP_GET' ? 'HTTP_CHECK' : checker.type === 'SSL_GET' ? 'SSL_CHECK' : checker.type,
    label,
    ...(source !== undefined ? { source } : {}),
    retry: checker.retry,
    delayLoopMs: s(checker.delay_loop),
    delayBeforeRetryMs: s(checker.delay_before_retry),
    warmupMs: s(checker.warmup),
    alpha: checker.alpha,
    logAllFailures: checker.log_all_failures,
    urlPaths: http ? checker.url.map((u) => u.path ?? '/') : [],
    fastRecovery: http ? checker.fast_recovery : false,
  };
}

function deadlineOf(checker: Checker): number {
  if ('connect_timeout' in checker) return s(checker.connect_timeout);
  if (checker.type === 'MISC_CHECK') return s(checker.misc_timeout);
  return s(checker.delay_loop);
}

export function planCheckers(config: KeepalivedConfig, supported: (type: CheckerType) => boolean): CheckerPlan {
  const groups = new Map<string, { group: Omit<ProbeGroup, 'members'>; members: CheckerRef[] }>();
  const realServers = new Map<string, PlannedRealServer>();
  const unsupported: Partial<Record<CheckerType, number>> = {};
  for (const vs of config.virtual_servers) {
    const vsKey = virtualServerKey(vs);
    const vsName = formatVs(vs);
    for (const rs of vs.real_servers) {
      const rsKey = realServerKey(rs);
      const label = formatRs(rs, vs);
      const checkers: PlannedRealServer['checkers'][number][] = [];
      rs.checkers.forEach((checker, index) => {
        if (!supported(checker.type)) {
          unsupported[checker.type] = (unsupported[checker.type] ?? 0) + 1;
          return;
        }
        const key = checkIdentity(checker, label);
        let entry = groups.get(key);
        if (!entry) {
          entry = { group: { key, params: checkerParams(checker, label, sourceOf(checker, config.track_files)), checker, ip: rs.ip, port: rs.port, deadlineMs: deadlineOf(checker) }, members: [] };
          groups.set(key, entry);
        }
        entry.members.push({ vs: vsKey, rs: rsKey, checker: index });
        // the group's own key string: one copy per group, not one per check
        checkers.push({ index, type: checker.type, alpha: checker.alpha, group: entry.group.key });
      });
      const id = `${vsKey} ${rsKey}`;
      realServers.set(id, { id, vs: vsKey, rs: rsKey, names: { rs: label, vs: vsName, notifyUp: rs.notify_up, notifyDown: rs.notify_down }, omega: vs.omega, weight: rs.weight, checkers });
    }
  }
  return {
    groups: new Map([...groups].map(([k, { group, members }]) => [k, { ...group, members }])),
    realServers,
    unsupported,
  };
}
