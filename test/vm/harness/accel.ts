/**
 * KVM or TCG. /dev/kvm is not always the KVM it looks like: under a PVM hypervisor (module
 * kvm_pvm, nested "pure virtual machine" KVM) `-cpu host` aborts on an MSR and an ordinary Debian
 * kernel crawls, so there plain emulation is the faster choice. KTS_VM_ACCEL=kvm|tcg overrides.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { KeepalivedError } from '../../../src/errors.js';

export type Accel = 'kvm' | 'tcg';

export interface AccelFacts {
  /** /dev/kvm exists and this process may open it read-write */
  kvmDevice: boolean;
  /** the kvm_pvm module provides /dev/kvm */
  pvm: boolean;
  override: string | undefined;
}

export function chooseAccel(facts: AccelFacts): Accel {
  if (facts.override !== undefined && facts.override !== '') {
    if (facts.override === 'kvm' || facts.override === 'tcg') return facts.override;
    throw new KeepalivedError('VM_BAD_ACCEL', `KTS_VM_ACCEL must be kvm or tcg, not ${JSON.stringify(facts.override)}`);
  }
  return facts.kvmDevice && !facts.pvm ? 'kvm' : 'tcg';
}

export function probeAccelFacts(): AccelFacts {
  let kvmDevice = true;
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch {
    kvmDevice = false;
  }
  return { kvmDevice, pvm: existsSync('/sys/module/kvm_pvm'), override: process.env.KTS_VM_ACCEL };
}
