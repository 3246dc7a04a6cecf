/**
 * Runs inside the guest: reads a JSON list of IpvsClient calls on stdin, runs them in order
 * through the generic-netlink client against the guest kernel, and prints one JSON line per call
 * ({ ok } or { error: { code, message } }). Extra methods: `readTable`, `reconcile`, and
 * `counters` (the client's netlink requests and writes so far).
 */
import { readFileSync } from 'node:fs';
import { openNetlinkIpvs } from '../../../src/linux/ipvs-netlink.js';
import { readTable, reconcile } from '../../../src/ipvs/apply.js';
import type { IpvsClient } from '../../../src/ipvs/types.js';

export interface DriverCall {
  method: keyof IpvsClient | 'readTable' | 'reconcile' | 'counters';
  args?: unknown[];
}

const calls = JSON.parse(readFileSync(0, 'utf8')) as DriverCall[];
const client = await openNetlinkIpvs();
const bigints = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);
for (const call of calls) {
  const args = call.args ?? [];
  try {
    let result: unknown;
    if (call.method === 'readTable') result = await readTable(client);
    else if (call.method === 'counters') result = { ...client.counters };
    else if (call.method === 'reconcile') {
      const outcome = await reconcile(client, args[0] as never, args[1] as never);
      result = { steps: outcome.steps.map((s) => s.kind), writes: outcome.writes, failures: outcome.failures.map((f) => String(f.error)) };
    } else result = await (client[call.method] as (...a: unknown[]) => Promise<unknown>).apply(client, args);
    process.stdout.write(`${JSON.stringify({ ok: result ?? null }, bigints)}\n`);
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    process.stdout.write(`${JSON.stringify({ error: { code: code ?? 'UNKNOWN', message: message ?? String(error) } })}\n`);
  }
}
client.close();
