/**
 * What keepalived sends when it has nothing to say: "keepalived check - " repeated to fill the
 * buffer (layer4.c set_buf), 32 octets for UDP_CHECK without a payload and 128 octets after the
 * ICMP echo header. Servers that log datagrams show this text, so we send the same.
 */
const FILLER = 'keepalived check - ';

export function fillerBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = FILLER.charCodeAt(i % FILLER.length);
  return out;
}
