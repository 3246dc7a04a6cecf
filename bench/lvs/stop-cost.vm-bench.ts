/**
 * What emptying a 1,000 x 10 IPVS table costs the kernel in the vm, whoever asks:
 * `npx vitest run --project bench-vm bench/lvs/stop-cost` (KTS_BENCH_SIZE=100x10 for a quick one,
 * KTS_BENCH_ROUNDS rounds, default 3). In one boot, each round fills the table with `ipvsadm -R`
 * and empties it four ways, timed on the guest's clock: (a) `ipvsadm -C` (IPVS_CMD_FLUSH),
 * (b) one `-D` per service through `ipvsadm -R`, (c) our client deleting every service (every
 * DEL_SERVICE handed over at once, as stop does when others' services are there), (d) our client
 * flushing (as stop does when only ours are). (c) and (d) take the services dump stop takes first,
 * timed on its own.
 * Tells whether the 2 s stop goal (issue 10) is within the kernel's reach under TCG. Results:
 * docs/performance.md, "LVS controller (bench/lvs)".
 */
import { describe, expect, it } from 'vitest';
import { vm } from '../../test/vm/harness/vm.js';

const [services = 1000, perService = 10] = (process.env.KTS_BENCH_SIZE ?? '1000x10').split('x').map(Number);
const ROUNDS = Number(process.env.KTS_BENCH_ROUNDS ?? 3);
const DIR = `/tmp/bench-lvs-stop-${process.pid}`;
const LONG = { timeoutMs: 1_800_000 };

const vip = (s: number): string => `10.80.${s >> 8}.${s & 255}:80`;

function restoreFill(): string {
  const lines: string[] = [];
  for (let s = 0; s < services; s++) {
    lines.push(`-A -t ${vip(s)} -s wrr`);
    for (let r = 1; r <= perService; r++) lines.push(`-a -t ${vip(s)} -r 10.81.${r >> 8}.${r & 255}:80 -m -w 1`);
  }
  return `${lines.join('\n')}\n`;
}

function restoreDelete(): string {
  return `${Array.from({ length: services }, (_, s) => `-D -t ${vip(s)}`).join('\n')}\n`;
}

/**
 * (c) with argv[2] 'delete', (d) with 'flush': our client, from dist; prints {dumpMs, emptyMs,
 * services} on the guest's clock (the client is opened before timing, as the daemon's is).
 */
const OURS = `
const { openNetlinkIpvs } = await import(process.argv[1] + '/dist/linux/ipvs-netlink.js');
const { applySteps } = await import(process.argv[1] + '/dist/ipvs/apply.js');
const client = await openNetlinkIpvs();
const t0 = performance.now();
const found = await client.services({ stats: false });
const t1 = performance.now();
const result = process.argv[2] === 'flush' ? (await client.flush(), { failures: [] }) : await applySteps(client, found.map((s) => ({ kind: 'delete-service', key: s.key })));
const t2 = performance.now();
client.close();
console.log(JSON.stringify({ services: found.length, failures: result.failures.length, dumpMs: Math.round(t1 - t0), emptyMs: Math.round(t2 - t1) }));
`;

/** Milliseconds (guest clock) a shell command took, and the table's lines left after it. */
async function timed(command: string): Promise<{ ms: number; left: number }> {
  const out = await vm.sh(`s=$(date +%s%N); ${command}; e=$(date +%s%N); echo $(( (e - s) / 1000000 )) $(tail -n +4 /proc/net/ip_vs | wc -l)`, LONG);
  expect(out.code).toBe(0);
  const [ms = NaN, left = NaN] = out.stdout.trim().split('\n').pop()!.split(' ').map(Number);
  return { ms, left };
}

async function fill(): Promise<void> {
  await vm.run('ipvsadm', ['-C']);
  await vm.run('/bin/sh', ['-c', `ipvsadm -R < ${DIR}/fill`], LONG);
  const lines = Number((await vm.run('/bin/sh', ['-c', 'tail -n +4 /proc/net/ip_vs | wc -l'])).trim());
  expect(lines).toBe(services * (1 + perService));
}

describe('bench/lvs stop cost', () => {
  it(`empties ${services} x ${perService}: flush, -D per service, our client`, async () => {
    await vm.sh(`mkdir -p ${DIR}`);
    await vm.run('/bin/sh', ['-c', `cat > ${DIR}/fill`], { input: restoreFill() });
    await vm.run('/bin/sh', ['-c', `cat > ${DIR}/delete`], { input: restoreDelete() });
    const rounds: Array<Record<string, unknown>> = [];
    for (let round = 0; round < ROUNDS; round++) {
      await fill();
      const flush = await timed('ipvsadm -C');
      await fill();
      const deletes = await timed(`ipvsadm -R < ${DIR}/delete`);
      const ours: Record<string, unknown> = {};
      for (const how of ['delete', 'flush']) {
        await fill();
        const out = await vm.run(process.execPath, ['--input-type=module', '-e', OURS, process.cwd(), how], LONG);
        const left = Number((await vm.run('/bin/sh', ['-c', 'tail -n +4 /proc/net/ip_vs | wc -l'])).trim());
        ours[how] = { ...(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, number>), left };
      }
      rounds.push({ flush, ipvsadmDeletes: deletes, ours });
      console.log(JSON.stringify({ round, ...rounds[round], hostLoad1: (await import('node:os')).loadavg()[0] }));
      expect(rounds[round]).toMatchObject({ flush: { left: 0 }, ipvsadmDeletes: { left: 0 }, ours: { delete: { left: 0, failures: 0 }, flush: { left: 0 } } });
    }
    const [load1, load5] = (await import('node:os')).loadavg();
    console.log(JSON.stringify({ size: `${services}x${perService}`, hostLoadAverage: { '1min': load1, '5min': load5 }, rounds }));
  });
});
