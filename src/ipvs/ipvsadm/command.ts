/** What one ipvsadm command line asks for, once read: the command and its values. */
import type { Destination, DestinationKey, Service, ServiceKey, SyncDaemon, Timeouts } from '../types.js';

/** IP_VS_SVC_F_* bits ipvsadm sets and prints (linux/ip_vs.h). */
export const SVC_F_PERSISTENT = 0x0001;
export const SVC_F_ONEPACKET = 0x0004;
export const SVC_F_SCHED1 = 0x0008;
export const SVC_F_SCHED2 = 0x0010;
export const SVC_F_SCHED3 = 0x0020;
/** IP_VS_TUNNEL_ENCAP_FLAG_* bits; no checksum is 0. */
export const TUN_F_CSUM = 1;
export const TUN_F_REMCSUM = 2;

/** How a listing is to be printed (ipvsadm's FMT_* bits). */
export interface ListFormat {
  readonly numeric: boolean;
  readonly rule: boolean;
  readonly stats: boolean;
  readonly rate: boolean;
  readonly thresholds: boolean;
  readonly persistentConn: boolean;
  readonly nosort: boolean;
  readonly exact: boolean;
  readonly tunInfo: boolean;
}

/** Every listing option off: a bare `ipvsadm`. */
export const NO_FORMAT: ListFormat = {
  numeric: false,
  rule: false,
  stats: false,
  rate: false,
  thresholds: false,
  persistentConn: false,
  nosort: false,
  exact: false,
  tunInfo: false,
};

export type IpvsadmCommand =
  | { readonly command: 'add-service' | 'edit-service'; readonly service: Service }
  | { readonly command: 'delete-service'; readonly key: ServiceKey }
  | { readonly command: 'flush' }
  | { readonly command: 'list'; readonly what: 'service'; readonly key: ServiceKey; readonly format: ListFormat }
  | { readonly command: 'list'; readonly what: 'connections' | 'timeout' | 'daemon' | 'all'; readonly format: ListFormat }
  | { readonly command: 'add-server' | 'edit-server'; readonly key: ServiceKey; readonly destination: Destination }
  | { readonly command: 'delete-server'; readonly key: ServiceKey; readonly destination: DestinationKey }
  | { readonly command: 'set'; readonly timeouts: Timeouts }
  | { readonly command: 'start-daemon'; readonly daemon: SyncDaemon }
  | { readonly command: 'stop-daemon'; readonly state: SyncDaemon['state'] }
  | { readonly command: 'restore' }
  | { readonly command: 'save'; readonly format: ListFormat }
  | { readonly command: 'zero'; readonly key?: ServiceKey };
