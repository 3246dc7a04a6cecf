/**
 * global_defs: daemon-wide settings, and the defaults VRRP instances inherit.
 */
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { Fifo, GlobalDefs } from './model.js';
import { readName } from './data-lines.js';
import { Settings } from './settings.js';
import type { BlockReading } from './read-block.js';

export interface GlobalOptions {
  /** The host name, which keepalived uses for router_id and the e-mail sender when unset. */
  readonly hostname?: string;
}

export function buildGlobalDefs(reading: BlockReading | undefined, sink: DiagnosticSink, options: GlobalOptions): GlobalDefs {
  const s = new Settings('global_defs', reading);
  const hostname = options.hostname ?? null;
  const fifo = (name: string): Fifo | null => {
    const w = s.words(name);
    return w && w[0] !== undefined ? { path: w[0], user: w[1] ?? null, group: w[2] ?? null } : null;
  };
  const smtp = s.words('smtp_server');
  let smtpServer: GlobalDefs['smtp_server'] = null;
  if (smtp && smtp[0] !== undefined) {
    const port = smtp[1] === undefined ? 25 : Number(smtp[1]);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      sink.report('invalid-value', `Invalid smtp_server port '${smtp[1]}'`, { pos: s.pos('smtp_server'), keyword: 'smtp_server' });
    } else {
      smtpServer = { ip: smtp[0], port };
    }
  }
  const flushOnStop = s.entry('lvs_flush_on_stop');
  let lvsFlushOnStop: GlobalDefs['lvs_flush_on_stop'] = 'disabled';
  if (flushOnStop) {
    const v = flushOnStop.value;
    if (v === null) lvsFlushOnStop = 'full';
    else if (v === 'VS') lvsFlushOnStop = 'VS';
    else {
      sink.report('invalid-value', `'lvs_flush_on_stop' expects nothing or VS, not '${String(v)}'`, {
        pos: flushOnStop.stmt.pos,
        keyword: flushOnStop.stmt.keyword,
      });
    }
  }
  const emails = s.lines('notification_email');
  return {
    router_id: s.string('router_id') ?? hostname,
    notification_email: emails.map((line) => readName(line, sink, 'notification_email')),
    notification_email_from: s.string('notification_email_from') ?? (hostname !== null ? `keepalived@${hostname}` : null),
    smtp_server: smtpServer,
    smtp_connect_timeout: s.numberOr('smtp_connect_timeout'),
    smtp_alert: s.flag('smtp_alert') ?? null,
    smtp_alert_vrrp: s.flag('smtp_alert_vrrp') ?? null,
    smtp_alert_checker: s.flag('smtp_alert_checker') ?? null,
    checker_log_all_failures: s.flagOr('checker_log_all_failures'),
    default_interface: s.stringOr('default_interface'),
    lvs_flush: s.flagOr('lvs_flush'),
    lvs_flush_on_stop: lvsFlushOnStop,
    vrrp_mcast_group4: s.stringOr('vrrp_mcast_group4'),
    vrrp_mcast_group6: s.stringOr('vrrp_mcast_group6'),
    vrrp_garp_master_delay: s.numberOr('vrrp_garp_master_delay'),
    vrrp_garp_master_repeat: s.numberOr('vrrp_garp_master_repeat'),
    vrrp_garp_master_refresh: s.numberOr('vrrp_garp_master_refresh'),
    vrrp_garp_master_refresh_repeat: s.numberOr('vrrp_garp_master_refresh_repeat'),
    vrrp_garp_lower_prio_delay: s.numberOr('vrrp_garp_lower_prio_delay'),
    vrrp_garp_lower_prio_repeat: s.numberOr('vrrp_garp_lower_prio_repeat'),
    vrrp_down_timer_adverts: s.numberOr('vrrp_down_timer_adverts'),
    vrrp_version: s.numberOr('vrrp_version') === 3 ? 3 : 2,
    vrrp_check_unicast_src: s.flagOr('vrrp_check_unicast_src'),
    vrrp_skip_check_adv_addr: s.flagOr('vrrp_skip_check_adv_addr'),
    vrrp_strict: s.flagOr('vrrp_strict'),
    vrrp_lower_prio_no_advert: s.flagOr('vrrp_lower_prio_no_advert'),
    vrrp_higher_prio_send_advert: s.flagOr('vrrp_higher_prio_send_advert'),
    vrrp_notify_priority_changes: s.flagOr('vrrp_notify_priority_changes'),
    vrrp_owner_ignore_adverts: s.flagOr('vrrp_owner_ignore_adverts'),
    vrrp_startup_delay: s.numberOr('vrrp_startup_delay'),
    notify_fifo: fifo('notify_fifo'),
    notify_fifo_script: s.string('notify_fifo_script'),
    vrrp_notify_fifo: fifo('vrrp_notify_fifo'),
    vrrp_notify_fifo_script: s.string('vrrp_notify_fifo_script'),
    lvs_notify_fifo: fifo('lvs_notify_fifo'),
    lvs_notify_fifo_script: s.string('lvs_notify_fifo_script'),
    state_dump_file: s.string('state_dump_file'),
    stats_dump_file: s.string('stats_dump_file'),
    json_dump_file: s.string('json_dump_file'),
    script_user: s.scriptUser('script_user'),
    enable_script_security: s.flagOr('enable_script_security'),
    other: s.others(),
  };
}
