/**
 * `keepalived-ts -T ...` and `keepalived-ts genhash ...`: keepalived's genhash utility
 * (check_genhash.c). Fetches one url and prints the MD5 digest of its body exactly as an
 * HTTP_GET/SSL_GET `digest` is computed (src/check/http-response.ts), or keepalived's words for
 * what went wrong. Like genhash, it exits 0 once the request ran and 1 on a bad command line.
 */
import type { Connection } from '../config/model.js';
import { httpRequest } from '../check/http-request.js';
import { exchange, failureReason } from '../linux/probes/http.js';
import { isFailure, withConnection } from '../linux/probes/connect.js';
import type { Output } from './main.js';

interface GenhashOptions {
  server?: string;
  port?: number;
  url?: string;
  ssl: boolean;
  sni: boolean;
  virtualhost: string | null;
  protocol: string;
  /** check_genhash.c leaves connection_to at UINT_MAX microseconds unless -t is given. */
  timeoutMs: number;
}

const SHORT: Readonly<Record<string, string>> = { s: 'server', V: 'use-virtualhost', p: 'port', u: 'url', m: 'fwmark', P: 'protocol', t: 'timeout' };
const FLAGS: Readonly<Record<string, string>> = { h: 'help', v: 'verbose', S: 'use-ssl', I: 'use-sni' };

export function genhashUsage(): string {
  return [
    'Usage: keepalived-ts -T COMMAND [OPTIONS]   (or: keepalived-ts genhash COMMAND [OPTIONS])',
    'Commands:',
    '   -s server-address -p port -u url',
    '   -S -s server-address -p port -u url',
    '   -h',
    '',
    'Options:',
    'Either long or short options are allowed.',
    '   --use-ssl         -S       Use SSL connection to remote server.',
    '   --use-sni         -I       Use SNI during SSL handshake (uses virtualhost setting; see -V).',
    '   --server          -s       Use the specified remote server address.',
    '   --port            -p       Use the specified remote server port.',
    '   --url             -u       Use the specified remote server url.',
    '   --use-virtualhost -V       Use the specified virtualhost in GET query.',
    "   --protocol        -P       Use the specified HTTP protocol - '1.0', 1.0c', '1.1'.",
    "                                1.0c means 1.0 with 'Connection: close'",
    '   --timeout         -t       Timeout in seconds',
    '   --help            -h       Display this short inlined help screen.',
    'Not implemented here: --verbose/-v (header and body hex dumps) and --fwmark/-m.',
    '',
  ].join('\n');
}

/** check_genhash_parse_cmdline(): the options, or the message that makes it print the usage. */
export function parseGenhash(argv: readonly string[]): GenhashOptions | { error: string } {
  const o: GenhashOptions = { ssl: false, sni: false, virtualhost: null, protocol: '1.0', timeoutMs: 4_294_967.295 };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    let name: string | undefined;
    let value: string | undefined;
    if (word.startsWith('--')) {
      const [n, v] = word.slice(2).split(/=(.*)/s);
      name = n;
      value = v;
    } else if (/^-[A-Za-z]/.test(word)) {
      const letter = word[1]!;
      name = SHORT[letter] ?? FLAGS[letter];
      if (name === undefined) return { error: `Unknown option -${letter}` };
      if (word.length > 2) value = word.slice(2);
    } else return { error: `Unexpected argument(s): ${argv.slice(i).join(' ')}` };
    const takesValue = Object.values(SHORT).includes(name!);
    if (!takesValue && !Object.values(FLAGS).includes(name!)) return { error: `Unknown option ${word}` };
    if (takesValue && value === undefined) {
      value = argv[++i];
      if (value === undefined) return { error: word.startsWith('--') ? `Missing parameter for option --${name}` : `Missing parameter for option ${word}` };
    }
    switch (name) {
      case 'help':
        return { error: '' };
      case 'verbose':
        return { error: 'genhash --verbose (hex dumps) is not implemented in keepalived-ts' };
      case 'fwmark':
        return { error: 'genhash --fwmark is not implemented in keepalived-ts' };
      case 'use-ssl':
        o.ssl = true;
        break;
      case 'use-sni':
        o.sni = true;
        break;
      case 'server':
        if (!/^[\d.]+$|:/.test(value!)) return { error: `server should be an IP, not ${value}` };
        o.server = value!;
        break;
      case 'use-virtualhost':
        o.virtualhost = value!;
        break;
      case 'port': {
        const port = /^\d+$/.test(value!) ? Number(value) : NaN;
        if (!(port > 0 && port <= 65535)) return { error: `invalid port number '${value}'` };
        o.port = port;
        break;
      }
      case 'url':
        o.url = value!;
        break;
      case 'protocol':
        if (!['1.0', '1.0c', '1.0C', '1.1'].includes(value!)) return { error: `invalid HTTP protocol version '${value}'` };
        o.protocol = value!;
        break;
      case 'timeout': {
        const t = value!.trimStart();
        if (!/^\d+$/.test(t)) return { error: `invalid timeout '${value}'` };
        o.timeoutMs = Number(t) * 1000;
        break;
      }
    }
  }
  if (o.server === undefined || o.port === undefined || o.url === undefined) return { error: '' };
  return o;
}

export async function runGenhash(argv: readonly string[], io: Output): Promise<number> {
  const parsed = parseGenhash(argv);
  if ('error' in parsed) {
    if (parsed.error) io.err(`${parsed.error}\n`);
    io.err(genhashUsage());
    return 1;
  }
  const co: Connection = { connect_ip: parsed.server!, connect_port: parsed.port!, bindto: null, bind_port: null, bind_if: null, connect_timeout: parsed.timeoutMs / 1000, fwmark: null };
  const request = httpRequest({ path: parsed.url!, protocol: parsed.protocol, virtualhost: parsed.virtualhost, ip: co.connect_ip, port: co.connect_port });
  const tls = parsed.ssl ? { servername: parsed.sni && parsed.virtualhost !== null ? parsed.virtualhost : undefined } : null;
  const signal = new AbortController().signal;
  const result = await withConnection(co, tls, parsed.timeoutMs, signal, (socket, io2) => exchange(socket, request, io2, ANY));
  // timeout_epilog() in genhash mode prints its message; http_handle_response() the digest
  if (isFailure(result)) io.out(`${failureReason(result, parsed.ssl)}\n`);
  else if (result.digest === null) io.err('no data received from remote webserver\n');
  else io.out(`${result.digest}\n`);
  return 0;
}

/** genhash judges nothing: it prints whatever digest the body has. */
const ANY = { digest: null, regex: null, regexNoMatch: false, regexMinOffset: 0, regexMaxOffset: 0, statusCodes: [[0, 999]] } as const;
