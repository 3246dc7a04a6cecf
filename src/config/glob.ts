import { splitTopLevelCommas } from './split-commas.js';

/**
 * The part of glob(3) an `include` line needs: `*`, `?`, `[...]` classes within one path
 * segment, and csh-style `{a,b}` alternatives (keepalived passes GLOB_BRACE). Matching is pure;
 * walking directories is left to the file system that owns them.
 */

/** True when `pattern` contains any character glob(3) would treat specially. */
export function hasGlobMagic(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

/** More alternatives than any include needs; `{a,b}{a,b}...` must not grow without bound. */
const MAX_ALTERNATIVES = 1024;
/** A pattern with more braces than this is taken literally, which keeps the expansion shallow. */
const MAX_BRACES = 64;

/** Expands `{a,b}` alternatives (nested allowed) into plain patterns, left to right, at most MAX_ALTERNATIVES. */
export function expandBraces(pattern: string): string[] {
  if (pattern.split('{').length - 1 > MAX_BRACES) return [pattern];
  const results: string[] = [];
  const expand = (p: string): void => {
    if (results.length >= MAX_ALTERNATIVES) return;
    const pair = firstBracePair(p);
    if (!pair) {
      results.push(p);
      return;
    }
    const [open, close] = pair;
    for (const alternative of splitTopLevelCommas(p.slice(open + 1, close))) expand(p.slice(0, open) + alternative + p.slice(close + 1));
  };
  expand(pattern);
  return results;
}

/** The leftmost `{` that has a matching `}`, and that `}`; one pass, so `{{{{...` stays cheap. */
function firstBracePair(pattern: string): [number, number] | undefined {
  const opens: number[] = [];
  let best: [number, number] | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '{') opens.push(i);
    else if (c === '}' && opens.length > 0) {
      const open = opens.pop() as number;
      if (!best || open < best[0]) best = [open, i];
    }
  }
  return best;
}

/** A matcher for one path segment (no `/`); a leading `.` must be matched explicitly, as in glob(3). */
export function segmentMatcher(segment: string): (name: string) => boolean {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) {
        source += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, end);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < segment.length) {
      source += escapeRegExp(segment[++i] as string);
    } else source += escapeRegExp(c);
  }
  let re: RegExp;
  try {
    re = new RegExp(`^${source}$`, 's');
  } catch {
    // A class glob(3) would reject, such as `[z-a]`, matches nothing but itself.
    return (name) => name === segment;
  }
  const dotExplicit = segment.startsWith('.');
  return (name) => (dotExplicit || !name.startsWith('.')) && re.test(name);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
