import { describe, expect, it } from 'vitest';
import { compareAddresses, masterDownIntervalMs, resolveInstanceConfig, skewTimeMs } from '../../../src/vrrp/index.js';

const base = { name: 'VI_1', primaryAddress: '10.0.0.1' };

describe('instance config defaults and rules', () => {
  it("fills keepalived's defaults", () => {
    const { config, warnings } = resolveInstanceConfig(base);
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      version: 2,
      priority: 100,
      advertIntervalMs: 1000,
      preempt: true,
      accept: true,
      downTimerAdverts: 3,
      garpMasterDelayMs: 5000,
      garpMasterRepeat: 5,
      garpMasterRefreshMs: 0,
      garpMasterRefreshRepeat: 1,
      garpLowerPrioDelayMs: 5000,
      garpLowerPrioRepeat: 5,
      lowerPrioNoAdvert: false,
      higherPrioSendAdvert: false,
    });
  });

  it('garp_lower_prio_* default to the garp_master_* values', () => {
    const { config } = resolveInstanceConfig({ ...base, garpMasterDelayMs: 10_000, garpMasterRepeat: 1 });
    expect([config.garpLowerPrioDelayMs, config.garpLowerPrioRepeat]).toEqual([10_000, 1]);
  });

  it('clears nopreempt with state MASTER, as keepalived does', () => {
    const r = resolveInstanceConfig({ ...base, preempt: false, initialState: 'MASTER' });
    expect(r.config.preempt).toBe(true);
    expect(r.warnings).toEqual(['nopreempt will not work with initial state MASTER - clearing']);
    expect(resolveInstanceConfig({ ...base, preempt: false }).config.preempt).toBe(false);
  });

  it('vrrp_strict: no accept (v2), no preempt_delay, no lower-priority advert or GARPs, no higher_prio_send_advert', () => {
    const r = resolveInstanceConfig({ ...base, strict: true, accept: true, preemptDelayMs: 5000, higherPrioSendAdvert: true, lowerPrioNoAdvert: false, garpLowerPrioRepeat: 3 });
    expect(r.config).toMatchObject({ accept: false, preemptDelayMs: 0, lowerPrioNoAdvert: true, higherPrioSendAdvert: false, garpLowerPrioRepeat: 0, garpLowerPrioDelayMs: 0 });
    expect(r.warnings).toHaveLength(5);
    expect(resolveInstanceConfig({ ...base, strict: true, version: 3, accept: true }).config.accept).toBe(true);
  });
});

describe('timing', () => {
  it('v2: Skew_Time = (256 - priority)/256 s and Master_Down_Interval = 3 x advert + Skew_Time', () => {
    expect(skewTimeMs(2, 100, 1000)).toBe(609.375);
    expect(masterDownIntervalMs(2, 100, 1000)).toBe(3609.375);
    // v2 skew does not scale with the advert interval.
    expect(masterDownIntervalMs(2, 100, 2000)).toBe(6609.375);
  });

  it('v3: Skew_Time scales with Master_Adver_Interval', () => {
    expect(skewTimeMs(3, 100, 100)).toBe(60.9375);
    expect(masterDownIntervalMs(3, 255, 1000)).toBe(3003.90625);
    expect(masterDownIntervalMs(3, 100, 1000, 5)).toBe(5609.375);
  });
});

describe('primary address order', () => {
  it('orders IPv4 addresses numerically, not as text', () => {
    expect(compareAddresses('10.0.0.9', '10.0.0.10')).toBe(-1);
    expect(compareAddresses('192.168.1.1', '10.255.255.255')).toBe(1);
    expect(compareAddresses('10.0.0.1', '10.0.0.1')).toBe(0);
  });

  it('orders IPv6 addresses in any spelling', () => {
    expect(compareAddresses('fe80::2', 'fe80::1')).toBe(1);
    expect(compareAddresses('fe80::1', 'FE80:0:0:0:0:0:0:1')).toBe(0);
    expect(compareAddresses('::ffff:10.0.0.1', '::ffff:a00:2')).toBe(-1);
    expect(compareAddresses('2001:db8::', '2001:db8::1:0')).toBe(-1);
  });

  it('refuses to compare across families or nonsense', () => {
    expect(() => compareAddresses('10.0.0.1', 'fe80::1')).toThrow(expect.objectContaining({ code: 'VRRP_BAD_ADDRESS' }));
    expect(() => compareAddresses('10.0.0.256', '10.0.0.1')).toThrow();
    expect(() => compareAddresses('1:2:3', '::1')).toThrow();
  });
});
