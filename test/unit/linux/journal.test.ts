import { closeSync, fstatSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isJournalStream, JournalSink } from '../../../src/linux/journal.js';
import { native } from '../../../src/linux/native.js';

const dir = mkdtempSync(join(tmpdir(), 'kts-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('JOURNAL_STREAM', () => {
  it('names our fd only when its device:inode is that fd', () => {
    const fd = openSync(join(dir, 'stream'), 'w');
    const other = openSync(join(dir, 'other'), 'w');
    try {
      const { dev, ino } = fstatSync(fd);
      const env = { JOURNAL_STREAM: `${dev}:${ino}` };
      expect(isJournalStream(fd, env)).toBe(true);
      expect(isJournalStream(other, env)).toBe(false);
      expect(isJournalStream(fd, {})).toBe(false);
      expect(isJournalStream(fd, { JOURNAL_STREAM: 'garbage' })).toBe(false);
      expect(isJournalStream(987654, env)).toBe(false);
    } finally {
      closeSync(fd);
      closeSync(other);
    }
  });
});

describe('JournalSink', () => {
  const record = { level: 40, service: 'vrrp', instance: 'VI_1', msg: '(VI_1) ignoring advert' };

  it('sends one native-protocol datagram per record to the socket', () => {
    const sent: [string, string][] = [];
    const fallback: string[] = [];
    const sink = new JournalSink(
      3,
      (t) => fallback.push(t),
      '/run/j.sock',
      (path, payload) => (sent.push([path, payload.toString()]), 0),
    );
    sink.write(record);
    expect(sent).toEqual([['/run/j.sock', 'MESSAGE=(VI_1) ignoring advert\nPRIORITY=4\nSYSLOG_IDENTIFIER=Keepalived_vrrp\nSYSLOG_FACILITY=3\nSERVICE=vrrp\nINSTANCE=VI_1\n']]);
    expect(fallback).toEqual([]);
  });

  it('writes the message with a <N> priority prefix to the stream when the datagram cannot go', () => {
    const fallback: string[] = [];
    const EAGAIN = 11;
    const sink = new JournalSink(
      3,
      (t) => fallback.push(t),
      '/run/j.sock',
      () => EAGAIN,
    );
    sink.write({ ...record, msg: 'two\nlines' });
    expect(fallback).toEqual(['<4>two lines\n']);
  });

  it("the addon's sendDatagram reports a missing socket as ENOENT instead of throwing", () => {
    const ENOENT = 2;
    expect(native().sendDatagram(join(dir, 'no-such-socket'), Buffer.from('MESSAGE=x\n'))).toBe(ENOENT);
  });
});
