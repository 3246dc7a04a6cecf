/**
 * The warning that keeps the keyword table honest at run time: every keyword whose status is
 * `parsed` (read and checked, but nothing in the daemon uses it) is reported once per file, at
 * its first occurrence, with how often the file writes it. Inside a `parsed` block (a
 * `virtual_server`, a `bfd_instance`, ...) only the block is reported: its keywords say nothing new.
 * It runs in the analyzer, so `-t`, start-up and any other loader print the same warnings.
 */
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { BlockReading, Entry } from './read-block.js';

const NO_CHECKERS_NO_IPVS = 'health checkers and IPVS are not built yet: running VRRP only';

/** Blocks whose absence changes what the daemon is, said in their own words. */
const BLOCK_MESSAGES: Readonly<Record<string, string>> = {
  virtual_server: `virtual_server blocks are parsed; ${NO_CHECKERS_NO_IPVS}`,
  virtual_server_group: `virtual_server_group blocks are parsed; ${NO_CHECKERS_NO_IPVS}`,
};

const HINT = 'the daemon runs as if it were absent; docs/configuration.md gives the status of every keyword';

interface Sighting {
  readonly entry: Entry;
  count: number;
}

export function reportNotActedOn(root: BlockReading, sink: DiagnosticSink): void {
  const sightings = new Map<string, Sighting>();
  collect(root, sightings);
  for (const { entry, count } of sightings.values()) {
    const name = entry.spec.name;
    const times = count > 1 ? ` (${count} times in this file)` : '';
    const message = BLOCK_MESSAGES[name] ?? `'${name}' is parsed but keepalived-ts does not act on it yet`;
    sink.report('not-implemented', `${message}${times}`, { pos: entry.stmt.pos, keyword: entry.stmt.keyword }, HINT);
  }
}

function collect(reading: BlockReading, sightings: Map<string, Sighting>): void {
  for (const entry of reading.entries) {
    if (entry.spec.status === 'parsed') {
      const key = `${entry.stmt.pos.file}\0${entry.spec.name}`;
      const seen = sightings.get(key);
      if (seen) seen.count++;
      else sightings.set(key, { entry, count: 1 });
    } else if (entry.child) {
      collect(entry.child, sightings);
    }
  }
}
