import { describe, expect, it } from 'vitest';
import { keywordsIn } from '../../../src/config/keyword-index.js';
import { editDistance, suggest } from '../../../src/config/suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    expect(editDistance('priority', 'priority')).toBe(0);
    expect(editDistance('priorty', 'priority')).toBe(1);
    expect(editDistance('prioritty', 'priority')).toBe(1);
    expect(editDistance('prxority', 'priority')).toBe(1);
    expect(editDistance('pirority', 'priority')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('suggest', () => {
  it('finds notify_backup for netify_backup among the vrrp_instance keywords', () => {
    expect(suggest('netify_backup', keywordsIn('vrrp_instance'))).toBe('notify_backup');
  });

  it('only suggests keywords of the block the word was written in', () => {
    expect(suggest('virtual_router_idd', keywordsIn('vrrp_instance'))).toBe('virtual_router_id');
    expect(suggest('virtual_router_idd', keywordsIn('global_defs'))).toBeUndefined();
  });

  it('prefers a keyword that differs only in case', () => {
    expect(suggest('http_get', keywordsIn('real_server'))).toBe('HTTP_GET');
  });

  it('gives nothing for words that are not close to any keyword', () => {
    expect(suggest('zzzzzzzz', keywordsIn('vrrp_instance'))).toBeUndefined();
    expect(suggest('这是一段说明', keywordsIn('root'))).toBeUndefined();
  });
});
