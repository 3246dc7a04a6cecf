import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computePriority, scriptCounter, scriptIsUp, scriptResult, type TrackerConfig } from '../../../src/vrrp/index.js';

const t = (name: string, weight: number, kind: TrackerConfig['kind'] = 'script'): TrackerConfig => ({ name, kind, weight });

describe('effective priority', () => {
  it('adds positive weights while up and subtracts negative weights while down', () => {
    const p = computePriority(100, [t('a', 10), t('b', 20), t('c', -30), t('d', -5)], { a: 'up', b: 'down', c: 'down', d: 'up' });
    expect(p.effective).toBe(80);
    expect(p.terms.map((x) => x.delta)).toEqual([10, 0, -30, 0]);
  });

  it('ignores trackers that have not reported yet', () => {
    expect(computePriority(100, [t('a', 10), t('b', -10)], {}).effective).toBe(100);
  });

  it('clamps to 1..254 but keeps the unclamped total for explain', () => {
    const high = computePriority(250, [t('a', 50)], { a: 'up' });
    expect([high.total, high.effective]).toEqual([300, 254]);
    const low = computePriority(20, [t('a', -50)], { a: 'down' });
    expect([low.total, low.effective]).toEqual([-30, 1]);
  });

  it('never changes an address owner', () => {
    const p = computePriority(255, [t('a', -100), t('b', 10)], { a: 'down', b: 'up' });
    expect(p.effective).toBe(255);
    expect(p.ownerUnchanged).toBe(true);
    expect(p.terms.every((x) => x.delta === 0)).toBe(true);
  });

  it('reports weight-0 failures as faults and unknown weight-0 trackers as pending', () => {
    const p = computePriority(100, [t('a', 0), t('b', 0), t('eth1', 0, 'interface')], { a: 'down', eth1: 'up' });
    expect(p.faults).toEqual(['a']);
    expect(p.pending).toEqual(['b']);
    expect(p.effective).toBe(100);
  });
});

describe('vrrp_script rise/fall', () => {
  const feed = (c: ReturnType<typeof scriptCounter>, results: boolean[]) => {
    const reports: (string | undefined)[] = [];
    for (const r of results) {
      const s = scriptResult(c, r);
      c = s.counter;
      reports.push(s.report);
    }
    return { c, reports };
  };

  it('decides on the first result of a fresh script', () => {
    expect(feed(scriptCounter(3, 2), [true]).reports).toEqual(['up']);
    expect(feed(scriptCounter(3, 2), [false]).reports).toEqual(['down']);
  });

  it('needs `fall` consecutive failures to go down and `rise` consecutive successes to come back', () => {
    const { reports } = feed(scriptCounter(3, 2), [true, false, true, false, false, true, true, false, true, true, true]);
    expect(reports).toEqual(['up', undefined, undefined, undefined, 'down', undefined, undefined, undefined, undefined, undefined, 'up']);
  });

  it('init_fail starts down: it takes `rise` successes to report up', () => {
    const { reports } = feed(scriptCounter(2, 1, true), [true, true]);
    expect(reports).toEqual([undefined, 'up']);
  });

  it('reports exactly after `rise` successes or `fall` failures in a row, for any rise, fall and results', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.array(fc.boolean(), { maxLength: 60 }), (rise, fall, results) => {
        let c = scriptCounter(rise, fall);
        let reported: string | undefined;
        let run = 0;
        results.forEach((r, i) => {
          run = i > 0 && r === results[i - 1] ? run + 1 : 1;
          const s = scriptResult(c, r);
          c = s.counter;
          const due = i === 0 || (r ? reported === 'down' && run === rise : reported === 'up' && run === fall);
          expect(s.report).toBe(due ? (r ? 'up' : 'down') : undefined);
          if (s.report) reported = s.report;
          expect(scriptIsUp(c)).toBe(reported === 'up');
        });
      }),
    );
  });
});
