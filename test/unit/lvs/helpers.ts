/**
 * Shared by the LVS tests: a config from keepalived.conf text, and a table as short lines in
 * ipvsadm's spirit (`TCP 10.0.0.1:80 wlc`, `  -> 192.168.1.10:80 Masq 1`, a tunnel other than plain
 * IPIP with ` tun gue port 6080 flags 1`) to compare with.
 */
import { analyze } from '../../../src/config/analyze.js';
import type { KeepalivedConfig } from '../../../src/config/model.js';
import { memoryFileSystem } from '../../../src/config/file-system.js';
import { parseConfigFile } from '../../../src/config/parse-config.js';
import { describeService } from '../../../src/ipvs/keys.js';
import { IP_VS_SVC_F } from '../../../src/ipvs/ip-vs-header.js';
import type { Table } from '../../../src/ipvs/types.js';

const FILE = '/etc/keepalived/keepalived.conf';

export function configFrom(text: string): KeepalivedConfig {
  const parsed = parseConfigFile(FILE, { configId: 'lvs', env: {}, random: () => 0, fs: memoryFileSystem({ [FILE]: text }) });
  return analyze(parsed.statements).config;
}

const FORWARD = { masq: 'Masq', route: 'Route', tunnel: 'Tunnel', local: 'Local', bypass: 'Bypass' } as const;

export function tableLines(table: Table): string[] {
  const lines: string[] = [];
  for (const { service, destinations } of table.services) {
    let head = `${describeService(service.key)} ${service.scheduler}`;
    const schedFlags = service.flags & ~(IP_VS_SVC_F.PERSISTENT | IP_VS_SVC_F.HASHED);
    if (schedFlags !== 0) head += ` flags ${schedFlags}`;
    if ((service.flags & IP_VS_SVC_F.PERSISTENT) !== 0) head += ` persistent ${service.timeout} mask ${service.netmask}`;
    if (service.pe !== undefined) head += ` pe ${service.pe}`;
    lines.push(head);
    for (const d of destinations) {
      const host = d.family === 'inet6' ? `[${d.address}]` : d.address;
      const thresholds = d.upperThreshold !== 0 || d.lowerThreshold !== 0 ? ` x ${d.upperThreshold} y ${d.lowerThreshold}` : '';
      const tunnel = d.forward === 'tunnel' && (d.tunnelType !== 'ipip' || d.tunnelPort !== 0 || d.tunnelFlags !== 0) ? ` tun ${d.tunnelType} port ${d.tunnelPort} flags ${d.tunnelFlags}` : '';
      lines.push(`  -> ${host}:${d.port} ${FORWARD[d.forward]} ${d.weight}${thresholds}${tunnel}`);
    }
  }
  return lines;
}
