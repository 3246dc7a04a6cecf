/**
 * Test helper: keepalived.conf text to the syntax tree, for the common subset (words, quoted
 * strings, braces, # and ! comments) only. Positions are real, so tests can assert them.
 */
import { analyze, type AnalyzeOptions } from '../../../src/config/analyze.js';
import type { Arg, Diagnostic, Statement } from '../../../src/config/ast.js';

interface Token {
  readonly text: string;
  readonly quoted: boolean;
  readonly line: number;
  readonly col: number;
}

function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  text.split('\n').forEach((source, index) => {
    const re = /"([^"]*)"|([{}])|([#!].*$)|([^\s{}"]+)/g;
    for (let m = re.exec(source); m; m = re.exec(source)) {
      if (m[3] !== undefined) break;
      const word = m[1] ?? m[2] ?? m[4] ?? '';
      tokens.push({ text: word, quoted: m[1] !== undefined, line: index + 1, col: m.index + 1 });
    }
  });
  return tokens.map((t) => ({ ...t, file } as Token));
}

export function statements(text: string, file = 'keepalived.conf'): Statement[] {
  const tokens = tokenize(text, file);
  let i = 0;
  const pos = (t: Token) => ({ file, line: t.line, col: t.col });
  function block(): Statement[] {
    const out: Statement[] = [];
    while (i < tokens.length) {
      const head = tokens[i]!;
      if (head.text === '}' && !head.quoted) {
        i++;
        return out;
      }
      i++;
      const args: Arg[] = [];
      while (i < tokens.length && tokens[i]!.line === head.line && !(['{', '}'].includes(tokens[i]!.text) && !tokens[i]!.quoted)) {
        const t = tokens[i++]!;
        args.push({ value: t.text, quoted: t.quoted, pos: pos(t) });
      }
      const next = tokens[i];
      if (next && next.text === '{' && !next.quoted) {
        i++;
        out.push({ keyword: head.text, pos: pos(head), args, block: block() });
      } else {
        out.push({ keyword: head.text, pos: pos(head), args });
      }
    }
    return out;
  }
  return block();
}

/** Analyzes a config text; `codes` lists the diagnostic codes in order. */
export function analyzeText(text: string, options: AnalyzeOptions = {}) {
  const result = analyze(statements(text), options);
  return { ...result, codes: result.diagnostics.map((d) => d.code) };
}

/** The diagnostic with `code` (fails the test when there is none). */
export function diagnostic(result: { diagnostics: readonly Diagnostic[] }, code: string): Diagnostic {
  const found = result.diagnostics.find((d) => d.code === code);
  if (!found) throw new Error(`no ${code} among ${result.diagnostics.map((d) => d.code).join(', ')}`);
  return found;
}
