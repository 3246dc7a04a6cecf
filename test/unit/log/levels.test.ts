import { describe, expect, it } from 'vitest';
import { parseFacility, syslogPriority } from '../../../src/log/levels.js';

describe('syslog priorities and facilities', () => {
  it('maps each pino level to the priority journalctl -p filters on', () => {
    expect([10, 20, 30, 40, 50, 60].map(syslogPriority)).toEqual([7, 7, 6, 4, 3, 2]);
  });

  it('reads -S as keepalived does: digits and localN are local0..7, user and daemon by name', () => {
    expect(['0', '7', 'local0', 'local3', 'user', 'daemon'].map(parseFacility)).toEqual([16, 23, 16, 19, 1, 3]);
    expect(['8', 'local8', 'kern', '', 'Daemon'].map(parseFacility)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
