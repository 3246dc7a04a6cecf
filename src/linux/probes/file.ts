import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { judgeTrackFileValue, parseTrackFileValue, TRACK_FILE_READ_LENGTH } from '../../check/file-check.js';
import type { Prober, ProbeResult, ProbeTarget } from '../../check/probe.js';
import type { TrackFile } from '../../config/model.js';
import { resultClock } from './attempt.js';

/**
 * FILE_CHECK: reads its track_file's file at each attempt (keepalived re-reads it on every
 * inotify event instead, so a change is seen here at the next check, up to delay_loop later)
 * and judges the number with src/check/file-check.ts. A missing or empty file reads as 0; an
 * out-of-range number keeps the last good value, as keepalived keeps its last status.
 */
export class FileCheckProber implements Prober {
  private readonly files: ReadonlyMap<string, TrackFile>;
  private readonly lastValue = new Map<string, number>();

  constructor(trackFiles: readonly TrackFile[]) {
    this.files = new Map(trackFiles.map((f) => [f.name, f]));
  }

  async probe(target: ProbeTarget, _deadlineMs: number, _signal: AbortSignal): Promise<ProbeResult> {
    const result = resultClock();
    const checker = target.checker;
    if (checker.type !== 'FILE_CHECK') return result(false, `not a FILE_CHECK: ${checker.type}`);
    const file = checker.track_file === null ? undefined : this.files.get(checker.track_file);
    if (file?.file == null) return result(false, `track_file ${checker.track_file ?? '(none)'} not found`);
    const parsed = parseTrackFileValue(await readHead(file.file), file.file);
    const value = parsed.ok ? parsed.value : (this.lastValue.get(file.file) ?? 0);
    this.lastValue.set(file.file, value);
    // check_file.c file_end_handler(): without its own weight the checker takes the track_file's
    const verdict = checker.weight === null ? judgeTrackFileValue(value, file.weight, file.weight_reverse) : judgeTrackFileValue(value, checker.weight, checker.weight_reverse);
    const read = parsed.ok ? '' : `${parsed.reason}; `;
    if (!verdict.ok) return result(false, `${read}${verdict.reason}`);
    return result(true, `${read}tracked file ${file.file} value ${value}`, { weightDelta: verdict.weightDelta });
  }
}

/** The first octets of the file as text, or "" when it cannot be read; non-blocking, so a FIFO cannot hang the check. */
async function readHead(path: string): Promise<string> {
  try {
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const buffer = Buffer.alloc(TRACK_FILE_READ_LENGTH);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead).toString('latin1');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}
