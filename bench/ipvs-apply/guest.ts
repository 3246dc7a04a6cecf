/**
 * bench/ipvs-apply, one phase per run inside the vm guest (argv: services, destinations per
 * service, mode, dump sockets). Modes, in the order the host runs them:
 *   noop                     only builds the tables: the fixed cost of a run
 *   ours-full                reconciles an empty kernel to 1,000 services x 10 destinations
 *   ours-read                reads the table back (readTable) and nothing else
 *   ours-change-full         reconciles to the table with 1 % of the weights changed: read-back + plan + apply
 *   ours-change-incremental  a daemon's IpvsTableKeeper: a full check (read-back, no writes), then
 *                            the change back to the first table planned from memory; the guest
 *                            clocks that last pass alone as `incrementalGuestMs`
 *   ipvsadm-full, ipvsadm-change  `ipvsadm -R` fed the same table, then the same edits
 * The host times each run: the guest's own clock runs ahead of the host's under load, so it is
 * used only for the part of a run no other phase isolates. Prints one JSON object.
 */
import { execFileSync } from 'node:child_process';
import { openNetlinkIpvs } from '../../src/linux/ipvs-netlink.js';
import { readTable, reconcile } from '../../src/ipvs/apply.js';
import { IpvsTableKeeper } from '../../src/ipvs/table-keeper.js';
import type { Destination, Service, Table } from '../../src/ipvs/types.js';

const SERVICES = Number(process.argv[2] ?? 1000);
const PER_SERVICE = Number(process.argv[3] ?? 10);

function build(): Table {
  const services: Table['services'][number][] = [];
  for (let s = 0; s < SERVICES; s++) {
    const service: Service = {
      key: { family: 'inet', protocol: 'tcp', address: `10.${100 + (s >> 8)}.${s & 255}.1`, port: 80 },
      scheduler: 'wrr',
      flags: 0,
      timeout: 0,
      netmask: '255.255.255.255',
    };
    const destinations: Destination[] = [];
    for (let d = 0; d < PER_SERVICE; d++) {
      destinations.push({ family: 'inet', address: `172.16.${s & 255}.${10 + d}`, port: 8000 + (s >> 8), forward: 'masq', weight: 1 + d, upperThreshold: 0, lowerThreshold: 0 });
    }
    services.push({ service, destinations });
  }
  return { services };
}

/** Every hundredth destination gets a new weight: 1 % of them. */
function reweighted(table: Table): { table: Table; changed: Array<[Service, Destination]> } {
  const changed: Array<[Service, Destination]> = [];
  let index = 0;
  const services = table.services.map(({ service, destinations }) => ({
    service,
    destinations: destinations.map((d) => {
      if (index++ % 100 !== 0) return d;
      const next = { ...d, weight: d.weight + 100 };
      changed.push([service, next]);
      return next;
    }),
  }));
  return { table: { services }, changed };
}

const spec = (s: Service): string => ('fwmark' in s.key ? `-f ${s.key.fwmark}` : `-t ${s.key.address}:${s.key.port}`);
const ipvsadm = (args: string[], input?: string): void => void execFileSync('ipvsadm', args, { input, stdio: ['pipe', 'ignore', 'inherit'] });

const mode = process.argv[4] ?? 'noop';
const dumpSockets = Number(process.argv[5] ?? 4);
const desired = build();
const { table: edited, changed } = reweighted(desired);
const result: Record<string, unknown> = { mode, services: SERVICES, destinations: SERVICES * PER_SERVICE, changedWeights: changed.length };

if (mode === 'ours-full' || mode === 'ours-change-full') {
  const client = await openNetlinkIpvs({ timeoutMs: 2_000_000_000, dumpSockets });
  const outcome = await reconcile(client, mode === 'ours-full' ? desired : edited);
  Object.assign(result, { writes: outcome.writes, failures: outcome.failures.length, requests: client.counters.requests });
  client.close();
} else if (mode === 'ours-read') {
  const client = await openNetlinkIpvs({ timeoutMs: 2_000_000_000, dumpSockets });
  const table = await readTable(client);
  Object.assign(result, { writes: 0, requests: client.counters.requests, destinationsRead: table.services.reduce((n, e) => n + e.destinations.length, 0) });
  client.close();
} else if (mode === 'ours-change-incremental') {
  const client = await openNetlinkIpvs({ timeoutMs: 2_000_000_000, dumpSockets });
  const keeper = new IpvsTableKeeper(client);
  const check = await keeper.fullCheck(edited);
  const requestsBefore = client.counters.requests;
  const start = performance.now();
  const pass = await keeper.apply(desired);
  Object.assign(result, {
    checkWrites: check.writes,
    passMode: pass.mode,
    writes: pass.writes,
    failures: check.failures.length + pass.failures.length,
    requests: client.counters.requests - requestsBefore,
    incrementalGuestMs: Math.round(performance.now() - start),
  });
  client.close();
} else if (mode === 'ipvsadm-full') {
  const restore = desired.services.flatMap(({ service, destinations }) => [
    `-A ${spec(service)} -s ${service.scheduler}`,
    ...destinations.map((d) => `-a ${spec(service)} -r ${d.address}:${d.port} -m -w ${d.weight}`),
  ]);
  ipvsadm(['-R'], `${restore.join('\n')}\n`);
  result['writes'] = restore.length;
} else if (mode === 'ipvsadm-change') {
  const edits = changed.map(([service, d]) => `-e ${spec(service)} -r ${d.address}:${d.port} -m -w ${d.weight}`);
  ipvsadm(['-R'], `${edits.join('\n')}\n`);
  result['writes'] = edits.length;
}
process.stdout.write(`${JSON.stringify(result)}\n`);
