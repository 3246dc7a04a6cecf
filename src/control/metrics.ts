/**
 * The Prometheus metrics: a pure function of one DaemonStatus and one process sample. Names
 * follow Prometheus conventions (`_total` counters, seconds and bytes) and, where keepalived
 * exporters already chart a series (mehdy/keepalived-exporter: keepalived_vrrp_state,
 * keepalived_advertisements_received_total, ... with labels iname, intf, vrid), keep their names, so
 * dashboards carry over. No counter has a `state` label: it would split every series at each
 * failover; the state is its own gauge.
 */
import type { DaemonStatus, LvsStatus, VrrpInstanceStatus, VrrpStatus } from '../daemon/status.js';
import type { VrrpState } from '../vrrp/events.js';
import { exposition, type Family, type Labels, type Sample } from './exposition.js';
import { lvsOf, vrrpOf } from './status-view.js';

/** keepalived's numbers for the states (vrrp.h VRRP_STATE_*), which keepalived_vrrp_state reports. */
export const STATE_NUMBERS: Readonly<Record<VrrpState, number>> = { INITIALIZE: 0, BACKUP: 1, MASTER: 2, FAULT: 3, STOP: 98 };

/** What the process reports about itself (src/linux/metrics-listener.ts samples it). */
export interface ProcessSample {
  readonly cpuSeconds: number;
  readonly residentMemoryBytes: number;
  readonly heapUsedBytes: number;
  readonly startTimeSeconds: number;
  /** Absent where /proc/self/fd cannot be read. */
  readonly openFds?: number;
}

/**
 * keepalived's per-instance statistics (vrrp_stats, the `counters` keys) under the names
 * mehdy/keepalived-exporter gives them.
 */
const COUNTERS: readonly (readonly [key: string, name: string, help: string])[] = [
  ['advert_rcvd', 'keepalived_advertisements_received_total', 'VRRP advertisements received by the instance.'],
  ['advert_sent', 'keepalived_advertisements_sent_total', 'VRRP advertisements sent by the instance.'],
  ['become_master', 'keepalived_become_master_total', 'Times the instance became MASTER.'],
  ['release_master', 'keepalived_release_master_total', 'Times the instance left MASTER.'],
  ['packet_len_err', 'keepalived_packet_length_errors_total', 'Adverts dropped for a wrong length.'],
  ['advert_interval_err', 'keepalived_advertisements_interval_errors_total', 'Adverts dropped for a different advertisement interval.'],
  ['ip_ttl_err', 'keepalived_ip_ttl_errors_total', 'Adverts dropped for a TTL or hop limit other than 255.'],
  ['invalid_type_rcvd', 'keepalived_invalid_type_received_total', 'Adverts dropped for a VRRP type other than ADVERTISEMENT.'],
  ['addr_list_err', 'keepalived_address_list_errors_total', 'Adverts whose virtual addresses differ from the instance.'],
  ['invalid_authtype', 'keepalived_authentication_invalid_total', 'Adverts with an unknown authentication type.'],
  ['authtype_mismatch', 'keepalived_authentication_mismatch_total', 'Adverts with another authentication type than the instance.'],
  ['auth_failure', 'keepalived_authentication_failure_total', 'Adverts whose password differs from the instance.'],
  ['pri_zero_rcvd', 'keepalived_priority_zero_received_total', 'Advertisements with priority 0 (a master leaving) received.'],
  ['pri_zero_sent', 'keepalived_priority_zero_sent_total', 'Advertisements with priority 0 sent.'],
];

/** An instance's `announcementsSent`, named by what its family sends. */
const ANNOUNCEMENTS: readonly (readonly [family: VrrpInstanceStatus['family'], name: string, help: string])[] = [
  ['inet', 'keepalived_gratuitous_arp_sent_total', "Gratuitous ARPs sent for an IPv4 instance's addresses."],
  ['inet6', 'keepalived_unsolicited_neighbor_advertisements_sent_total', "Unsolicited neighbour advertisements sent for an IPv6 instance's addresses."],
];

