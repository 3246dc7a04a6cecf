/**
 * UDP_CHECK's `payload` and `require_reply` values: hex octets, as keepalived's read_hex_str()
 * (lib/parser.c) reads them. Blanks separate groups; each group is read two digits at a time and
 * a lone last digit is an octet of its own ("1 203" is 01 20 03). In a reply pattern an `x` (or
 * `X`) stands for any nibble, so "4x" matches 0x40..0x4f.
 */
export interface HexPattern {
  readonly data: Uint8Array;
  /** Bits set where the pattern does not care (the wildcards); null when it has none. */
  readonly mask: Uint8Array | null;
}

/** The hex string's octets, or null when it is empty or holds anything but hex digits (and `x` when allowed). */
export function readHexString(text: string, allowWildcard: boolean): HexPattern | null {
  const data: number[] = [];
  const mask: number[] = [];
  let wildcards = false;
  let i = 0;
  const nibble = (): { value: number; wild: boolean } | null => {
    const c = text[i++] ?? '';
    if (/^[0-9a-fA-F]$/.test(c)) return { value: parseInt(c, 16), wild: false };
    if (allowWildcard && (c === 'x' || c === 'X')) return { value: 0, wild: true };
    return null;
  };
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i >= text.length) break;
    const high = nibble();
    if (!high) return null;
    let value = high.value;
    let care = high.wild ? 0x0f : 0;
    if (i < text.length && text[i] !== ' ') {
      const low = nibble();
      if (!low) return null;
      value = (value << 4) | low.value;
      care = (care << 4) | (low.wild ? 0x0f : 0);
    }
    wildcards ||= care !== 0;
    data.push(value);
    mask.push(care);
  }
  if (data.length === 0) return null;
  return { data: Uint8Array.from(data), mask: wildcards ? Uint8Array.from(mask) : null };
}
