/**
 * FILE_CHECK: a real server follows a track_file's number the way a VRRP instance does
 * (keepalived trackers/track_file.c process_track_file, update_track_file_status,
 * process_update_checker_track_file_status). The file's first 127 octets are read as strtol()
 * with base 0 reads them (leading blanks, a sign, 0x hex or leading-0 octal, digits up to the
 * first other character; nothing readable is 0, as is a missing or empty file).
 *
 * With weight 0 the file is a switch: a non-zero value means down (`reverse`: zero means down).
 * Otherwise value × weight (× −1 with `reverse`) is added to the real server's weight while
 * up, and only a product at or below −2^31 (keepalived's IPVS_WEIGHT_FAULT) takes it down.
 */

/** keepalived reads this much of the file (a 128-octet buffer and its terminating NUL). */
export const TRACK_FILE_READ_LENGTH = 127;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export type TrackFileValue = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly reason: string };

/** The number in the file's text; out of keepalived's range (−2^31..2^31) it is rejected and the last value stays. */
export function parseTrackFileValue(text: string, path: string): TrackFileValue {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)?/.exec(text.slice(0, TRACK_FILE_READ_LENGTH));
  const digits = m?.[2];
  if (digits === undefined) return { ok: true, value: 0 };
  const octal = digits.length > 1 && digits.startsWith('0') && !/^0[xX]/.test(digits);
  const magnitude = octal ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  const value = m?.[1] === '-' ? -magnitude : magnitude;
  if (value < BigInt(INT32_MIN) || value > BigInt(INT32_MAX) + 1n) return { ok: false, reason: `Invalid number ${value} read from ${path} - ignoring` };
  return { ok: true, value: Number(value) };
}

export type FileCheckVerdict = { readonly ok: true; readonly weightDelta: number } | { readonly ok: false; readonly reason: string };

export function judgeTrackFileValue(value: number, weight: number, reverse: boolean): FileCheckVerdict {
  if (weight === 0) {
    const down = (value !== 0) !== reverse;
    return down ? { ok: false, reason: `tracked file value ${value}${reverse ? ' (reverse)' : ''} means FAULT` } : { ok: true, weightDelta: 0 };
  }
  const product = value * weight * (reverse ? -1 : 1);
  const status = Math.min(INT32_MAX, Math.max(INT32_MIN, product));
  if (status === INT32_MIN) return { ok: false, reason: `tracked file value ${value} × weight ${weight} means FAULT` };
  return { ok: true, weightDelta: status };
}
