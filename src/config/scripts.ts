/**
 * Where the configuration makes keepalived run external programs. keepalived refuses to check
 * such a configuration cleanly (`-t` exits 5) unless enable_script_security is set, because
 * scripts otherwise run as root.
 */
import type { SourcePos } from './ast.js';
import type { KeepalivedConfig } from './model.js';

export interface ScriptSite {
  readonly keyword: string;
  readonly command: string;
  /** The keyword's line in global_defs and VRRP blocks; for servers and checkers the line of the block holding it. */
  readonly pos: SourcePos | undefined;
}

const NOTIFY_KEYWORDS = ['notify_master', 'notify_backup', 'notify_fault', 'notify_stop', 'notify'] as const;

/** `globalPos` tells where a global_defs keyword stands (the model keeps no positions for global_defs). */
export function configuredScripts(config: KeepalivedConfig, globalPos: (keyword: string) => SourcePos | undefined): ScriptSite[] {
  const out: ScriptSite[] = [];
  const add = (keyword: string, command: string | null, pos: SourcePos | undefined): void => {
    if (command !== null && command !== '') out.push({ keyword, command, pos });
  };
  const g = config.global_defs;
  add('notify_fifo_script', g.notify_fifo_script, globalPos('notify_fifo_script'));
  add('vrrp_notify_fifo_script', g.vrrp_notify_fifo_script, globalPos('vrrp_notify_fifo_script'));
  add('lvs_notify_fifo_script', g.lvs_notify_fifo_script, globalPos('lvs_notify_fifo_script'));
  for (const keyword of ['startup_script', 'shutdown_script']) {
    const v = g.other[keyword];
    if (typeof v === 'string') add(keyword, v, globalPos(keyword));
  }
  for (const script of config.vrrp_scripts) add('script', script.script, script.pos);
  for (const owner of [...config.vrrp_sync_groups, ...config.vrrp_instances]) {
    for (const keyword of NOTIFY_KEYWORDS) add(keyword, owner[keyword], owner.at[keyword] ?? owner.pos);
  }
  for (const vrrp of config.vrrp_instances) {
    add('notify_deleted', vrrp.notify_deleted, vrrp.at['notify_deleted'] ?? vrrp.pos);
    add('notify_master_rx_lower_pri', vrrp.notify_master_rx_lower_pri, vrrp.at['notify_master_rx_lower_pri'] ?? vrrp.pos);
  }
  for (const vs of config.virtual_servers) {
    add('quorum_up', vs.quorum_up, vs.pos);
    add('quorum_down', vs.quorum_down, vs.pos);
    for (const rs of vs.real_servers) {
      add('notify_up', rs.notify_up, rs.pos);
      add('notify_down', rs.notify_down, rs.pos);
      for (const checker of rs.checkers) if (checker.type === 'MISC_CHECK') add('misc_path', checker.misc_path, checker.pos);
    }
  }
  return out;
}
