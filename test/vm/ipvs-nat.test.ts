/**
 * The NAT data plane, inside the vm: a client namespace, two real-server namespaces, the guest's
 * root namespace as the director. Our client programs a wrr service (weights 1 and 3); eight new
 * connections from the client land 2 and 6, as IPVS's weighted round robin deals them, and the
 * kernel's counters read through our client match ipvsadm's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vm } from './harness/vm.js';
import { driveOk } from './ipvs/guest.js';
import { serversUp, topologyDown, topologyUp, type LvsTopology } from './lvs-topology.js';
import { real, svc, tcp } from '../unit/ipvs/fixtures.js';

const SERVER = "require('http').createServer((q, s) => s.end(process.argv[1])).listen(8080, () => require('fs').writeFileSync(process.argv[2], ''))";
const CLIENT = `
const http = require('http');
const ask = () => new Promise((resolve, reject) => {
  http.get({ host: '10.77.9.9', port: 80, agent: false }, (res) => {
    let body = '';
    res.on('data', (chunk) => (body += chunk));
    res.on('end', () => resolve(body));
  }).on('error', reject);
});
(async () => {
  const answers = [];
  for (let i = 0; i < 8; i++) answers.push(await ask());
  console.log(JSON.stringify(answers));
})();
`;

const TOPOLOGY: LvsTopology = { tag: 'ipvc', net: 77, servers: ['r1', 'r2'], client: true, vip: '10.77.9.9' };

describe('the NAT data plane programmed by our client', () => {
  beforeAll(async () => {
    const made = await vm.sh(topologyUp(TOPOLOGY));
    expect(made.stderr).toBe('');
    expect((await vm.sh(`mkdir -p /tmp/ipvc\n${serversUp(TOPOLOGY, SERVER, '/tmp/ipvc', 60)}`)).code).toBe(0);
  });

  afterAll(async () => {
    // deleting a namespace deletes the veth pairs with it
    const cleaned = await vm.sh(`ipvsadm -C\n${topologyDown(TOPOLOGY)}`);
    expect(cleaned).toMatchObject({ code: 0, stderr: '' });
  });

  it('spreads new connections over the real servers by weight (wrr 1:3 gives 2:6 of 8)', async () => {
    const vip = tcp('10.77.9.9', 80);
    await driveOk([
      { method: 'addService', args: [svc(vip, { scheduler: 'wrr' })] },
      { method: 'addDestination', args: [vip, real('10.77.1.2', 8080, { weight: 1 })] },
      { method: 'addDestination', args: [vip, real('10.77.2.2', 8080, { weight: 3 })] },
    ]);
    const answers = JSON.parse(await vm.run('ip', ['netns', 'exec', 'ipvc-c', process.execPath, '-e', CLIENT])) as string[];
    expect(answers.filter((a) => a === 'r1')).toHaveLength(2);
    expect(answers.filter((a) => a === 'r2')).toHaveLength(6);
  });

  it('reads the same connection counters as ipvsadm --stats once the kernel has summed them', async () => {
    // the kernel folds per-CPU counters into the reported ones every 2 s
    await vm.sh("for i in $(seq 1 100); do ipvsadm -Ln --stats | grep -Eq -- '-> 10\\.77\\.2\\.2:8080 +6 ' && exit 0; sleep 0.2; done; exit 1");
    const [table] = (await driveOk([{ method: 'readTable' }])) as [{ services: { destinations: { address: string; stats: { conns: string; inPackets: string } }[] }[] }];
    const conns = Object.fromEntries(table.services[0]?.destinations.map((d) => [d.address, d.stats.conns]) ?? []);
    expect(conns).toEqual({ '10.77.1.2': '2', '10.77.2.2': '6' });
    const stats = await vm.run('ipvsadm', ['-Ln', '--stats', '--exact']);
    for (const d of table.services[0]?.destinations ?? []) {
      expect(stats).toMatch(new RegExp(`-> ${d.address.replace(/\./g, '\\.')}:8080 +${d.stats.conns} +${d.stats.inPackets} `));
    }
  });
});