const gauge = (name: string, help: string, samples: readonly Sample[]): Family => ({ name, type: 'gauge', help, samples });
const counter = (name: string, help: string, samples: readonly Sample[]): Family => ({ name, type: 'counter', help, samples });
const one = (value: number, labels: Labels = {}): Sample[] => [{ labels, value }];
const flag = (b: boolean): number => (b ? 1 : 0);
const seconds = (ms: number): number => ms / 1000;

const instanceLabels = (i: VrrpInstanceStatus): Labels => ({ iname: i.name, intf: i.interface, vrid: String(i.vrid) });

/** One sample per item that has a value. */
function samples<T>(items: readonly T[], value: (t: T) => number | null | undefined, labels: (t: T) => Labels): Sample[] {
  return items.flatMap((t) => {
    const n = value(t);
    return n === undefined || n === null ? [] : [{ labels: labels(t), value: n }];
  });
}

function vrrpFamilies(v: VrrpStatus): Family[] {
  const per = (value: (i: VrrpInstanceStatus) => number | null | undefined): Sample[] => samples(v.instances, value, instanceLabels);
  return [
    gauge(
      'keepalived_vrrp_state',
      'VRRP instance state: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT, 98 STOP (keepalived numbering).',
      per((i) => STATE_NUMBERS[i.state]),
    ),
    gauge(
      'keepalived_vrrp_effective_priority',
      'Priority the instance advertises now, trackers applied.',
      per((i) => i.effectivePriority),
    ),
    gauge(
      'keepalived_vrrp_base_priority',
      'Configured priority of the instance.',
      per((i) => i.basePriority),
    ),
    gauge(
      'keepalived_vrrp_last_transition_timestamp_seconds',
      "Unix time of the instance's last state change.",
      per((i) => i.lastTransition && seconds(i.lastTransition.atUnix)),
    ),
    gauge(
      'keepalived_vrrp_tracker_up',
      'Whether a tracker (script, interface, file, process) of the instance is up.',
      v.instances.flatMap((i) => i.trackers.map((t) => ({ labels: { ...instanceLabels(i), tracker: t.name }, value: flag(t.up) }))),
    ),
    ...COUNTERS.map(([key, name, help]) =>
      counter(
        name,
        help,
        per((i) => i.counters[key]),
      ),
    ),
    ...ANNOUNCEMENTS.map(([family, name, help]) =>
      counter(
        name,
        help,
        samples(
          v.instances.filter((i) => i.family === family),
          (i) => i.announcementsSent,
          instanceLabels,
        ),
      ),
    ),
    gauge(
      'keepalived_vrrp_sync_group_state',
      'vrrp_sync_group state, numbered as keepalived_vrrp_state.',
      v.syncGroups.map((g) => ({ labels: { group: g.name }, value: STATE_NUMBERS[g.state] })),
    ),
    counter(
      'keepalived_vrrp_advert_dropped_total',
      "Received VRRP packets dropped, by reason (the daemon's reject codes).",
      Object.entries(v.drops).map(([reason, value]) => ({ labels: { reason }, value })),
    ),
    counter('keepalived_vrrp_timers_fired_total', 'VRRP timers that fired.', one(v.timerLateness.fired)),
    gauge('keepalived_vrrp_timer_lateness_max_seconds', 'Largest delay of a VRRP timer past its due time.', one(seconds(v.timerLateness.maxLateMs))),
    gauge('keepalived_vrrp_timer_lateness_mean_seconds', 'Mean delay of VRRP timers past their due time.', one(seconds(v.timerLateness.meanLateMs))),
  ];
}

