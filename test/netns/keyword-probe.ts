/**
 * One small config per keyword of our table, with the keyword in the first block the table
 * allows it in and every enclosing block around it, so keepalived can be asked, keyword by
 * keyword, whether it knows it there.
 */
import type { BlockName, KeywordSpec } from '../../src/config/keyword-spec.js';
import { KEYWORDS } from '../../src/config/keywords.js';

/** Arguments an enclosing block needs to be read at all. */
const OPENER_ARGS: Readonly<Record<string, string>> = {
  vrrp_instance: 'VI_P',
  vrrp_script: 's',
  track_file: 'f',
  vrrp_track_process: 'p',
  vrrp_sync_group: 'G',
  bfd_instance: 'b',
  track_group: 'g',
  virtual_server: '192.0.2.1 80',
  real_server: '192.0.2.2 80',
  virtual_server_group: 'VSG',
};

function openerOf(block: BlockName): KeywordSpec | undefined {
  return KEYWORDS.find((s) => s.opens === block && s.canonical === undefined);
}

/** A value of the keyword's first argument type, or nothing when the argument is optional. */
function sampleArgument(spec: KeywordSpec): string {
  if (spec.shape.min === 0) return '';
  const arg = spec.shape.args[0];
  switch (arg?.type) {
    case 'int':
    case 'decimal':
      return String(Math.min(Math.max(arg.min, 1), arg.max));
    case 'bool':
      return 'true';
    case 'enum':
      return arg.values[0] ?? 'x';
    case 'ip':
      return '192.0.2.9';
    default:
      return 'x';
  }
}

function wrap(block: BlockName, inner: string): string {
  if (block === 'root') return inner;
  const opener = openerOf(block);
  if (!opener) throw new Error(`no keyword opens ${block}`);
  const parent = opener.blocks.find((b): b is BlockName => b !== '*') ?? 'root';
  return wrap(parent, `${opener.name} ${OPENER_ARGS[opener.name] ?? ''} {\n${inner}\n}`);
}

export interface KeywordProbe {
  /** `keyword@block`. */
  readonly id: string;
  readonly keyword: string;
  readonly text: string;
}

/** A probe for every keyword of the table except `include`, which belongs to no block. */
export function keywordProbes(): KeywordProbe[] {
  return KEYWORDS.flatMap((spec) => {
    const block = spec.blocks.find((b): b is BlockName => b !== '*');
    if (!block) return [];
    const opens = spec.opens !== undefined || spec.list !== undefined;
    const line = opens ? `${spec.name} ${OPENER_ARGS[spec.name] ?? sampleArgument(spec)} {\n}` : `${spec.name} ${sampleArgument(spec)}`;
    return [{ id: `${spec.name}@${block}`, keyword: spec.name, text: `${wrap(block, line)}\n` }];
  });
}
