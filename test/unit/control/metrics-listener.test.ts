import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsService } from '../../../src/daemon/metrics-service.js';
import { listenMetrics, sampleProcess } from '../../../src/linux/metrics-listener.js';
import { fakeContext, noConfig } from './harness.js';
import { status } from './fixtures.js';

let service: MetricsService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

function get(port: number, path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function startMetrics(snapshot = () => status): Promise<number> {
  service = new MetricsService({ listen: listenMetrics, sample: sampleProcess }, { host: '127.0.0.1', port: 0 });
  await service.start(noConfig, fakeContext(snapshot));
  return (service.status() as { listen: { port: number } }).listen.port;
}

describe('metrics listener', () => {
  it('serves the metrics of the snapshot and of this process at /metrics, in the 0.0.4 text format', async () => {
    const port = await startMetrics();
    const page = await get(port, '/metrics');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(page.body).toContain('keepalived_vrrp_state{iname="VI_1",intf="eth0",vrid="51"} 1\n');
    expect(page.body).toMatch(/^process_resident_memory_bytes [1-9]\d+$/m);
    expect(page.body).toMatch(/^process_open_fds [1-9]\d*$/m);
    expect(service?.status()).toMatchObject({ scrapes: 1 });
    if (spawnSync('promtool', ['--version']).status === 0) {
      expect(spawnSync('promtool', ['check', 'metrics'], { input: page.body }).status).toBe(0);
    } else console.warn('!!! promtool is missing: the scraped page was NOT checked with promtool !!!');
  });

  it('answers other paths 404, other methods 405, and a failing snapshot 500, and keeps serving', async () => {
    let fail = true;
    const port = await startMetrics(() => {
      if (fail) throw new Error('boom');
      return status;
    });
    expect((await get(port, '/')).status).toBe(404);
    expect((await get(port, '/metrics', 'POST')).status).toBe(405);
    expect((await get(port, '/metrics')).status).toBe(500);
    fail = false;
    expect((await get(port, '/metrics?x=1')).status).toBe(200);
    expect((await get(port, '/metrics', 'HEAD')).body).toBe('');
  });

  it('runs on without metrics, saying why, when it cannot bind its address', async () => {
    const port = await startMetrics();
    const second = new MetricsService({ listen: listenMetrics, sample: sampleProcess }, { host: '127.0.0.1', port });
    await second.start(
      noConfig,
      fakeContext(() => status),
    );
    expect(second.status()).toMatchObject({ listen: null, error: { code: 'metrics-listen', message: expect.stringContaining('EADDRINUSE') } });
  });
});
