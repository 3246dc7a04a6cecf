import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { renderStatus } from '../../../src/control/render-status.js';
import type { ControlService } from '../../../src/daemon/control-service.js';
import { openDir, startControl } from './harness.js';
import { status } from './fixtures.js';

let service: ControlService;
let path: string;
beforeAll(async () => {
  ({ service, path } = await startControl(() => status));
});
afterAll(() => service.stop());

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('keepalived-ts status and explain', () => {
  it('status prints the tables; --json the snapshot itself', async () => {
    expect(await run('status', '--control-socket', path)).toEqual({ code: 0, out: renderStatus(status), err: '' });
    const json = await run('status', '--json', `--control-socket=${path}`);
    expect(JSON.parse(json.out)).toEqual(status);
  });

  it('explain prints the explanation; --json the instance and its sync group', async () => {
    const text = await run('explain', 'VI_1', '--control-socket', path);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^VI_1: BACKUP because 10\.0\.0\.2 advertises 150 > our effective 100 = 120 base − 20 chk_nginx down\n/);
    const json = await run('explain', '--json', 'VI_1', '--control-socket', path);
    expect(JSON.parse(json.out)).toMatchObject({ instance: { name: 'VI_1' }, syncGroup: { name: 'G1' } });
  });

  it('exits 1 for an unknown instance and for usage errors, 2 when no daemon answers', async () => {
    expect(await run('explain', 'VI_9', '--control-socket', path)).toMatchObject({ code: 1, out: '', err: 'keepalived-ts explain: no VRRP instance "VI_9" (unknown-instance)\n' });
    expect(await run('explain', '--control-socket', path)).toMatchObject({ code: 1, err: expect.stringContaining('explain needs one VRRP instance name') });
    expect(await run('status', 'extra', '--control-socket', path)).toMatchObject({ code: 1, err: expect.stringContaining('Unexpected argument(s): extra') });
    expect(await run('status', '--bogus')).toMatchObject({ code: 1, err: expect.stringContaining('Unknown option --bogus') });
    expect(await run('status', '--control-socket')).toMatchObject({ code: 1, err: expect.stringContaining('Missing parameter') });
    const missing = join(openDir(), 'none.sock');
    expect(await run('status', '--control-socket', missing)).toEqual({
      code: 2,
      out: '',
      err: `keepalived-ts status: ${missing}: no control socket there: is keepalived-ts running, with this --control-socket?\n`,
    });
  });

  it('--help prints the usage', async () => {
    expect(await run('status', '--help')).toMatchObject({ code: 0, out: expect.stringContaining('keepalived-ts explain INSTANCE [--json] [--control-socket PATH]') });
  });
});
