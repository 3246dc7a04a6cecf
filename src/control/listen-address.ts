/**
 * `--metrics-listen HOST:PORT`, as Prometheus exporters write it: `127.0.0.1:9650`,
 * `[::1]:9650`, or `:9650` for every address.
 */
import { KeepalivedError } from '../errors.js';
import { ipFamily } from '../net/ip-address.js';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export function parseListenAddress(text: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  const host = m?.[1] ?? m?.[2] ?? '';
  const hostOk = host === '' ? m?.[1] === undefined : m?.[1] !== undefined ? ipFamily(host) === 6 : ipFamily(host) === 4 || /^[A-Za-z0-9.-]+$/.test(host);
  if (!m || !hostOk || port > 65535) {
    throw new KeepalivedError('bad-listen-address', `--metrics-listen ${JSON.stringify(text)}: expected HOST:PORT, [IPv6]:PORT or :PORT`);
  }
  return { host: host === '' ? '::' : host, port };
}
