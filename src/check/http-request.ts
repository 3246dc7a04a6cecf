/**
 * The GET request keepalived's HTTP_GET/SSL_GET send, byte for byte (check_http.c
 * http_request_thread() and request_template). The Host header is the url's virtualhost, else
 * the checker's (already inherited from the real and virtual server), else the address and port.
 */
import { familyOf } from '../net/ip-address.js';

export interface HttpRequestParams {
  readonly path: string;
  /** `1.0`, `1.0C` (or `1.0c`), `1.1`. */
  readonly protocol: string;
  readonly virtualhost: string | null;
  readonly ip: string;
  readonly port: number;
}

export function httpRequest(p: HttpRequestParams): string {
  const version = p.protocol === '1.1' ? 1 : 0;
  const close = p.protocol === '1.0' ? '' : 'Connection: close\r\n';
  // RFC 2732: a literal IPv6 address is bracketed in Host
  const host = p.virtualhost ?? (familyOf(p.ip) === 'inet6' ? `[${p.ip}]:${p.port}` : `${p.ip}:${p.port}`);
  return `GET ${p.path} HTTP/1.${version}\r\nUser-Agent: KeepAliveClient\r\n${close}Host: ${host}\r\n\r\n`;
}
