/**
 * The typed parts of a DaemonStatus. `services` holds each service's status under its name as a
 * plain object (the supervisor does not know their types); the views read the VRRP and LVS parts
 * through these, and a part that is missing or not shaped as expected reads as absent.
 */
import type { DaemonStatus, LvsStatus, VrrpInstanceStatus, VrrpStatus } from '../daemon/status.js';

function part(status: DaemonStatus, name: string, list: string): object | undefined {
  const value: unknown = status.services[name];
  if (typeof value !== 'object' || value === null) return undefined;
  return Array.isArray((value as Record<string, unknown>)[list]) ? value : undefined;
}

export function vrrpOf(status: DaemonStatus): VrrpStatus | undefined {
  return part(status, 'vrrp', 'instances') as VrrpStatus | undefined;
}

export function lvsOf(status: DaemonStatus): LvsStatus | undefined {
  return part(status, 'lvs', 'virtualServers') as LvsStatus | undefined;
}

export function findInstance(status: DaemonStatus, name: string): VrrpInstanceStatus | undefined {
  return vrrpOf(status)?.instances.find((i) => i.name === name);
}
