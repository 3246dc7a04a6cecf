/**
 * The tunnel options after `lvs_method TUN` (and `sorry_server_lvs_method TUN`):
 * `type ipip|gue|gre`, `port N` (gue only, and required there), `nocsum|csum|remcsum`, with the
 * rules and error texts of keepalived's svr_forwarding_handler() (check/check_parser.c).
 */
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { TunnelOptions } from './model.js';

/** IPIP without checksum options: what every tunnel gets when nothing is written. */
export const DEFAULT_TUNNEL: TunnelOptions = { type: 'ipip', port: 0, csum: 'nocsum' };

const TYPES: readonly string[] = ['ipip', 'gue', 'gre'];
const CSUMS: readonly string[] = ['nocsum', 'csum', 'remcsum'];

type Site = Parameters<DiagnosticSink['report']>[2];

/**
 * The options written after the method word, or `fallback` (what the server had before: the
 * virtual server's) when they break a rule, as keepalived keeps the earlier values then.
 * `server` is keepalived's word for the block in its messages: `virtual` or `real`.
 */
export function tunnelOptions(words: readonly string[], server: 'virtual' | 'real', fallback: TunnelOptions, sink: DiagnosticSink, site: Site): TunnelOptions {
  let type: TunnelOptions['type'] = 'ipip';
  let port = 0;
  let csum: TunnelOptions['csum'] = 'nocsum';
  const fail = (message: string): TunnelOptions => {
    sink.report('invalid-value', message, site);
    return fallback;
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const next = words[i + 1];
    if (word === 'type') {
      if (next === undefined) return fail(`Missing tunnel type for ${server} server.`);
      if (!TYPES.includes(next)) return fail(`Unknown tunnel type ${next} for ${server} server.`);
      type = next as TunnelOptions['type'];
      i++;
    } else if (word === 'port') {
      if (next === undefined) return fail(`Missing port for ${server} server gue tunnel.`);
      const n = Number(next);
      if (!/^\d+$/.test(next) || n < 1 || n > 65535) return fail(`Invalid gue tunnel port ${next} for ${server} server.`);
      port = n;
      i++;
    } else if (CSUMS.includes(word)) {
      csum = word as TunnelOptions['csum'];
    } else {
      return fail(`Invalid tunnel option ${word} for ${server} server.`);
    }
  }
  if ((type === 'gue') !== (port !== 0)) return fail('gue tunnels require port, otherwise cannot have port.');
  if (type === 'ipip' && csum !== 'nocsum') return fail('ipip tunnels do not support checksum option.');
  if (type === 'gre' && csum === 'remcsum') return fail('gre tunnels do not support remote checksum option.');
  return { type, port, csum };
}
