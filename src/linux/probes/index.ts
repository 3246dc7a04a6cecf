/**
 * Which adapter probes each checker type. A type missing here is not implemented yet: the
 * checker service warns once and leaves its checkers out. MISC_CHECK (MiscProber) and
 * FILE_CHECK (FileCheckProber) are built but need the configuration (script security and
 * script_user; the track_file blocks), which this registry is made without, so they are not
 * listed until the service hands probers the configuration.
 */
import type { CheckerType } from '../../config/model.js';
import type { Prober } from '../../check/probe.js';
import { DnsProber } from './dns.js';
import { HttpProber } from './http.js';
import { PingProber } from './ping.js';
import { SmtpProber } from './smtp.js';
import { TcpProber } from './tcp.js';
import { UdpProber } from './udp.js';

export type ProberRegistry = Partial<Readonly<Record<CheckerType, Prober>>>;

export function linuxProbers(): ProberRegistry {
  const http = new HttpProber();
  return {
    TCP_CHECK: new TcpProber(),
    HTTP_GET: http,
    SSL_GET: http,
    SMTP_CHECK: new SmtpProber(),
    DNS_CHECK: new DnsProber(),
    UDP_CHECK: new UdpProber(),
    PING_CHECK: new PingProber(),
  };
}
