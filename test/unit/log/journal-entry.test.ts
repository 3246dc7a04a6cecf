import { describe, expect, it } from 'vitest';
import { encodeJournalEntry, journalFieldName, journalFields } from '../../../src/log/journal-entry.js';

describe('journal field names', () => {
  it('upper-cases keys and turns camelCase into SNAKE_CASE', () => {
    expect(['instance', 'state', 'vs', 'maxLateMs', 'real-server'].map(journalFieldName)).toEqual(['INSTANCE', 'STATE', 'VS', 'MAX_LATE_MS', 'REAL_SERVER']);
  });

  it('never lands on a name journald gives a meaning of its own, nor starts with anything but a letter', () => {
    expect(journalFieldName('priority')).toBe('KEEPALIVED_PRIORITY');
    expect(journalFieldName('message')).toBe('KEEPALIVED_MESSAGE');
    expect(journalFieldName('_secret')).toBe('F__SECRET');
    expect(journalFieldName('1st')).toBe('F_1ST');
    expect(journalFieldName('x'.repeat(80))).toHaveLength(64);
  });
});

describe('journal fields of a record', () => {
  it("carries keepalived's text, the priority, the service's identifier and the structured fields", () => {
    const record = { level: 30, time: 1, pid: 42, service: 'vrrp', instance: 'VI_1', state: 'MASTER', reason: 'preempt', priority: 150, msg: '(VI_1) Entering MASTER STATE' };
    expect(journalFields(record, 3)).toEqual([
      ['MESSAGE', '(VI_1) Entering MASTER STATE'],
      ['PRIORITY', '6'],
      ['SYSLOG_IDENTIFIER', 'Keepalived_vrrp'],
      ['SYSLOG_FACILITY', '3'],
      ['SERVICE', 'vrrp'],
      ['INSTANCE', 'VI_1'],
      ['STATE', 'MASTER'],
      ['REASON', 'preempt'],
      ['KEEPALIVED_PRIORITY', '150'],
    ]);
  });

  it('names the checkers Keepalived_healthcheckers and everything else Keepalived', () => {
    const identifier = (service?: string) => journalFields({ level: 40, msg: 'm', ...(service ? { service } : {}) }, 3).find(([n]) => n === 'SYSLOG_IDENTIFIER')?.[1];
    expect([identifier('checkers'), identifier('lvs'), identifier('control'), identifier()]).toEqual(['Keepalived_healthcheckers', 'Keepalived_healthcheckers', 'Keepalived', 'Keepalived']);
  });

  it('spreads an object one level (err, timers) and writes deeper values and arrays as JSON', () => {
    const record = {
      level: 50,
      msg: 'boom',
      err: { type: 'Error', message: 'bad', stack: 'Error: bad\n    at x' },
      instances: ['VI_1', 'VI_2'],
      timers: { fired: 3, late: { max: 1 } },
      skipped: null,
    };
    expect(journalFields(record, 16).slice(4)).toEqual([
      ['ERR_TYPE', 'Error'],
      ['ERR_MESSAGE', 'bad'],
      ['ERR_STACK', 'Error: bad\n    at x'],
      ['INSTANCES', '["VI_1","VI_2"]'],
      ['TIMERS_FIRED', '3'],
      ['TIMERS_LATE', '{"max":1}'],
    ]);
  });
});

describe('the native protocol datagram', () => {
  it('writes NAME=value lines for single-line values', () => {
    expect(
      encodeJournalEntry([
        ['MESSAGE', '(VI_1) Entering MASTER STATE'],
        ['PRIORITY', '6'],
      ]).toString(),
    ).toBe('MESSAGE=(VI_1) Entering MASTER STATE\nPRIORITY=6\n');
  });

  it('writes a multi-line value in the binary-safe form: name, newline, 64-bit LE length, bytes, newline', () => {
    const bytes = encodeJournalEntry([
      ['PRIORITY', '3'],
      ['ERR_STACK', 'a\nbé'],
    ]);
    const expected = Buffer.concat([Buffer.from('PRIORITY=3\nERR_STACK\n'), Buffer.from([5, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('a\nbé'), Buffer.from('\n')]);
    expect(bytes.equals(expected)).toBe(true);
  });

  it('keeps an = inside a value as it is (only the first = separates)', () => {
    expect(encodeJournalEntry([['SCRIPT', 'a=b']]).toString()).toBe('SCRIPT=a=b\n');
  });
});
