/**
 * Which adapter probes each checker type. A type missing here is not implemented yet: the
 * checker service warns once and leaves its checkers out. MISC_CHECK and FILE_CHECK need the
 * configuration (script security and script_user; the track_file blocks), and so does SSL_GET
 * when an SSL block names client files, so those probers are made from it, at start and at each
 * reload (configProbers).
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { CheckerType, KeepalivedConfig, SslSettings } from '../../config/model.js';
import type { Prober } from '../../check/probe.js';
import { DnsProber } from './dns.js';
import { FileCheckProber } from './file.js';
import { HttpProber, type ClientTls } from './http.js';
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
    ...(config.ssl ? { SSL_GET: new HttpProber(clientTls(config.ssl)) } : {}),
    MISC_CHECK: new MiscProber(scripts),
    FILE_CHECK: new FileCheckProber(config.track_files),
  };
}

/** check_ssl.c init_ssl_ctx(): the SSL block's files, read once per configuration. */
export function clientTls(ssl: SslSettings): ClientTls {
  const read = (what: string, path: string | null): Buffer | undefined => {
    if (path === null) return undefined;
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`cannot load the SSL ${what} file ${path}: ${(error as Error).message}`);
    }
  };
  try {
    const ca = read('ca', ssl.ca);
    const cert = read('certificate', ssl.certificate);
    const key = read('key', ssl.key);
    const client = { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), ...(ssl.password !== null ? { passphrase: ssl.password } : {}) };
    // a key that does not match, or a wrong password, is found here once, not at every check
    createSecureContext(client);
    return client;
  } catch (error) {
    return { error: (error as Error).message };
  }
}
