import { describe, expect, it } from 'vitest';
import { encodeMessage, lineSplitter, type ExecRequest } from '../../vm/harness/protocol.js';

function split(chunks: (Buffer | string)[]): string[] {
  const lines: string[] = [];
  const feed = lineSplitter((line) => lines.push(line));
  for (const chunk of chunks) feed(chunk);
  return lines;
}

describe('lineSplitter', () => {
  it('joins a line that arrives in pieces and splits chunks holding several lines', () => {
    expect(split(['{"a"', ':1}\n{"b":2}\n{"c"', ':3}\n'])).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('holds back a line until its newline arrives', () => {
    expect(split(['{"a":1}\n{"b"'])).toEqual(['{"a":1}']);
  });

  it('keeps a UTF-8 character whole when a chunk boundary cuts through it', () => {
    const bytes = Buffer.from('"λ→ü"\n');
    expect(split([bytes.subarray(0, 2), bytes.subarray(2, 5), bytes.subarray(5)])).toEqual(['"λ→ü"']);
  });

  it('skips empty lines', () => {
    expect(split(['\n\n{"a":1}\n\n'])).toEqual(['{"a":1}']);
  });
});

describe('encodeMessage', () => {
  it('writes one JSON object per line, which the splitter reads back', () => {
    const message: ExecRequest = { t: 'exec', id: 7, cmd: 'ipvsadm', args: ['-L', '-n'], timeoutMs: 1000 };
    const encoded = encodeMessage(message);
    expect(encoded.endsWith('\n')).toBe(true);
    expect(encoded.slice(0, -1)).not.toContain('\n');
    expect(split([encoded]).map((line) => JSON.parse(line) as unknown)).toEqual([message]);
  });
});
