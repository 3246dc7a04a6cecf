/**
 * The probe group key a reload matches checks by (src/check/check-identity.ts): the same check
 * written elsewhere in the file keeps its key, any changed setting or target gives another, and
 * the hash tells distinct texts apart.
 */
import { describe, expect, it } from 'vitest';
import { checkIdentity, hash53, settingsText } from '../../../src/check/check-identity.js';
import { planCheckers } from '../../../src/check/plan.js';
import { config } from './fakes.js';

const vs = (body: string, before = ''): string => `${before}virtual_server 192.168.1.1 80 {\n  delay_loop 10\n  protocol TCP\n  real_server 10.0.0.2 80 {\n${body}\n  }\n}\n`;
const keysOf = (text: string): string[] => [...planCheckers(config(text), () => true).groups.keys()];

describe('check identity', () => {
  it('a check moved to other lines of the file keeps its key', () => {
    const http = '    HTTP_GET {\n      url {\n        path /health\n        status_code 200\n      }\n    }';
    expect(keysOf(vs(http, '\n\n\n'))).toEqual(keysOf(vs(http)));
  });

  it('each changed setting, url or target gives another key', () => {
    const variants = [
      vs('    TCP_CHECK { connect_timeout 2 }'),
      vs('    TCP_CHECK { connect_timeout 3 }'),
      vs('    TCP_CHECK { connect_timeout 2\n retry 4 }'),
      vs('    TCP_CHECK { connect_timeout 2\n connect_port 81 }'),
      vs('    HTTP_GET { url { path /a } }'),
      vs('    HTTP_GET { url { path /b } }'),
      vs('    HTTP_GET { url { path /a\n status_code 201 } }'),
      vs('    TCP_CHECK { connect_timeout 2 }').replace('10.0.0.2 80', '10.0.0.2 81'),
    ];
    const keys = variants.map(keysOf);
    for (const k of keys) expect(k).toHaveLength(1);
    expect(new Set(keys.map((k) => k[0])).size).toBe(variants.length);
  });

  it('the key names the target, so equal checks of two real servers are two groups', () => {
    const two = 'virtual_server 192.168.1.1 80 {\n  protocol TCP\n  real_server 10.0.0.2 80 { TCP_CHECK { } }\n  real_server 10.0.0.3 80 { TCP_CHECK { } }\n}\n';
    expect(keysOf(two).map((k) => k.split(' ')[0])).toEqual(['[10.0.0.2]:tcp:80', '[10.0.0.3]:tcp:80']);
  });

  it('settings text leaves out only the place in the file, and keeps a string apart from a number', () => {
    expect(settingsText({ pos: { line: 1 }, a: 1, b: 'x', c: null, d: [{ pos: 3, e: true }] })).toBe('{"a":1,"b":"x","c":null,"d":[{"e":true}]}');
    expect(settingsText({ a: '1' })).not.toBe(settingsText({ a: 1 }));
    expect(checkIdentity({ a: 1 }, 'L')).toBe(checkIdentity({ pos: 9, a: 1 }, 'L'));
  });

  it('hash53 stays within 53 bits and gives 200,000 distinct near-identical texts 200,000 values', () => {
    const seen = new Set<number>();
    let outside = 0;
    for (let i = 0; i < 200_000; i++) {
      const h = hash53(`{connect_ip:"10.0.${i >> 8}.${i & 255}",connect_port:80,connect_timeout:${i % 7},}`);
      if (!Number.isSafeInteger(h) || h < 0) outside++;
      seen.add(h);
    }
    expect(outside).toBe(0);
    expect(seen.size).toBe(200_000);
  });
});
