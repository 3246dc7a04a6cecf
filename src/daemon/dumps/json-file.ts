import type { VrrpScript } from '../../config/model.js';
import { KEEPALIVED_STAT_FIELDS } from '../vrrp-stats.js';
import { formatVip, STATE_NUMBER, type InstanceDumpView } from './view.js';

/**
 * /tmp/keepalived.json as keepalived's vrrp_json.c writes it (signal 36): an array with one
 * `{data, stats}` object a VRRP instance, keys in keepalived's order, optional keys left out
 * when keepalived leaves them out (no scripts, empty lists). keepalived_exporter and
 * keepalived-exporter decode it with these names.
 */
export function formatJsonFile(instances: readonly InstanceDumpView[], scripts: readonly VrrpScript[]): string {
  const array = instances.map((v) => ({ data: dataOf(v, scripts), stats: Object.fromEntries(KEEPALIVED_STAT_FIELDS.map((f) => [f, v.stats[f]])) }));
  // json_writer escapes '/' as '\/'; a '/' never occurs inside another escape, so this is exact
  return JSON.stringify(array).replaceAll('/', '\\/');
}

function dataOf(v: InstanceDumpView, scripts: readonly VrrpScript[]): Record<string, unknown> {
  const c = v.config;
  const script = (name: string, line: string | null) => (line !== null ? { [name]: line } : {});
  const list = (name: string, items: readonly string[]) => (items.length > 0 ? { [name]: items } : {});
  return {
    iname: c.name,
    dont_track_primary: c.dont_track_primary ? 1 : 0,
    skip_check_adv_addr: c.skip_check_adv_addr ? 1 : 0,
    strict_mode: c.strict_mode ? 1 : 0,
    vmac_ifname: '',
    ifp_ifname: c.interface,
    master_priority: v.master?.priority ?? 0,
    last_transition: Math.round(v.lastTransitionUnixMs * 1000) / 1e6,
    garp_delay: c.garp_master_delay,
    garp_refresh: c.garp_master_refresh,
    garp_rep: c.garp_master_repeat,
    garp_refresh_rep: c.garp_master_refresh_repeat,
    garp_lower_prio_delay: c.garp_lower_prio_delay,
    garp_lower_prio_rep: c.garp_lower_prio_repeat,
    lower_prio_no_advert: c.lower_prio_no_advert ? 1 : 0,
    higher_prio_send_advert: c.higher_prio_send_advert ? 1 : 0,
    vrid: c.virtual_router_id,
    base_priority: c.priority,
    effective_priority: v.effectivePriority,
    vipset: v.vipsSet,
    promote_secondaries: false,
    adver_int: v.advertIntervalMs / 1000,
    master_adver_int: (v.master?.advertIntervalMs ?? v.advertIntervalMs) / 1000,
    accept: c.accept ? 1 : 0,
    nopreempt: c.nopreempt,
    preempt_delay: c.preempt_delay,
    state: STATE_NUMBER[v.state],
    wantstate: STATE_NUMBER[v.wantState],
    version: c.version,
    smtp_alert: c.smtp_alert,
    notify_deleted: false,
    ...script('script_backup', c.notify_backup),
    ...script('script_master', c.notify_master),
    ...script('script_fault', c.notify_fault),
    ...script('script_stop', c.notify_stop),
    ...script('script_deleted', c.notify_deleted),
    ...script('script', c.notify),
    ...script('script_master_rx_lower_pri', c.notify_master_rx_lower_pri),
    ...list('vips', c.virtual_ipaddress.map((ip) => formatVip(ip, c.interface, v.vipsSet))),
    ...list('evips', c.virtual_ipaddress_excluded.map((ip) => formatVip(ip, c.interface, v.vipsSet))),
    ...list('track_ifp', c.track_interface.map((t) => t.name)),
    ...list('track_script', c.track_script.map((t) => `'${scripts.find((s) => s.name === t.name)?.script ?? t.name}'`)),
    auth_type: c.authentication === null ? 0 : c.authentication.auth_type === 'PASS' ? 1 : 2,
    ...(c.authentication?.auth_type === 'PASS' ? { auth_data: c.authentication.auth_pass } : {}),
  };
}