function lvsFamilies(l: LvsStatus): Family[] {
  const vsLabel = (vs: { key: string }): Labels => ({ vs: vs.key });
  const servers = l.virtualServers.flatMap((vs) => vs.realServers.map((rs) => ({ rs, labels: { vs: vs.key, rs: rs.key } })));
  const checkers = servers.flatMap(({ rs, labels }) => rs.checkers.map((c, n) => ({ c, labels: { ...labels, checker: String(n), type: c.type } })));
  return [
    gauge(
      'keepalived_lvs_quorum_up',
      'Whether the virtual server has its quorum of alive real servers.',
      l.virtualServers.map((vs) => ({ labels: vsLabel(vs), value: flag(vs.quorumUp) })),
    ),
    gauge(
      'keepalived_lvs_sorry_server_active',
      "Whether the virtual server's sorry server is in the table.",
      l.virtualServers.map((vs) => ({ labels: vsLabel(vs), value: flag(vs.sorryServerActive) })),
    ),
    gauge(
      'keepalived_lvs_real_server_up',
      'Whether the real server is alive (all its checkers up).',
      servers.map(({ rs, labels }) => ({ labels, value: flag(rs.alive) })),
    ),
    gauge(
      'keepalived_lvs_real_server_weight',
      'Weight of the real server in the IPVS table.',
      servers.map(({ rs, labels }) => ({ labels, value: rs.weight })),
    ),
    counter(
      'keepalived_lvs_real_server_up_transitions_total',
      'Times the real server came up.',
      samples(
        servers,
        (s) => s.rs.transitions?.up,
        (s) => s.labels,
      ),
    ),
    counter(
      'keepalived_lvs_real_server_down_transitions_total',
      'Times the real server went down.',
      samples(
        servers,
        (s) => s.rs.transitions?.down,
        (s) => s.labels,
      ),
    ),
    gauge(
      'keepalived_checker_up',
      'Whether the checker reports its real server up.',
      checkers.map(({ c, labels }) => ({ labels, value: flag(c.up) })),
    ),
    gauge(
      'keepalived_checker_last_latency_seconds',
      "How long the checker's last attempt took.",
      samples(
        checkers,
        (k) => k.c.lastResult && seconds(k.c.lastResult.latencyMs),
        (k) => k.labels,
      ),
    ),
    counter('keepalived_checker_results_total', 'Checker attempts by result.', [
      ...samples(
        checkers,
        (k) => k.c.results?.ok,
        (k) => ({ ...k.labels, result: 'success' }),
      ),
      ...samples(
        checkers,
        (k) => k.c.results?.failed,
        (k) => ({ ...k.labels, result: 'failure' }),
      ),
    ]),
    counter('keepalived_ipvs_applies_total', 'IPVS table changes the daemon applied.', one(l.applies)),
    counter('keepalived_ipvs_repairs_total', 'IPVS table repairs after a change the daemon did not make.', one(l.repairs)),
    counter('keepalived_ipvs_errors_total', 'IPVS operations the kernel refused.', one(l.errors)),
  ];
}

function daemonFamilies(s: DaemonStatus): Family[] {
  const r = s.lastReload;
  return [
    gauge('keepalived_build_info', 'The keepalived-ts version, as a label; always 1.', one(1, { version: s.version })),
    gauge('keepalived_config_loaded_timestamp_seconds', 'Unix time the running configuration was loaded.', one(seconds(s.loadedAtUnix))),
    gauge('keepalived_config_last_reload_successful', 'Whether the last reload succeeded (1 before any reload).', one(flag(r === null || r.ok))),
    counter(
      'keepalived_reloads_total',
      'Reloads by result.',
      s.reloads
        ? [
            { labels: { result: 'success' }, value: s.reloads.ok },
            { labels: { result: 'failure' }, value: s.reloads.failed },
          ]
        : [],
    ),
  ];
}

function processFamilies(p: ProcessSample): Family[] {
  return [
    counter('process_cpu_seconds_total', 'User and system CPU time spent.', one(p.cpuSeconds)),
    gauge('process_resident_memory_bytes', 'Resident memory size.', one(p.residentMemoryBytes)),
    gauge('process_start_time_seconds', 'Unix time the process started.', one(p.startTimeSeconds)),
    gauge('process_open_fds', 'Open file descriptors.', p.openFds === undefined ? [] : one(p.openFds)),
    gauge('nodejs_heap_used_bytes', 'V8 heap in use.', one(p.heapUsedBytes)),
  ];
}

export function renderMetrics(status: DaemonStatus, proc: ProcessSample): string {
  const vrrp = vrrpOf(status);
  const lvs = lvsOf(status);
  return exposition([...daemonFamilies(status), ...(vrrp ? vrrpFamilies(vrrp) : []), ...(lvs ? lvsFamilies(lvs) : []), ...processFamilies(proc)]);
}
