import type { Diagnostic, Severity, SourcePos } from './ast.js';

/**
 * Every diagnostic the syntax layer (reading files, preprocessing lines, parsing braces) can
 * raise, under a stable code. `fatal` marks the problems after which the daemon cannot run at
 * all, so `-t` exits 3.
 */
export const SYNTAX_CODES = {
  'config-file-unreadable': { severity: 'error', fatal: true, summary: 'The main configuration file cannot be read.' },
  'config-too-large': { severity: 'error', fatal: true, summary: 'Includes and repetition produce more lines than the limit; reading stopped.' },
  'internal-error': { severity: 'error', fatal: true, summary: 'A bug in keepalived-ts stopped the configuration from being read.' },
  'include-not-found': { severity: 'error', summary: 'An include names a file that does not exist (or a strict include matches nothing).' },
  'include-no-match': { severity: 'warning', summary: 'An include pattern matches no file; keepalived carries on without it.' },
  'include-unreadable': { severity: 'error', summary: 'An included file exists but cannot be read.' },
  'include-cycle': { severity: 'error', summary: 'A file includes itself, directly or through others; the repeat is skipped.' },
  'include-without-file': { severity: 'error', summary: 'An include line with no file name.' },
  'undefined-definition': { severity: 'warning', summary: 'A $NAME or ${NAME} with no definition; left in the text as is.' },
  'undefined-environment-variable': { severity: 'warning', summary: '${_ENV X} for an unset variable; replaced by nothing.' },
  'definition-parameters': { severity: 'error', summary: 'Wrong parameters to a predefined name such as ${_RANDOM MIN MAX}.' },
  'definition-syntax': { severity: 'error', summary: "A definition line with a blank before '=', which keepalived does not accept; ignored." },
  'definition-loop': { severity: 'error', summary: 'A definition that keeps expanding (it refers to itself); the line is dropped.' },
  'multiline-definition-mid-line': { severity: 'warning', summary: 'A multi-line definition used other than at the end of a line; left as is.' },
  'conditional-without-text': { severity: 'warning', summary: 'An @id line with nothing after the id; ignored.' },
  'bad-repetition': { severity: 'error', summary: 'A ~SEQ or ~LST line that cannot be read; the line is skipped.' },
  'unterminated-quote': { severity: 'error', summary: 'A double quote never closed on its line; the string runs to the end of the line.' },
  'missing-close-brace': { severity: 'error', summary: "A '{' never closed; the block runs to the end of the configuration." },
  'extra-close-brace': { severity: 'error', summary: "A '}' that closes no block; ignored." },
  'nesting-too-deep': { severity: 'error', summary: 'Blocks nested more than 32 deep; the deeper braces are ignored.' },
  'block-without-keyword': { severity: 'error', summary: "A '{' with no keyword before it; its contents are read as if it were not there." },
} as const satisfies Record<string, { severity: Severity; fatal?: boolean; summary: string }>;

export type SyntaxCode = keyof typeof SYNTAX_CODES;

export const FATAL_SYNTAX_CODES: ReadonlySet<string> = new Set(
  Object.entries(SYNTAX_CODES)
    .filter(([, info]) => 'fatal' in info && info.fatal)
    .map(([code]) => code),
);

export function syntaxDiagnostic(code: SyntaxCode, message: string, pos?: SourcePos, hint?: string): Diagnostic {
  return { severity: SYNTAX_CODES[code].severity, code, message, ...(pos ? { pos } : {}), ...(hint ? { hint } : {}) };
}
