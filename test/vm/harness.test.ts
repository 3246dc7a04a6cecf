import { describe, expect, it } from 'vitest';
import { vm } from './harness/vm.js';

describe('vm harness', () => {
  it('runs the Debian kernel the tier prepared', async () => {
    expect((await vm.run('uname', ['-r'])).trim()).toBe(vm.info.kernel);
    expect(vm.info.kernel).toMatch(/^\d+\.\d+\.\d+-\d+-amd64$/);
  });
});
