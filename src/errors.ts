/**
 * Every error keepalived-ts raises on purpose carries a stable `code`, so callers, logs and
 * tests can branch on the kind of failure without parsing messages.
 */
export class KeepalivedError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'KeepalivedError';
  }
}
