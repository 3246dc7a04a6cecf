/**
 * The one line systemd shows under "Status:" (sd_notify STATUS=): each VRRP instance's state,
 * then how many real servers are alive, e.g. "VI_1 MASTER, VI_2 BACKUP; 3/4 real servers up",
 * and, until a reload succeeds, that the last one was not applied and why.
 * Built from the same DaemonStatus as every other view.
 */
import type { DaemonStatus, LvsStatus, VrrpStatus } from './status.js';

export function statusLine(status: DaemonStatus): string {
  // a service's status is whatever it reports: read only the fields that are there
  const instances = (status.services['vrrp'] as Partial<VrrpStatus> | undefined)?.instances ?? [];
  const virtualServers = (status.services['lvs'] as Partial<LvsStatus> | undefined)?.virtualServers;
  const parts: string[] = [];
  if (instances.length > 0) parts.push(instances.map((i) => `${i.name} ${i.state}`).join(', '));
  if (virtualServers !== undefined) {
    const servers = virtualServers.flatMap((vs) => vs.realServers);
    parts.push(`${servers.filter((rs) => rs.alive).length}/${servers.length} real servers up`);
  }
  const reload = status.lastReload;
  if (reload !== null && !reload.ok) parts.push(`last reload not applied (${reload.errors.length} error(s)), running configuration kept: ${reload.errors[0] ?? 'no reason given'}`);
  return parts.length > 0 ? parts.join('; ') : 'running';
}
