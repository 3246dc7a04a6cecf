/**
 * `ipvsadm -R` input: how ipvsadm's config_stream_read cuts stdin into command lines. Tokens
 * are separated by blanks, tabs and carriage returns, a newline ends a command, and a token
 * that is exactly `ipvsadm` is dropped, so both `ipvsadm -S` output (`-A -t ...`) and
 * tutorial scripts (`ipvsadm -A -t ...`) restore. Its comment handling never triggers: `#`
 * is an ordinary token (and so an error), as in ipvsadm. Input stops early where ipvsadm's
 * does: blanks running into the end of input discard the tokens of that last line.
 */

const SEPARATORS = new Set([' ', '\t', '\n', '\r']);

/** The argument vectors ipvsadm -R would run, in order (lines with no tokens are skipped). */
export function restoreCommands(input: string): string[][] {
  const commands: string[][] = [];
  let i = 0;
  for (;;) {
    const tokens: string[] = [];
    let ended: 'line' | 'stop' | null = null;
    while (ended === null) {
      if (i >= input.length) {
        ended = tokens.length === 0 ? 'stop' : 'line';
        break;
      }
      if (SEPARATORS.has(input[i] as string)) {
        while (ended === null) {
          const c = input[i];
          if (c === undefined) ended = 'stop';
          else if (c === '\n') {
            i++;
            ended = 'line';
          } else if (SEPARATORS.has(c)) i++;
          else break;
        }
        continue;
      }
      let end = i;
      while (end < input.length && !SEPARATORS.has(input[end] as string)) end++;
      const token = input.slice(i, end);
      if (token !== 'ipvsadm') tokens.push(token);
      i = end;
      if (input[i] === '\n') {
        i++;
        ended = 'line';
      } else if (i < input.length) {
        i++;
      }
    }
    if (ended === 'stop') return commands;
    if (tokens.length > 0) commands.push(tokens);
  }
}
