/**
 * Which adapter probes each checker type. A type missing here is not implemented yet: the
 * checker service warns once and leaves its checkers out. MISC_CHECK and FILE_CHECK need the
 * configuration (script security and script_user; the track_file blocks), so their probers are
 * made from it, at start and at each reload (configProbers).
 */
import type { CheckerType, KeepalivedConfig } from '../../config/model.js';
import type { Prober } from '../../check/probe.js';
import { DnsProber } from './dns.js';
import { FileCheckProber } from './file.js';
import { HttpProber } from './http.js';
import { MiscProber, type MiscScriptPorts } from './misc.js';
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

/** The probers made from the configuration: scripts under the daemon's script policy, the track files. */
export function configProbers(config: KeepalivedConfig, scripts: MiscScriptPorts): ProberRegistry {
  return {
    MISC_CHECK: new MiscProber(scripts),
    FILE_CHECK: new FileCheckProber(config.track_files),
  };
}
