import type { KeepalivedConfig } from '../../config/model.js';
import type { DumpFile, DumpKind } from '../service.js';
import type { VrrpStatus } from '../status.js';
import { formatDataFile } from './data-file.js';
import { formatJsonFile } from './json-file.js';
import { formatStatsFile } from './stats-file.js';
import { dumpViews } from './view.js';

/**
 * The VRRP side's dump file for a signal (USR1 data, USR2 and 63 stats, 36 JSON), built from
 * the service's status: the same snapshot `keepalived-ts status` and /metrics show (issue 13).
 */
export function vrrpDumpFile(kind: DumpKind, config: KeepalivedConfig, status: VrrpStatus): DumpFile | undefined {
  const { instances, scripts } = dumpViews(config, status);
  switch (kind) {
    case 'data':
      return { name: 'keepalived.data', text: formatDataFile(config.global_defs, instances, scripts) };
    case 'stats':
      return { name: 'keepalived.stats', text: formatStatsFile(instances.map((v) => ({ name: v.config.name, stats: v.stats }))) };
    case 'json':
      // keepalived writes no JSON file when it has no instance (vrrp_print_json)
      return instances.length === 0 ? undefined : { name: 'keepalived.json', text: formatJsonFile(instances, config.vrrp_scripts) };
  }
}
