import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackFile } from '../../src/config/model.js';
import { FileCheckProber } from '../../src/linux/probes/file.js';
import { checkerOf } from '../support/checkers.js';

describe('FILE_CHECK on real files', () => {
  let dir: string;
  let files: TrackFile[];
  const pos = { file: 'keepalived.conf', line: 1, col: 1 };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `ckfile${process.pid}-`));
    files = ['state', 'fifo'].map((name) => ({ name, pos, file: join(dir, name), weight: 1, weight_reverse: false, init_file: null }));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const probe = (prober: FileCheckProber, weight: number, reverse = false, trackFile = 'state') =>
    prober.probe({ checker: checkerOf('FILE_CHECK', { track_file: trackFile, weight, weight_reverse: reverse }), ip: '192.0.2.1', port: 80 }, 1000, new AbortController().signal);

  it('with weight 0: a missing file and 0 are up, any other number is down, and it recovers', async () => {
    const prober = new FileCheckProber(files);
    rmSync(join(dir, 'state'), { force: true });
    expect(await probe(prober, 0)).toMatchObject({ ok: true, weightDelta: 0 });
    writeFileSync(join(dir, 'state'), '1\n');
    expect(await probe(prober, 0)).toMatchObject({ ok: false, reason: 'tracked file value 1 means FAULT' });
    expect(await probe(prober, 0, true)).toMatchObject({ ok: true });
    writeFileSync(join(dir, 'state'), '0\n');
    expect(await probe(prober, 0)).toMatchObject({ ok: true });
  });

  it('with a weight adds value x weight to the server, negated by reverse', async () => {
    const prober = new FileCheckProber(files);
    writeFileSync(join(dir, 'state'), '5');
    expect(await probe(prober, 2)).toMatchObject({ ok: true, weightDelta: 10 });
    expect(await probe(prober, 2, true)).toMatchObject({ ok: true, weightDelta: -10 });
    writeFileSync(join(dir, 'state'), '-2147483648');
    expect(await probe(prober, 1)).toMatchObject({ ok: false });
  });

  it('keeps the last good value when the file holds an out-of-range number', async () => {
    const prober = new FileCheckProber(files);
    writeFileSync(join(dir, 'state'), '3');
    expect(await probe(prober, 1)).toMatchObject({ weightDelta: 3 });
    writeFileSync(join(dir, 'state'), '99999999999');
    expect(await probe(prober, 1)).toMatchObject({ ok: true, weightDelta: 3 });
  });

  it('does not hang on a FIFO nobody writes, and names an unknown track_file', async () => {
    const prober = new FileCheckProber(files);
    expect(await probe(prober, 0, false, 'fifo')).toMatchObject({ ok: true });
    expect(await probe(prober, 0, false, 'nosuch')).toMatchObject({ ok: false, reason: 'track_file nosuch not found' });
  });
});
