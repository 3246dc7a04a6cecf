/**
 * Addresses as the configuration writes them: which family a word is, and its canonical
 * spelling, so that `2001:DB8::1` and `2001:db8:0::1` are recognised as one address.
 */
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../net/ip-address.js';

export function ipFamily(text: string): 4 | 6 | undefined {
  if (parseIpv4(text)) return 4;
  if (parseIpv6(text)) return 6;
  return undefined;
}

/** The canonical spelling of an address, or undefined when `text` is not one. */
export function canonicalIp(text: string): string | undefined {
  const v4 = parseIpv4(text);
  if (v4) return formatIpv4(v4);
  const v6 = parseIpv6(text);
  return v6 ? formatIpv6(v6) : undefined;
}
