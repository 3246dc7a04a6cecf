/**
 * The Prometheus scrape endpoint: GET /metrics over plain HTTP on the address of
 * `--metrics-listen`. The body is built from the daemon's status at each scrape; nothing is
 * cached or pushed. Also the process sample (CPU, memory, descriptors) the metrics include.
 */
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXPOSITION_CONTENT_TYPE } from '../control/exposition.js';
import type { ProcessSample } from '../control/metrics.js';
import type { HttpListener, HttpListenerOptions } from '../control/ports.js';
import { KeepalivedError } from '../errors.js';

export async function listenMetrics(options: HttpListenerOptions): Promise<HttpListener> {
  let scrapes = 0;
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: the metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('Method not allowed\n');
      return;
    }
    let body: string;
    try {
      body = options.metrics();
    } catch (err) {
      options.log.error({ err }, 'metrics: could not build the page');
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Could not build the metrics\n');
      return;
    }
    scrapes++;
    res.writeHead(200, { 'Content-Type': EXPOSITION_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  // a scraper that connects and stalls must not hold a socket for long
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  server.maxConnections = 64;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new KeepalivedError('metrics-listen', `--metrics-listen ${options.host}:${options.port}: ${err.message}`, { cause: err })));
    server.listen(options.port, options.host, resolve);
  });
  server.on('error', (err) => options.log.error({ err }, 'metrics listener error'));
  const bound = server.address() as AddressInfo;
  return {
    address: { host: bound.address, port: bound.port },
    scrapes: () => scrapes,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const startTimeSeconds = Date.now() / 1000 - process.uptime();

/** The process's own numbers for the metrics page. */
export function sampleProcess(): ProcessSample {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  let openFds: number | undefined;
  try {
    // minus the descriptor readdir itself holds open on the directory
    openFds = readdirSync('/proc/self/fd').length - 1;
  } catch {
    openFds = undefined;
  }
  return {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    residentMemoryBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    startTimeSeconds,
    ...(openFds !== undefined ? { openFds } : {}),
  };
}
