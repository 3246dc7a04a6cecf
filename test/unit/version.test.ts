import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';

describe('bin/keepalived-ts', () => {
  it('prints the package version with -v', () => {
    const out = execFileSync('bin/keepalived-ts', ['-v'], { encoding: 'utf8' });
    expect(out).toBe(`keepalived-ts ${VERSION}\n`);
  });
});
