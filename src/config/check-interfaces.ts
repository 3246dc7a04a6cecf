/**
 * Interface names the configuration uses: too long for the kernel (IFNAMSIZ), or, when the
 * caller knows the host's interfaces, absent from it. keepalived refuses to start when an
 * instance names an interface that does not exist, unless dynamic_interfaces is set.
 */
import type { SourcePos } from './ast.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { IFNAME_MAX } from './build-instances.js';
import type { KeepalivedConfig } from './model.js';

interface InterfaceUse {
  readonly name: string;
  readonly owner: string;
  readonly keyword: string;
  readonly pos: SourcePos;
}

function uses(config: KeepalivedConfig): InterfaceUse[] {
  const out: InterfaceUse[] = [];
  for (const vrrp of config.vrrp_instances) {
    out.push({ name: vrrp.interface, owner: vrrp.name, keyword: 'interface', pos: vrrp.pos });
    for (const vip of [...vrrp.virtual_ipaddress, ...vrrp.virtual_ipaddress_excluded]) {
      if (vip.dev !== null && vip.dev !== vrrp.interface) out.push({ name: vip.dev, owner: vrrp.name, keyword: 'virtual_ipaddress', pos: vip.pos });
    }
    for (const t of vrrp.track_interface) out.push({ name: t.name, owner: vrrp.name, keyword: 'track_interface', pos: t.pos });
  }
  for (const group of config.vrrp_sync_groups) {
    for (const t of group.track_interface) out.push({ name: t.name, owner: group.name, keyword: 'track_interface', pos: t.pos });
  }
  return out;
}

export function checkInterfaces(config: KeepalivedConfig, hostInterfaces: readonly string[] | undefined, sink: DiagnosticSink): void {
  const known = hostInterfaces ? new Set(hostInterfaces) : undefined;
  const dynamic = config.global_defs.other['dynamic_interfaces'] !== undefined && config.global_defs.other['dynamic_interfaces'] !== false;
  for (const use of uses(config)) {
    const site = { pos: use.pos, keyword: use.keyword };
    if (use.name.length > IFNAME_MAX) {
      sink.report('interface-name-too-long', `Interface name '${use.name}' is too long (at most ${IFNAME_MAX} characters)`, site);
    } else if (known && !known.has(use.name)) {
      const message =
        use.keyword === 'interface' ? `WARNING - interface ${use.name} for vrrp_instance ${use.owner} doesn't exist` : `(${use.owner}) interface ${use.name} in ${use.keyword} doesn't exist`;
      if (dynamic) sink.report('unknown-interface-dynamic', message, site);
      else sink.report('unknown-interface', message, site, 'set dynamic_interfaces in global_defs if it appears later');
    }
  }
}
