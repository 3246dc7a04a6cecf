import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter, type SplitItem } from '../../../src/control/line-splitter.js';
import { encodeResponse, MAX_REQUEST_BYTES, parseRequest, parseResponse, respond, tooLongResponse, type Response } from '../../../src/control/protocol.js';
import { bareStatus, status } from './fixtures.js';

const snapshot = () => status;

/** What the socket does with a stream: split it, answer every item. */
function serve(chunks: readonly Uint8Array[], limit = MAX_REQUEST_BYTES): Response[] {
  const splitter = new LineSplitter(limit);
  const items: SplitItem[] = chunks.flatMap((c) => splitter.push(Buffer.from(c)));
  return items.map((item) => ('line' in item ? respond(item.line, snapshot) : tooLongResponse(item.tooLong)));
}

describe('LineSplitter', () => {
  it('cuts at newlines, drops a CR before LF, and holds a partial line until its newline', () => {
    const s = new LineSplitter(100);
    expect(s.push(Buffer.from('{"a":1}\r\n{"b"'))).toEqual([{ line: '{"a":1}' }]);
    expect(s.pendingBytes).toBe(4);
    expect(s.push(Buffer.from(':2}\n\n'))).toEqual([{ line: '{"b":2}' }, { line: '' }]);
    expect(s.pendingBytes).toBe(0);
  });

  it('reports an over-long line once, holds none of it, and reads the next line normally', () => {
    const s = new LineSplitter(8);
    expect(s.push(Buffer.from('0123456'))).toEqual([]);
    expect(s.push(Buffer.from('789abc'))).toEqual([]);
    expect(s.pendingBytes).toBe(0);
    expect(s.push(Buffer.from('def\nok\n'))).toEqual([{ tooLong: 16 }, { line: 'ok' }]);
  });

  it('keeps a multi-byte character split across chunks whole', () => {
    const bytes = Buffer.from('"é—"\n');
    const s = new LineSplitter(100);
    expect([...s.push(bytes.subarray(0, 2)), ...s.push(bytes.subarray(2))]).toEqual([{ line: '"é—"' }]);
  });

  it('gives the same lines however the stream is cut into chunks (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(600), { maxLength: 8 }), (bytes, cuts) => {
        const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((p, i, all) => bytes.subarray(p, all[i + 1] ?? bytes.length));
        const whole = new LineSplitter(64).push(Buffer.from(bytes));
        const s = new LineSplitter(64);
        expect(chunks.flatMap((c) => s.push(Buffer.from(c)))).toEqual(whole);
        expect(s.pendingBytes).toBeLessThanOrEqual(64);
      }),
    );
  });
});

describe('requests', () => {
  it('reads status and explain, with or without an id', () => {
    expect(parseRequest('{"id":7,"command":"status"}')).toEqual({ id: 7, command: 'status' });
    expect(parseRequest('{"command":"explain","instance":"VI_1","extra":true}')).toEqual({ id: null, command: 'explain', instance: 'VI_1' });
  });

  it.each([
    ['not json', 'bad-json'],
    ['[1,2]', 'bad-json'],
    ['null', 'bad-json'],
    ['"status"', 'bad-json'],
    ['{"command":5}', 'bad-request'],
    ['{"id":{},"command":"status"}', 'bad-request'],
    ['{"command":"explain"}', 'bad-request'],
    ['{"command":"reboot"}', 'unknown-command'],
    ['{"id":"x","command":"explain","instance":"VI_9"}', 'unknown-instance'],
  ])('answers %s with error %s, keeping the id when it could read one', (line, code) => {
    const r = respond(line, snapshot);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
    if (code === 'unknown-instance') expect(r.id).toBe('x');
  });

  it('answers status with the snapshot and explain with the instance and its sync group', () => {
    expect(respond('{"id":1,"command":"status"}', snapshot)).toEqual({ id: 1, ok: true, result: status });
    const r = respond('{"id":2,"command":"explain","instance":"VI_1"}', snapshot);
    expect(r).toMatchObject({ id: 2, ok: true, result: { instance: { name: 'VI_1', state: 'BACKUP' }, syncGroup: { name: 'G1' } } });
    expect(respond('{"command":"explain","instance":"VI_6"}', snapshot)).toMatchObject({ ok: true, result: { syncGroup: null } });
  });

  it('explains no instance when the daemon runs no VRRP', () => {
    expect(respond('{"command":"explain","instance":"VI_1"}', () => bareStatus)).toMatchObject({ ok: false, error: { code: 'unknown-instance' } });
  });

  it('turns a failing snapshot into an internal error, not an exception', () => {
    const r = respond('{"command":"status"}', () => {
      throw new Error('boom');
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('boom') } });
  });

  it('round-trips a response through its line', () => {
    const r = respond('{"id":"a","command":"status"}', snapshot);
    const line = encodeResponse(r);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(parseResponse(line.trimEnd())).toEqual(r);
    expect(parseResponse('{"ok":true}')).toBeUndefined();
    expect(parseResponse('{"ok":false,"error":{"code":1}}')).toBeUndefined();
  });
});

describe('hostile input', () => {
  it('answers every line of random bytes with exactly one response, an error unless it is a valid request (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 10 }), (chunks) => {
        const bytes = Buffer.concat(chunks.map((c) => Buffer.from(c)));
        const lines = bytes.toString('latin1').split('\n').length - 1;
        const responses = serve(chunks);
        expect(responses).toHaveLength(lines);
        for (const r of responses) expect(typeof encodeResponse(r)).toBe('string');
      }),
    );
  });

  it('answers random JSON values and request-like objects without throwing (property)', () => {
    const requestLike = fc.record({ id: fc.jsonValue(), command: fc.oneof(fc.constantFrom('status', 'explain'), fc.jsonValue()), instance: fc.jsonValue() }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), requestLike), (value) => {
        const r = respond(JSON.stringify(value) ?? 'undefined', snapshot);
        expect(typeof r.ok).toBe('boolean');
        expect(parseResponse(encodeResponse(r).trimEnd())).toEqual(r);
      }),
    );
  });

  it('answers a huge line with one line-too-long error and the next request normally', () => {
    const huge = Buffer.alloc(10 * 1024 * 1024, 0x41);
    const chunks = [huge.subarray(0, 3_000_000), huge.subarray(3_000_000), Buffer.from('\n{"id":9,"command":"status"}\n')];
    const [first, second, ...more] = serve(chunks);
    expect(first).toMatchObject({ ok: false, error: { code: 'line-too-long' } });
    expect(second).toMatchObject({ id: 9, ok: true });
    expect(more).toEqual([]);
  });

  it('holds a partial request without answering until its newline arrives', () => {
    const splitter = new LineSplitter(MAX_REQUEST_BYTES);
    expect(splitter.push(Buffer.from('{"command":"sta'))).toEqual([]);
    expect(splitter.push(Buffer.from('tus"}\n'))).toEqual([{ line: '{"command":"status"}' }]);
  });
});
