/**
 * The effective configuration as JSON (`keepalived-ts -t -d`), shaped as docs/dump-format.md
 * describes: keepalived's canonical keyword names, defaults filled in, durations in seconds,
 * source positions left out. Keywords keepalived-ts accepts but does not act on yet appear with
 * the value written, next to the modelled ones.
 */
import type { KeepalivedConfig, VirtualServer } from './model.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const LVS_FLAG_KEYWORDS = ['hashed', 'ops', 'flag-1', 'flag-2', 'flag-3', 'sh-port', 'sh-fallback', 'mh-port', 'mh-fallback'];

export function dumpConfig(config: KeepalivedConfig): unknown {
  return {
    global_defs: plain(config.global_defs),
    vrrp_scripts: plain(config.vrrp_scripts),
    track_files: plain(config.track_files),
    vrrp_sync_groups: plain(config.vrrp_sync_groups),
    vrrp_instances: plain(config.vrrp_instances),
    virtual_server_groups: plain(config.virtual_server_groups),
    virtual_servers: config.virtual_servers.map(virtualServer),
  };
}

/** IPVS flags are separate keywords in keepalived.conf, so each gets its own boolean. */
function virtualServer(vs: VirtualServer): Json {
  const { lvs_flags: flags, ...rest } = vs;
  const out = plain(rest) as { [key: string]: Json };
  for (const flag of LVS_FLAG_KEYWORDS) out[flag] = flags.includes(flag);
  return out;
}

/** A JSON copy without source positions (`pos`, `at`), with `other` (unmodelled keywords) merged in. */
function plain(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value !== 'object') return value as Json;
  const out: { [key: string]: Json } = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'pos' || key === 'at' || v === undefined) continue;
    if (key === 'other') Object.assign(out, plain(v));
    else out[key] = plain(v);
  }
  return out;
}
