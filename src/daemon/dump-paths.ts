import { join } from 'node:path';
import type { GlobalDefs, KeepalivedConfig } from '../config/model.js';

/** The global_defs keyword that moves each of keepalived's dump files, if given. */
function configuredPath(g: GlobalDefs, name: string): string | null {
  switch (name) {
    case 'keepalived.data':
      return g.state_dump_file;
    case 'keepalived.stats':
      return g.stats_dump_file;
    case 'keepalived.json':
      return g.json_dump_file;
    default:
      return null;
  }
}

/**
 * Where a dump file goes: its *_dump_file path when configured, else keepalived's tmp_dir,
 * which is $TMPDIR when that is an absolute path and /tmp otherwise (make_tmp_filename in
 * keepalived's lib/utils.c).
 */
export function dumpPath(config: KeepalivedConfig, name: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = configuredPath(config.global_defs, name);
  if (configured !== null && configured !== '') return configured;
  const tmp = env.TMPDIR !== undefined && env.TMPDIR.startsWith('/') ? env.TMPDIR : '/tmp';
  return join(tmp, name);
}
