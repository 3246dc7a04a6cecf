/**
 * bench/vrrp-reload: how long the pure core takes to reload many VRRP instances
 * (`nodeReconfigure`) and to answer the dry-run (`planVrrpReload`). `--instances` instances with
 * `--vips` VIPs each, every other one Master; reported as the median of `--runs` runs, in a
 * Markdown table. A measurement, not a test: it prints numbers and fails only if something
 * cannot run.
 */
import { performance } from 'node:perf_hooks';
import { createNode, instanceConfig, nodeBroadcast, nodeReconfigure, nodeStep, planVrrpReload, type InstanceConfig, type VrrpNode } from '../../src/vrrp/index.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

const count = option('instances', 1000);
const vips = option('vips', 10);
const runs = option('runs', 9);

/** Instance i on its own VRID and interface; `shift` moves its VIPs by that many addresses. */
function instance(i: number, priority: number, shift = 0): InstanceConfig {
  return instanceConfig({
    name: `VI_${i}`,
    vrid: (i % 255) + 1,
    primaryAddress: '10.0.0.1',
    priority,
    virtualAddresses: Array.from({ length: vips }, (_, k) => `10.${Math.floor(i / 250)}.${i % 250}.${k + shift + 1}`),
    endpoint: { ifname: `eth${Math.floor(i / 255)}`, family: 'inet', multicastGroup: '224.0.0.18' },
  });
}

const configs = Array.from({ length: count }, (_, i) => instance(i, 100));
let node: VrrpNode = nodeBroadcast(createNode(configs), { type: 'startup' }, 0).node;
for (let i = 0; i < count; i += 2) node = nodeStep(node, `VI_${i}`, { type: 'timer', timer: 'masterDown' }, 3609.375).node;

/** Every tenth instance gets another priority, every tenth (offset by four, a Master) one VIP swapped. */
const changed = configs.map((c, i) => (i % 10 === 0 ? { ...c, priority: 150 } : i % 10 === 4 ? instance(i, 100, 1) : c));

function median(f: () => unknown): { ms: number; result: unknown } {
  const times: number[] = [];
  let result: unknown;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    result = f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, result };
}

const same = median(() => nodeReconfigure(node, { type: 'reconfigure', instances: configs.map((c) => ({ ...c })), groups: [], trackers: {} }, 4000));
const diff = median(() => nodeReconfigure(node, { type: 'reconfigure', instances: changed, groups: [], trackers: {} }, 4000));
const plan = median(() => planVrrpReload(configs, changed));
const actions = (r: unknown): number => (r as { actions: unknown[] }).actions.length;

console.log(`| ${count} instances x ${vips} VIPs, median of ${runs} | ms | actions |`);
console.log('|---|---:|---:|');
console.log(`| nodeReconfigure, same file | ${same.ms.toFixed(1)} | ${actions(same.result)} |`);
console.log(`| nodeReconfigure, 10% priority + 10% one VIP swapped | ${diff.ms.toFixed(1)} | ${actions(diff.result)} |`);
console.log(`| planVrrpReload (dry run), same change | ${plan.ms.toFixed(1)} | |`);
