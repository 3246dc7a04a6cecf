/**
 * The global_defs the LVS controller acts on beyond lvs_flush and lvs_flush_on_stop, read from
 * the words the config model keeps: lvs_timeouts (global_parser.c, lvs_timeouts) and
 * lvs_sync_daemon (lvs_syncd_handler; the sync id defaults to the instance's vrid, as
 * vrrp.c's vrrp_complete_init sets it).
 */
import type { KeepalivedConfig } from '../config/model.js';
import type { SyncDaemon, Timeouts } from '../ipvs/types.js';
import type { VrrpState } from '../vrrp/events.js';

/** `tcp N tcpfin N udp N`, any subset; 0 leaves the kernel's value as it is. */
export function lvsTimeouts(config: KeepalivedConfig): Timeouts | undefined {
  const given = config.global_defs.lvs_timeouts ?? [];
  if (given.length === 0) return undefined;
  const timeouts = { tcp: 0, tcpFin: 0, udp: 0 };
  const names: Readonly<Record<string, keyof Timeouts>> = { tcp: 'tcp', tcpfin: 'tcpFin', udp: 'udp' };
  for (let i = 0; i + 1 < given.length; i += 2) {
    const name = names[given[i] ?? ''];
    const value = Number(given[i + 1]);
    if (name !== undefined && Number.isInteger(value) && value >= 0) timeouts[name] = value;
  }
  return timeouts;
}

export interface SyncDaemonConfig {
  readonly instance: string;
  /** The daemon's settings without its state. */
  readonly daemon: Omit<SyncDaemon, 'state'>;
}

/** `INTERFACE INSTANCE [id N] [maxlen N] [port N] [ttl N] [group IP]`; undefined when absent or unusable. */
export function syncDaemonConfig(config: KeepalivedConfig): SyncDaemonConfig | undefined {
  const [mcastInterface, instance, ...options] = config.global_defs.lvs_sync_daemon ?? [];
  if (mcastInterface === undefined || instance === undefined) return undefined;
  const vrrp = config.vrrp_instances.find((i) => i.name === instance);
  if (vrrp === undefined) return undefined;
  const option = (name: string): number | undefined => {
    const at = options.indexOf(name);
    const value = at < 0 ? NaN : Number(options[at + 1]);
    return Number.isInteger(value) && value >= 0 ? value : undefined;
  };
  const groupAt = options.indexOf('group');
  const group = groupAt < 0 ? undefined : options[groupAt + 1];
  const maxLen = option('maxlen');
  const port = option('port');
  const ttl = option('ttl');
  return {
    instance,
    daemon: {
      mcastInterface,
      syncId: option('id') ?? vrrp.virtual_router_id ?? 0,
      ...(maxLen === undefined ? {} : { maxLen }),
      ...(port === undefined ? {} : { port }),
      ...(ttl === undefined ? {} : { ttl }),
      ...(group === undefined ? {} : { group }),
    },
  };
}

/** ipvs_syncd_master() when the instance becomes Master, ipvs_syncd_backup() otherwise. */
export function syncDaemonState(instanceState: VrrpState | undefined): SyncDaemon['state'] {
  return instanceState === 'MASTER' ? 'master' : 'backup';
}
