/**
 * bench/ipvs-apply, run inside the vm guest: program 1,000 services x 10 destinations from an
 * empty table, then change 1 % of the weights, once with our client (reconcile = dump + plan +
 * apply) and once with `ipvsadm -R` of the same table and the same edits. Prints one JSON object.
 */
import { execFileSync } from 'node:child_process';
import { openNetlinkIpvs } from '../../src/linux/ipvs-netlink.js';
import { reconcile } from '../../src/ipvs/apply.js';
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
const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

const desired = build();
const { table: edited, changed } = reweighted(desired);
const result: Record<string, unknown> = { services: SERVICES, destinations: SERVICES * PER_SERVICE, changedWeights: changed.length };

ipvsadm(['-C']);
const client = await openNetlinkIpvs({ timeoutMs: 600_000 });
let t = process.hrtime.bigint();
const full = await reconcile(client, desired);
result['oursFullSeconds'] = seconds(t);
result['oursFullWrites'] = full.writes;
result['oursFullFailures'] = full.failures.length;
const before = client.counters.requests;
t = process.hrtime.bigint();
const change = await reconcile(client, edited);
result['oursChangeSeconds'] = seconds(t);
result['oursChangeWrites'] = change.writes;
result['oursChangeRequests'] = client.counters.requests - before;
client.close();

ipvsadm(['-C']);
const restore = desired.services
  .flatMap(({ service, destinations }) => [
    `-A ${spec(service)} -s ${service.scheduler}`,
    ...destinations.map((d) => `-a ${spec(service)} -r ${d.address}:${d.port} -m -w ${d.weight}`),
  ])
  .join('\n');
t = process.hrtime.bigint();
ipvsadm(['-R'], `${restore}\n`);
result['ipvsadmFullSeconds'] = seconds(t);
result['ipvsadmFullCommands'] = restore.split('\n').length;
const edits = changed.map(([service, d]) => `-e ${spec(service)} -r ${d.address}:${d.port} -m -w ${d.weight}`).join('\n');
t = process.hrtime.bigint();
ipvsadm(['-R'], `${edits}\n`);
result['ipvsadmChangeSeconds'] = seconds(t);
result['ipvsadmChangeCommands'] = changed.length;
ipvsadm(['-C']);
process.stdout.write(`${JSON.stringify(result)}\n`);
