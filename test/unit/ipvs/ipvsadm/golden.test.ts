/**
 * ipvsadm-ts against what Debian's ipvsadm 1.31 printed for every oracle case (golden.json,
 * captured on Debian 12 by oracle.test.ts), for machines without ipvsadm. Name lookups depend
 * on the machine's /etc/hosts and /etc/services, so only cases without them are checked here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { oracleCases } from './cases.js';
import { runOurs, type OracleRun } from './oracle.js';

const golden = JSON.parse(readFileSync(new URL('./golden.json', import.meta.url), 'utf8')) as Record<string, Omit<OracleRun, 'requests'>>;

describe('ipvsadm-ts prints what Debian ipvsadm 1.31 printed', () => {
  for (const c of oracleCases().filter((x) => !x.slow)) {
    it(c.id, async () => {
      const expected = golden[c.id];
      expect(expected, 'golden.json has this case').toBeDefined();
      const { requests: _requests, ...ours } = await runOurs(c.case);
      expect(ours).toEqual(expected);
    });
  }
});
