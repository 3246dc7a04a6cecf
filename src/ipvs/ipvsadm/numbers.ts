/** The C number readers ipvsadm's checks are built on. */

const LEADING_SPACE = /^[ \t\n\r\f\v]*/;

/** strtol(s, &end, 10) accepting the whole string; null when anything is left over or it overflows. */
function wholeDecimal(text: string): bigint | null {
  const m = /^[ \t\n\r\f\v]*([+-]?)(\d+)$/.exec(text);
  if (!m) return null;
  const value = BigInt(m[2] ?? '0') * (m[1] === '-' ? -1n : 1n);
  if (value > 0x7fffffffffffffffn || value < -0x8000000000000000n) return null;
  return value;
}

/** ipvsadm's string_to_number: a whole decimal in [min, max], else -1. */
export function stringToNumber(text: string, min: number, max: number): number {
  const value = wholeDecimal(text);
  if (value === null || value < BigInt(min) || value > BigInt(max)) return -1;
  return Number(value);
}

/** parse_fwmark's acceptance: 1 to 4294967295. */
export function parseFwmarkValue(text: string): number | null {
  const value = wholeDecimal(text);
  if (value === null || value <= 0n || value > 0xffffffffn) return null;
  return Number(value);
}

/** atoi: leading blanks, a sign, then as many digits as there are. */
export function atoi(text: string): number {
  const rest = text.replace(LEADING_SPACE, '');
  const m = /^([+-]?)(\d*)/.exec(rest);
  const digits = m?.[2] ?? '';
  if (digits === '') return 0;
  const value = Number(BigInt(digits) % 2n ** 32n) | 0;
  return m?.[1] === '-' ? -value | 0 : value;
}
