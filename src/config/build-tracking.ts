/**
 * The objects VRRP instances track: vrrp_script and track_file blocks.
 */
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { TrackFile, VrrpScript } from './model.js';
import type { Named } from './named-blocks.js';
import { Settings } from './settings.js';

/** `W [reverse]` weight keywords; `limit` bounds |W|. */
function readWeight(s: Settings, limit: number, sink: DiagnosticSink): { weight: number; reverse: boolean } {
  const fallback = Number(s.default('weight') ?? 0);
  const words = s.words('weight');
  if (!words || words[0] === undefined) return { weight: fallback, reverse: false };
  const entry = s.entry('weight')!;
  const site = { pos: entry.stmt.pos, keyword: 'weight' };
  const n = Number(words[0]);
  if (!/^[+-]?\d+$/.test(words[0]) || Math.abs(n) > limit) {
    sink.report('out-of-range', `number '${words[0]}' outside range [-${limit}, ${limit}]`, site);
    return { weight: fallback, reverse: false };
  }
  const rest = words.slice(1);
  if (rest.length > 0 && !(rest.length === 1 && rest[0] === 'reverse')) {
    sink.report('invalid-value', `unknown weight option '${rest.join(' ')}' - ignoring`, site);
  }
  return { weight: n, reverse: rest[0] === 'reverse' };
}

export function buildVrrpScripts(named: readonly Named[], sink: DiagnosticSink): VrrpScript[] {
  const out: VrrpScript[] = [];
  for (const { name, entry } of named) {
    const s = new Settings('vrrp_script', entry.child);
    const script = s.string('script');
    if (script === null) {
      sink.report('script-missing', `No script set for vrrp_script ${name} - removing`, {
        pos: entry.stmt.pos,
        keyword: entry.stmt.keyword,
      });
      continue;
    }
    const interval = s.numberOr('interval');
    const { weight, reverse } = readWeight(s, 253, sink);
    out.push({
      name,
      pos: entry.stmt.pos,
      script,
      interval,
      timeout: s.numberOr('timeout', interval),
      weight,
      weight_reverse: reverse,
      rise: s.numberOr('rise'),
      fall: s.numberOr('fall'),
      user: s.scriptUser('user'),
      init_fail: s.flagOr('init_fail'),
    });
  }
  return out;
}

export function buildTrackFiles(named: readonly Named[], sink: DiagnosticSink): TrackFile[] {
  const out: TrackFile[] = [];
  for (const { name, entry } of named) {
    const s = new Settings('track_file', entry.child);
    const file = s.string('file');
    if (file === null) {
      sink.report('track-file-missing-file', `track file ${name} has no file - removing`, {
        pos: entry.stmt.pos,
        keyword: entry.stmt.keyword,
      });
      continue;
    }
    const { weight, reverse } = readWeight(s, 254, sink);
    const init = s.entry('init_file');
    let initFile: TrackFile['init_file'] = null;
    if (init) {
      const words = s.words('init_file') ?? [];
      const value = words.find((w) => /^[+-]?\d+$/.test(w));
      initFile = { value: value === undefined ? 0 : Number(value), overwrite: words.includes('overwrite') };
    }
    out.push({ name, pos: entry.stmt.pos, file, weight, weight_reverse: reverse, init_file: initFile });
  }
  return out;
}
