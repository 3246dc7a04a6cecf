/** What one url of an HTTP_GET/SSL_GET checker sends and expects, from the configuration. */
import type { Checker, HttpUrl } from '../config/model.js';
import type { HttpExpectations } from './http-response.js';
import { httpRequest } from './http-request.js';

export type HttpChecker = Extract<Checker, { type: 'HTTP_GET' | 'SSL_GET' }>;

export function urlRequest(checker: HttpChecker, url: HttpUrl): string {
  return httpRequest({
    path: url.path ?? '/',
    protocol: checker.http_protocol,
    virtualhost: url.virtualhost ?? checker.virtualhost,
    ip: checker.connect_ip,
    port: checker.connect_port,
  });
}

/** The name sent in SNI: check_ssl.c ssl_connect() takes sni_name, else the url's or checker's virtualhost. */
export function sniName(checker: HttpChecker, url: HttpUrl): string | undefined {
  if (!checker.enable_sni) return undefined;
  return checker.sni_name ?? url.virtualhost ?? checker.virtualhost ?? undefined;
}

/** A url's regex compiled once; an invalid pattern is reported by the caller and never matches. */
export function urlExpectations(url: HttpUrl, regex: RegExp | null): HttpExpectations {
  return {
    digest: url.digest,
    regex,
    regexNoMatch: url.regex_no_match,
    regexMinOffset: url.regex_min_offset,
    regexMaxOffset: url.regex_max_offset,
    statusCodes: url.status_code,
  };
}
