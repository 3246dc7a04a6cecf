import type { VrrpVersion } from './instance-config.js';

/**
 * RFC 3768 §6.1 (v2): Skew_Time = (256 - Priority) / 256 seconds.
 * RFC 5798 §6.1 (v3): Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256.
 */
export function skewTimeMs(version: VrrpVersion, priority: number, masterAdverIntervalMs: number): number {
  const share = (256 - priority) / 256;
  return version === 2 ? share * 1000 : share * masterAdverIntervalMs;
}

/**
 * RFC 5798 §6.1: Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time, where
 * keepalived lets `down_timer_adverts` replace the 3.
 */
export function masterDownIntervalMs(version: VrrpVersion, priority: number, masterAdverIntervalMs: number, downTimerAdverts = 3): number {
  return downTimerAdverts * masterAdverIntervalMs + skewTimeMs(version, priority, masterAdverIntervalMs);
}
