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

/** Expands `{a,b}` alternatives (nested allowed) into plain patterns, left to right. */
export function expandBraces(pattern: string): string[] {
  const open = findBraceOpen(pattern);
  if (open < 0) return [pattern];
  const close = matchingBrace(pattern, open);
  if (close < 0) return [pattern];
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const results: string[] = [];
  for (const alternative of splitTopLevelCommas(pattern.slice(open + 1, close))) {
    results.push(...expandBraces(head + alternative + tail));
  }
  return results;
}

function findBraceOpen(pattern: string): number {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '{' && matchingBrace(pattern, i) > 0) return i;
  }
  return -1;
}

function matchingBrace(pattern: string, open: number): number {
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
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
  const re = new RegExp(`^${source}$`, 's');
  const dotExplicit = segment.startsWith('.');
  return (name) => (dotExplicit || !name.startsWith('.')) && re.test(name);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
