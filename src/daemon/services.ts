import type { Logger } from 'pino';
import type { KeepalivedConfig } from '../config/model.js';
import { checkerService, notifyScripts } from './checker-ports.js';
import type { ListenAddress } from '../control/listen-address.js';
import { linuxControlService, linuxMetricsService } from './control-wiring.js';
import { linuxVrrpPorts } from './linux-ports.js';
import { ScriptPolicy } from './script-policy.js';
import type { Service } from './service.js';
import { VrrpService } from './vrrp-service.js';
import { LvsService, intervalTimer } from './lvs-service.js';
import { openNetlinkIpvs } from '../linux/ipvs-netlink.js';

export interface ServiceSetting {
  readonly config: KeepalivedConfig;
  readonly log: Logger;
  /** -P/--vrrp: the VRRP service only. */
  readonly vrrpOnly: boolean;
  /** --control-socket: the control socket's path (default /run/keepalived-ts/control.sock). */
  readonly controlSocket?: string;
  /** --metrics-listen: the Prometheus listener, only when asked for. */
  readonly metricsListen?: ListenAddress;
  /** -C/--check: the checker and LVS side only. */
  readonly checkOnly?: boolean;
  /** -I/--dont-release-ipvs: the LVS service leaves the IPVS table at stop. */
  readonly dontReleaseIpvs?: boolean;
}

/** Builds a service with its real ports, or returns nothing when the configuration does not need it. */
export type ServiceFactory = (setting: ServiceSetting) => Service | undefined;

/**
 * The daemon's services in start order (they stop in reverse): registering one is one line
 * here. The checker, LVS and control-socket services go after VRRP (docs/architecture.md).
 */
export const SERVICE_FACTORIES: readonly ServiceFactory[] = [
  ({ config, log, checkOnly }) => (checkOnly === true ? undefined : new VrrpService(linuxVrrpPorts(log.child({ service: 'vrrp' }), new ScriptPolicy(config.global_defs)))),
  ({ vrrpOnly }) => (vrrpOnly ? undefined : checkerService()),
  ({ config, vrrpOnly, dontReleaseIpvs }) =>
    vrrpOnly || config.virtual_servers.length === 0
      ? undefined
      : new LvsService({ openIpvs: () => openNetlinkIpvs(), every: intervalTimer, scripts: notifyScripts }, { dontReleaseIpvs: dontReleaseIpvs === true }),
  ({ controlSocket }) => linuxControlService(controlSocket),
  ({ metricsListen }) => (metricsListen ? linuxMetricsService(metricsListen) : undefined),
];

export function buildServices(setting: ServiceSetting): Service[] {
  return SERVICE_FACTORIES.flatMap((factory) => factory(setting) ?? []);
}
