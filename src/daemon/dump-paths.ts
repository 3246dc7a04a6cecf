import { join } from 'node:path';
import type { KeepalivedConfig } from '../config/model.js';

/** The global_defs keyword that moves each of keepalived's dump files. */
const OVERRIDES: Readonly<Record<string, 'state_dump_file' | 'stats_dump_file' | 'json_dump_file'>> = {
  'keepalived.data': 'state_dump_file',
  'keepalived.stats': 'stats_dump_file',
  'keepalived.json': 'json_dump_file',
};

/**
 * Where a dump file goes: its *_dump_file path when configured, else keepalived's tmp_dir,
 * which is $TMPDIR when that is an absolute path and /tmp otherwise (make_tmp_filename in
 * keepalived's lib/utils.c).
 */
export function dumpPath(config: KeepalivedConfig, name: string, env: NodeJS.ProcessEnv = process.env): string {
  const keyword = OVERRIDES[name];
  const configured = keyword !== undefined ? config.global_defs[keyword] : null;
  if (configured !== null && configured !== '') return configured;
  const tmp = env.TMPDIR !== undefined && env.TMPDIR.startsWith('/') ? env.TMPDIR : '/tmp';
  return join(tmp, name);
}
