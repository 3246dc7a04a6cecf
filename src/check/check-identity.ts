/**
 * What makes two checks the same check (keepalived's migrate_checkers() compares each checker's
 * configuration): everything configured except where it was written, and the target it names.
 * The probe group's key is `LABEL HASH`: the label (`[ip]:tcp:port`) says the target, and a
 * 53-bit hash of the settings' text tells apart the few checks one target has. Two different
 * checks share a key only when they have the same target and their texts hash alike, a chance
 * of about k²/2⁵⁴ for k checks of one target; a cryptographic digest of the whole text cost
 * 1.6 s per reload of 10,000 checks in the vm guest, and the text itself kept as the key costs a
 * few hundred bytes per check in each map that holds it.
 */

/** The settings as text: JSON of every field in the order the builder set it, `pos` (the place in the file) left out. */
export function settingsText(value: unknown): string {
  return JSON.stringify(value, (key, field: unknown) => (key === 'pos' ? undefined : field));
}

/**
 * 53 bits (what a double holds exactly) from two 32-bit multiply-xorshift lanes over the UTF-16
 * code units, each finished with murmur3's fmix32 so every input bit reaches every output bit.
 */
export function hash53(text: string): number {
  let a = 0x9e3779b9;
  let b = 0x85ebca6b;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0xcc9e2d51);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ c, 0x1b873593);
    b = (b << 13) | (b >>> 19);
  }
  a = fmix32(a ^ text.length);
  b = fmix32(b ^ a);
  return (b >>> 0) * 0x200000 + ((a >>> 0) & 0x1fffff);
}

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The probe group key of `checker` aimed at the target `label`. */
export function checkIdentity(checker: object, label: string): string {
  return `${label} ${hash53(settingsText(checker)).toString(36)}`;
}
