import { describe, expect, it } from 'vitest';
import { chooseAccel } from '../../vm/harness/accel.js';

describe('chooseAccel', () => {
  it('uses KVM when /dev/kvm is ordinary KVM', () => {
    expect(chooseAccel({ kvmDevice: true, pvm: false, override: undefined })).toBe('kvm');
  });

  it('emulates under a PVM hypervisor, where -cpu host aborts', () => {
    expect(chooseAccel({ kvmDevice: true, pvm: true, override: undefined })).toBe('tcg');
  });

  it('emulates without a usable /dev/kvm', () => {
    expect(chooseAccel({ kvmDevice: false, pvm: false, override: '' })).toBe('tcg');
  });

  it('obeys KTS_VM_ACCEL either way', () => {
    expect(chooseAccel({ kvmDevice: true, pvm: false, override: 'tcg' })).toBe('tcg');
    expect(chooseAccel({ kvmDevice: false, pvm: true, override: 'kvm' })).toBe('kvm');
  });

  it('rejects an unknown KTS_VM_ACCEL', () => {
    expect(() => chooseAccel({ kvmDevice: true, pvm: false, override: 'hvf' })).toThrow(expect.objectContaining({ code: 'VM_BAD_ACCEL' }));
  });
});
