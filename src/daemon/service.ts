/**
 * The one interface every part of the daemon runs behind. The supervisor (src/daemon) starts the
 * services in order, hands them each new configuration, relays the events they publish to the
 * others, asks them for their status, and stops them in reverse order. A service receives its
 * Linux adapters as ports when it is constructed, so its wiring is unit-tested with fakes.
 */
import type { Logger } from 'pino';
import type { KeepalivedConfig } from '../config/model.js';
import type { HealthEvent } from '../check/health.js';
import type { VrrpState } from '../vrrp/events.js';
import type { VrrpReloadPlan } from '../vrrp/reload-match.js';
import type { ReloadOutcome, ReloadPreview } from './reload.js';
import type { DaemonStatus, ServiceStatus } from './status.js';

export type ServiceName = 'vrrp' | 'checkers' | 'lvs' | 'control' | 'metrics';

/** What one service tells the others, through the supervisor, in the order it happened. */
export type ServiceEvent =
  | HealthEvent
  /** A VRRP instance changed state (ha_suspend and lvs_sync_daemon follow it). */
  | { readonly type: 'vrrp-state'; readonly instance: string; readonly state: VrrpState; readonly addresses: readonly string[] };

/** keepalived's dump files: USR1 writes `data`, USR2 and 63 `stats`, 36 `json`. */
export type DumpKind = 'data' | 'stats' | 'json';

/** One dump file's text, under keepalived's own file name (keepalived.data, keepalived.stats, ...). */
export interface DumpFile {
  readonly name: string;
  readonly text: string;
}

/**
 * What a reload would change in one service, computed from the running state and the new
 * configuration without applying anything (`keepalived-ts reload --dry-run`): started, stopped,
 * changed (fields, addresses gained and lost) and unchanged, by name. The VRRP core defines the
 * shape (src/vrrp/reload-match.ts); other services answer in the same one.
 */
export interface ServiceReloadPreview extends VrrpReloadPlan {
  readonly service: ServiceName;
}

/** What the supervisor gives a service besides its ports. */
export interface ServiceContext {
  readonly log: Logger;
  /** Deliver to every other service's `receive`, synchronously and in order. */
  publish(event: ServiceEvent): void;
  /** Every service's status now (the control socket and metrics read the whole daemon). */
  snapshot(): DaemonStatus;
  /** Reload the configuration file now (queued behind other lifecycle work); resolves when done. */
  reload?(): Promise<ReloadOutcome>;
  /** What a reload of the file would change, asking each service, applying nothing. */
  previewReload?(): Promise<ReloadPreview>;
}

export interface Service {
  readonly name: ServiceName;
  /** Take the first configuration and begin; resolves when the service is running. */
  start(config: KeepalivedConfig, context: ServiceContext): Promise<void>;
  /**
   * Apply a new configuration in place (the reload issue); resolves when it is applied. A
   * rejection must leave the service as it was: the supervisor then puts the services that had
   * already applied it back on the running configuration (docs/reload.md).
   */
  reconfigure(config: KeepalivedConfig): Promise<void>;
  /** What `reconfigure(config)` would change, as a JSON-able picture, without changing anything. */
  previewReconfigure?(config: KeepalivedConfig): object | Promise<object>;
  /** Release what the service holds and close its ports; resolves when it is done. */
  stop(): Promise<void>;
  /** A JSON-able picture of the service now, for dumps, the control socket and metrics. */
  status(): ServiceStatus;
  /** Events other services published. */
  receive?(event: ServiceEvent): void;
  /** keepalived's dump file of this service for a signal, if it writes one. */
  dump?(kind: DumpKind): DumpFile | undefined;
  /** Signal 63: the statistics back to zero (after the stats dump was written). */
  clearStats?(): void;
}
