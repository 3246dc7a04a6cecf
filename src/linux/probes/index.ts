/**
 * Which adapter probes each checker type. A type missing here is not implemented yet: the
 * checker service warns once and leaves its checkers out. checkers-more adds SMTP_CHECK,
 * DNS_CHECK, UDP_CHECK, PING_CHECK, FILE_CHECK and MISC_CHECK here.
 */
import type { CheckerType } from '../../config/model.js';
import type { Prober } from '../../check/probe.js';
import { HttpProber } from './http.js';
import { TcpProber } from './tcp.js';

export type ProberRegistry = Partial<Readonly<Record<CheckerType, Prober>>>;

export function linuxProbers(): ProberRegistry {
  const http = new HttpProber();
  return { TCP_CHECK: new TcpProber(), HTTP_GET: http, SSL_GET: http };
}
