import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linuxMetricsService } from '../../src/daemon/control-wiring.js';
import type { MetricsService } from '../../src/daemon/metrics-service.js';
import { status } from '../unit/control/fixtures.js';

/**
 * A real Prometheus server scrapes the metrics listener on loopback and can query what it
 * stored: names, labels and values survive its parser, not only promtool's lint.
 */

const installed = spawnSync('prometheus', ['--version']).status === 0;
if (!installed) console.warn('!!! prometheus is missing (apt-get install prometheus): the scrape test is SKIPPED, not passed !!!');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function query(port: number, expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  return body.data.result;
}

describe.skipIf(!installed)('a Prometheus server scraping /metrics', () => {
  let metrics: MetricsService;
  let prometheus: ChildProcess;
  let dir: string;
  let promPort: number;

  beforeAll(async () => {
    metrics = linuxMetricsService({ host: '127.0.0.1', port: 0 });
    await metrics.start({} as never, { log: pino({ level: 'silent' }), publish: () => undefined, snapshot: () => status });
    const target = (metrics.status() as { listen: { port: number } }).listen.port;
    dir = mkdtempSync(join(tmpdir(), `kts-prometheus-${process.pid}-`));
    writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: keepalived-ts\n    static_configs:\n      - targets: ['127.0.0.1:${target}']\n`);
    promPort = await freePort();
    prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' });
  });
  afterAll(async () => {
    prometheus?.kill('SIGKILL');
    await metrics?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the instance state, the VRRP counters and the checker results as scraped', async () => {
    let up: Awaited<ReturnType<typeof query>> = [];
    // prometheus starts, then scrapes every second: wait for its first successful scrape
    for (const until = Date.now() + 45_000; Date.now() < until;) {
      up = await query(promPort, 'up{job="keepalived-ts"} == 1').catch(() => []);
      if (up.length === 1) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(up).toHaveLength(1);
    const state = await query(promPort, 'keepalived_vrrp_state');
    expect(state.map((s) => [s.metric['iname'], s.value[1]]).sort()).toEqual([
      ['VI_1', '1'],
      ['VI_6', '2'],
    ]);
    expect((await query(promPort, 'keepalived_advertisements_received_total{iname="VI_1"}'))[0]?.value[1]).toBe('40');
    expect((await query(promPort, 'keepalived_checker_results_total{result="failure",rs="[192.168.1.10]:80"}'))[0]?.value[1]).toBe('1');
    expect((await query(promPort, 'scrape_samples_scraped{job="keepalived-ts"}'))[0]?.value[1]).not.toBe('0');
  });
});
