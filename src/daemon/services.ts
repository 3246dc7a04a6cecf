import type { Logger } from 'pino';
import type { KeepalivedConfig } from '../config/model.js';
import { linuxVrrpPorts } from './linux-ports.js';
import { ScriptPolicy } from './script-policy.js';
import type { Service } from './service.js';
import { VrrpService } from './vrrp-service.js';

export interface ServiceSetting {
  readonly config: KeepalivedConfig;
  readonly log: Logger;
  /** -P/--vrrp: the VRRP service only. */
  readonly vrrpOnly: boolean;
}

/** Builds a service with its real ports, or returns nothing when the configuration does not need it. */
export type ServiceFactory = (setting: ServiceSetting) => Service | undefined;

/**
 * The daemon's services in start order (they stop in reverse): registering one is one line
 * here. The checker, LVS and control-socket services go after VRRP (docs/architecture.md).
 */
export const SERVICE_FACTORIES: readonly ServiceFactory[] = [
  ({ config, log }) => new VrrpService(linuxVrrpPorts(log.child({ service: 'vrrp' }), new ScriptPolicy(config.global_defs))),
];

export function buildServices(setting: ServiceSetting): Service[] {
  const services = SERVICE_FACTORIES.flatMap((factory) => factory(setting) ?? []);
  const checking = services.some((s) => s.name === 'checkers');
  if (!setting.vrrpOnly && !checking && setting.config.virtual_servers.length > 0) setting.log.warn('health checkers are not implemented yet: running VRRP only');
  return services;
}
