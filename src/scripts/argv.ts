import { KeepalivedError } from '../errors.js';

/**
 * Splits a script line into argv the way a POSIX shell splits words, without running a shell:
 * blanks separate words, '...' keeps everything literally, "..." keeps blanks and honours
 * \" \\ \$ \` escapes, and a backslash outside quotes takes the next character literally.
 * Nothing is expanded: `$HOME` stays `$HOME`, as keepalived passes it.
 */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const unterminated = (what: string) => new KeepalivedError('ERR_SCRIPT_SYNTAX', `unterminated ${what} in script: ${line}`);
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw unterminated('single quote');
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw unterminated('double quote');
        const d = line[i]!;
        if (d === '"') break;
        if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) {
          word += line[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      inWord = true;
      i++;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw unterminated('escape');
      word += line[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
