/**
 * The LVS controller's own cost on the host, without a kernel: `bench/lvs/run.sh [1000x10]`. For 1,000 virtual servers x 10 real servers
 * each with one checker: the core's start and first table, the first apply into the in-memory
 * kernel, 10,000 checker results as one burst, 1,000 results one per tick (each a state step
 * and a desired table), and one result's desired table and incremental pass, planned over the
 * whole table and over the changed service only.
 */
import { analyze } from '../../src/config/analyze.js';
import { memoryFileSystem } from '../../src/config/file-system.js';
import { parseConfigFile } from '../../src/config/parse-config.js';
import { realServerKey, virtualServerKey } from '../../src/check/health.js';
import { IpvsTableKeeper } from '../../src/ipvs/table-keeper.js';
import { MemoryIpvsClient } from '../../src/ipvs/memory-client.js';
import { changedServices } from '../../src/lvs/changed-services.js';
import { desiredTable } from '../../src/lvs/desired-table.js';
import { onHealth, onHealthBatch, startLvs } from '../../src/lvs/lvs-state.js';

const [services = 1000, perService = 10] = (process.argv[2] ?? '1000x10').split('x').map(Number);
const blocks: string[] = [];
for (let s = 0; s < services; s++) {
  const servers: string[] = [];
  for (let r = 1; r <= perService; r++) servers.push(`real_server 10.81.${r >> 8}.${r & 255} 80 {\n TCP_CHECK { }\n}`);
  blocks.push(`virtual_server 10.80.${s >> 8}.${s & 255} 80 {\nprotocol TCP\nlvs_sched wrr\nlvs_method NAT\n${servers.join('\n')}\n}`);
}
const file = '/etc/keepalived/keepalived.conf';
const config = analyze(parseConfigFile(file, { fs: memoryFileSystem({ [file]: blocks.join('\n') }), configId: 'bench', env: {} }).statements).config;

const time = async <T>(what: string, work: () => T | Promise<T>): Promise<T> => {
  const start = performance.now();
  const result = await work();
  console.log(`${what}: ${(performance.now() - start).toFixed(1)} ms`);
  return result;
};

const start = await time('startLvs (state and logs)', () => startLvs(config));
const table = await time('desiredTable', () => desiredTable(start.state));
const keeper = new IpvsTableKeeper(new MemoryIpvsClient());
await time('first apply into MemoryIpvsClient (full pass)', () => keeper.apply(table));
const events = config.virtual_servers.flatMap((vs) =>
  vs.real_servers.map((rs) => ({ type: 'checker' as const, ref: { vs: virtualServerKey(vs), rs: realServerKey(rs), checker: 0 }, up: false, reason: 'bench' })),
);
let state = start.state;
await time(`${events.length} checker results in one batch (a burst, as the service steps them)`, () => {
  state = onHealthBatch(state, events).state;
});
await time(`${Math.min(events.length, 1000)} checker results, each a step and a desired table`, () => {
  for (const event of events.slice(0, 1000)) {
    state = onHealth(state, { ...event, up: true }).state;
    desiredTable(state);
  }
});
await keeper.apply(desiredTable(state));

/** The median of `runs` passes, each one checker result flipping server `i` of the table. */
async function medianPass(runs: number, pass: (before: typeof state, after: typeof state) => Promise<unknown>): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const next = onHealth(state, { ...events[i % events.length]!, up: i % 2 === 0 }).state;
    const begin = performance.now();
    await pass(state, next);
    times.push(performance.now() - begin);
    state = next;
  }
  return (times.sort((a, b) => a - b)[runs >> 1] ?? 0).toFixed(2);
}
console.log(`one result, desired table and incremental pass over the whole table (median of 21): ${await medianPass(21, async (_b, a) => keeper.apply(desiredTable(a)))} ms`);
console.log(
  `one result, desired table and incremental pass over the changed service, as LvsService does (median of 21): ${await medianPass(21, async (b, a) => keeper.apply(desiredTable(a), changedServices(b, a)))} ms`,
);
console.log(`rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);
