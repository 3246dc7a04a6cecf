/**
 * The reload's configuration reader on a worker thread (src/linux/config-worker.ts), run from
 * dist/ as the daemon runs it: the same LoadedConfig as loadConfig on the main thread, errors and
 * their locations included, and the main thread free while it reads; a reader whose thread was
 * started ahead reads the file as it is when asked, once per thread, and never holds the process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';

type Module = typeof import('../../../src/linux/config-worker.js');
const { ConfigReader, loadConfigOffThread } = (await import(resolve('dist/linux/config-worker.js'))) as Module;

const dir = mkdtempSync(join(tmpdir(), `kts-config-worker-${process.pid}-`));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const instance = (n: number, priority: string) => `vrrp_instance VI_${n} {\n  interface eth0\n  virtual_router_id ${n}\n  priority ${priority}\n  virtual_ipaddress { 10.0.${n >> 8}.${n & 255} }\n}\n`;

describe('loadConfigOffThread', () => {
  it('answers what loadConfig answers on the main thread, for a good file and one with a located error', async () => {
    for (const [name, text] of [
      ['good.conf', instance(1, '100') + instance(2, '90')],
      ['bad.conf', instance(1, '100') + instance(2, 'banana')],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const options = { configId: 'lb1', hostname: 'lb1' };
      expect(await loadConfigOffThread(file, options)).toEqual(loadConfig(file, options));
    }
    const bad = await loadConfigOffThread(join(dir, 'bad.conf'), { hostname: 'lb1' });
    expect(bad.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.pos?.line}:${d.pos?.col}`)).toEqual(['10:12']);
  });

  it('leaves the main thread free while it reads a large file: timers keep firing', async () => {
    const file = join(dir, 'large.conf');
    writeFileSync(file, Array.from({ length: 2000 }, (_, i) => instance(i + 1, '100')).join(''));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const loading = loadConfigOffThread(file, { hostname: 'lb1' });
    const before = ticks;
    const loaded = await loading;
    clearInterval(timer);
    expect(loaded.read.vrrp_instances).toHaveLength(2000);
    // a synchronous load would have let no timer fire between the call and its result
    expect(ticks).toBeGreaterThan(before);
  });
});

describe('ConfigReader', () => {
  it('a thread started ahead reads the file as it is when the read is asked for, and each read gets a thread of its own', async () => {
    const file = join(dir, 'ahead.conf');
    writeFileSync(file, instance(1, '100'));
    const reader = new ConfigReader({ file, options: { hostname: 'lb1' } });
    reader.prepare();
    writeFileSync(file, instance(1, '100') + instance(2, '90'));
    expect((await reader.read()).read.vrrp_instances).toHaveLength(2);
    // the thread that read has ended; a read with none prepared starts its own
    writeFileSync(file, instance(3, '80'));
    expect((await reader.read()).read.vrrp_instances.map((i) => i.name)).toEqual(['VI_3']);
    reader.prepare();
    reader.prepare();
    writeFileSync(file, instance(4, '80'));
    expect((await reader.read()).read.vrrp_instances.map((i) => i.name)).toEqual(['VI_4']);
    reader.close();
  });

  it('a thread waiting for its read does not keep the process alive', () => {
    const file = join(dir, 'idle.conf');
    writeFileSync(file, instance(1, '100'));
    const script = `const { ConfigReader } = await import(${JSON.stringify(resolve('dist/linux/config-worker.js'))}); new ConfigReader({ file: ${JSON.stringify(file)}, options: {} }).prepare(); console.log('prepared');`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.stdout.trim()).toBe('prepared');
    expect(child.status).toBe(0);
  });
});
