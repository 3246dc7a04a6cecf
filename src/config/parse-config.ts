import { hostname } from 'node:os';
import { posix } from 'node:path';
import type { Diagnostic, Statement } from './ast.js';
import { sortDiagnostics } from './diagnostics.js';
import { nodeFileSystem, type ConfigFileSystem } from './file-system.js';
import { parseLines } from './parser.js';
import { readLines } from './preprocess.js';
import { syntaxDiagnostic } from './syntax-codes.js';

/** The syntax problems after which the daemon cannot run (`-t` exits 3); re-exported for the CLI and daemon. */
export { FATAL_SYNTAX_CODES } from './syntax-codes.js';

export interface ParseOptions {
  /** Where files come from; defaults to the real file system. */
  readonly fs?: ConfigFileSystem;
  /** `-i/--config-id`; defaults to the host name up to its first dot, as keepalived does. */
  readonly configId?: string;
  /** `${_ENV X}` reads from here; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `${_RANDOM}` source, a float in [0, 1); defaults to Math.random. */
  readonly random?: () => number;
  /** Stop reading after this many lines, counting includes and repetitions (default 500,000). */
  readonly maxLines?: number;
  /** Resolves a relative `path`; defaults to process.cwd(). */
  readonly cwd?: string;
}

export interface ParseResult {
  readonly statements: readonly Statement[];
  readonly diagnostics: readonly Diagnostic[];
}

/** keepalived's default config id: the node name without its domain. */
export function defaultConfigId(): string {
  return hostname().split('.')[0] ?? '';
}

/**
 * Reads a keepalived.conf and everything it includes into the statement tree. Never throws:
 * every problem, including an unreadable file, comes back as a diagnostic, and the tree holds
 * everything that could be read around the mistakes.
 */
export function parseConfigFile(path: string, options: ParseOptions = {}): ParseResult {
  try {
    const absolute = posix.resolve(options.cwd ?? process.cwd(), path);
    const pre = readLines(absolute, {
      fs: options.fs ?? nodeFileSystem,
      configId: options.configId ?? defaultConfigId(),
      env: options.env ?? process.env,
      random: options.random ?? Math.random,
      ...(options.maxLines !== undefined ? { maxLines: options.maxLines } : {}),
    });
    const parsed = parseLines(pre);
    return { statements: parsed.statements, diagnostics: sortDiagnostics([...pre.diagnostics, ...parsed.diagnostics]) };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return {
      statements: [],
      diagnostics: [syntaxDiagnostic('internal-error', `internal error while reading ${path}: ${detail}`)],
    };
  }
}
