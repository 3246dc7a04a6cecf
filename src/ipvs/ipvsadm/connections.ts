/**
 * `ipvsadm -Lc`: the kernel's connection table as /proc/net/ip_vs_conn shows it, re-printed in
 * ipvsadm's columns. The kernel writes one connection per line:
 *
 *   Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData
 *   TCP 0A000002 A3F2 0A000001 0050 0A000064 0050 ESTABLISHED     897
 *
 * IPv4 addresses as 8 hex digits, IPv6 ones as eight full groups, ports as 4 hex digits, the
 * expiry in seconds, and the persistence engine's name and data only when a connection has them.
 */
import type { Family, Protocol } from '../types.js';
import { formatInet4, inetNtop6, inetPton4, inetPton6 } from '../../net/inet.js';
import { pad } from './cformat.js';
import { IpvsadmExit } from './exit.js';
import { addressPortName } from './list.js';
import type { NameResolver } from './names.js';
import type { ListFormat } from './command.js';

export const CONNECTION_TABLE_PATH = '/proc/net/ip_vs_conn';

export interface ConnectionEntry {
  readonly protocol: string;
  readonly client: { readonly family: Family; readonly address: string; readonly port: number };
  readonly virtual: { readonly family: Family; readonly address: string; readonly port: number };
  readonly destination: { readonly family: Family; readonly address: string; readonly port: number };
  readonly state: string;
  readonly expires: number;
  readonly peName?: string;
  readonly peData?: string;
}

/** sscanf's %hX: leading hex digits, kept to 16 bits. */
function hexShort(text: string): number {
  const m = /^[0-9a-fA-F]+/.exec(text);
  return m ? Number(BigInt(`0x${m[0]}`) & 0xffffn) : 0;
}

/** An address field: IPv6 text, dotted IPv4, or the kernel's 8 hex digits. */
function addressField(text: string, family: Family | null): { family: Family; address: string } {
  const v6 = inetPton6(text);
  if (family !== 'inet' && v6 !== null) return { family: 'inet6', address: inetNtop6(v6) };
  const v4 = inetPton4(text);
  if (v4 !== null) return { family: 'inet', address: formatInet4(v4) };
  // strtoul(text, NULL, 16), saturating at ULONG_MAX, then kept to 32 bits
  const m = /^\s*(?:0[xX])?([0-9a-fA-F]*)/.exec(text);
  const wide = m?.[1] ? BigInt(`0x${m[1]}`) : 0n;
  const value = Number((wide > 0xffffffffffffffffn ? 0xffffffffffffffffn : wide) & 0xffffffffn);
  return { family: family ?? 'inet', address: formatInet4(value) };
}

/** One line of the table, read as ipvsadm's sscanf reads it. */
export function parseConnectionLine(line: string): ConnectionEntry | null {
  const f = line.split(/\s+/).filter((w) => w !== '');
  if (f.length === 0) return null;
  const client = addressField(f[1] ?? '', null);
  const virtualAddress = addressField(f[3] ?? '', client.family);
  const destination = addressField(f[5] ?? '', null);
  const expires = Number.parseInt(f[8] ?? '0', 10);
  return {
    protocol: f[0] ?? '',
    client: { ...client, port: hexShort(f[2] ?? '') },
    virtual: { family: client.family, address: virtualAddress.address, port: hexShort(f[4] ?? '') },
    destination: { ...destination, port: hexShort(f[6] ?? '') },
    state: f[7] ?? '',
    expires: Number.isNaN(expires) ? 0 : expires >>> 0,
    ...(f.length >= 11 ? { peName: f[9] ?? '', peData: f[10] ?? '' } : {}),
  };
}

const PROTOCOLS: Partial<Record<string, Protocol>> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

/** list_conn: the heading and one line per connection; the table's own first line is skipped. */
export function formatConnections(table: string, format: ListFormat, names: NameResolver): string {
  const lines = table.split('\n');
  if (table === '') throw new IpvsadmExit(1, { stderr: `unexpected input from ${CONNECTION_TABLE_PATH}\n` });
  let out = 'IPVS connection entries\n';
  out += format.persistentConn
    ? `pro expire ${pad('state', 11)} ${pad('source', 18)} ${pad('virtual', 18)} ${pad('destination', 18)} ${pad('pe name', 16)} pe_data\n`
    : `pro expire ${pad('state', 11)} ${pad('source', 18)} ${pad('virtual', 18)} destination\n`;
  const body = lines.slice(1);
  if (body[body.length - 1] === '') body.pop();
  for (const line of body) {
    const c = parseConnectionLine(line);
    if (c === null) throw new IpvsadmExit(1, { stdout: out });
    const protocol = PROTOCOLS[c.protocol] ?? null;
    const name = (e: ConnectionEntry['client']): string => addressPortName(e.family, e.address, e.port, protocol, format.numeric, names);
    const minutes = Math.floor(c.expires / 60);
    const expire = `${String(minutes).padStart(2, '0')}:${String(c.expires % 60).padStart(2, '0')}`;
    const columns = [pad(c.protocol, 3), pad(expire, 6), pad(c.state, 11), pad(name(c.client), 18), pad(name(c.virtual), 18)];
    if (format.persistentConn && c.peName !== undefined) {
      columns.push(pad(name(c.destination), 16), pad(c.peName, 18), c.peData ?? '');
    } else {
      columns.push(name(c.destination));
    }
    out += `${columns.join(' ')}\n`;
  }
  return out;
}
