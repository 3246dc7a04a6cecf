/** The few printf conversions ipvsadm's listings use, with C's padding rules. */

/** `%-Ns` (left) or `%Ns` (right): pad to at least `width`, never cut. */
export function pad(text: string, width: number, left = true): string {
  if (text.length >= width) return text;
  const fill = ' '.repeat(width - text.length);
  return left ? text + fill : fill + text;
}

/** `%d` of a C int holding an unsigned 32-bit value. */
export function signed32(value: number): string {
  return String(value | 0);
}
