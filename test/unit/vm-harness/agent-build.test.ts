import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { transpileForGuest } from '../../vm/harness/agent-build.js';

const scratch: string[] = [];

afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('transpileForGuest', () => {
  it('turns TypeScript into ES modules plain node runs, relative imports included', () => {
    const root = mkdtempSync(join(tmpdir(), 'vm-harness-src-'));
    const out = mkdtempSync(join(tmpdir(), 'vm-harness-out-'));
    scratch.push(root, out);
    mkdirSync(join(root, 'lib'));
    writeFileSync(join(root, 'lib', 'double.ts'), 'export const double = (n: number): number => n * 2;\n');
    writeFileSync(join(root, 'main.ts'), "import { double } from './lib/double.js';\nimport type { Buffer } from 'node:buffer';\nconst n: number = 21;\nconsole.log(double(n));\n");
    transpileForGuest(root, ['main.ts', 'lib/double.ts'], out);
    expect(execFileSync(process.execPath, [join(out, 'main.js')], { encoding: 'utf8' })).toBe('42\n');
  });
});
