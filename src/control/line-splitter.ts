/**
 * Cuts a byte stream into lines at `\n`, never holding more than `maxLineBytes` of one line: a
 * longer line is reported once as too long and its bytes are skipped up to its newline, so a
 * client that never sends a newline costs the daemon a bounded buffer, not its memory.
 */
export type SplitItem = { readonly line: string } | { readonly tooLong: number };

const NEWLINE = 0x0a;

export class LineSplitter {
  private parts: Buffer[] = [];
  private held = 0;
  /** Bytes of an over-long line seen so far; the line is being skipped while this is > 0. */
  private skipped = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Everything `chunk` completes, in order. A `\r` before the `\n` is part of the line ending. */
  push(chunk: Buffer): SplitItem[] {
    const items: SplitItem[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline < 0 ? chunk.length : newline;
      this.take(chunk.subarray(start, end));
      if (newline < 0) break;
      items.push(this.finish());
      start = newline + 1;
    }
    return items;
  }

  /** Bytes held for the line not yet ended. */
  get pendingBytes(): number {
    return this.held;
  }

  private take(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.skipped > 0 || this.held + bytes.length > this.maxLineBytes) {
      this.skipped += this.held + bytes.length;
      this.parts = [];
      this.held = 0;
      return;
    }
    this.parts.push(bytes);
    this.held += bytes.length;
  }

  private finish(): SplitItem {
    if (this.skipped > 0) {
      const tooLong = this.skipped;
      this.skipped = 0;
      return { tooLong };
    }
    let text = Buffer.concat(this.parts, this.held).toString('utf8');
    this.parts = [];
    this.held = 0;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return { line: text };
  }
}
