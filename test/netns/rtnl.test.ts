import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeInNs } from './support/child.js';
import { Lan, inNs, type Host } from './support/netns.js';

/** These run the compiled adapters (dist/), as the daemon will, inside a namespace. */
const dist = resolve('dist/linux');

describe('rtnetlink adapter', () => {
  let lan: Lan;
  let a: Host;
  beforeAll(() => {
    lan = new Lan(`ktsrt${process.pid % 1000}`);
    a = lan.addHost('a', '10.77.0.1/24');
  });
  afterAll(() => lan?.destroy());

  it('adds and removes IPv4 and IPv6 VIPs with label, scope and broadcast, refusing duplicates', async () => {
    const child = nodeInNs(
      a.ns,
      `
      import { Rtnl } from '${dist}/rtnl.js';
      import { native } from '${dist}/native.js';
      const rtnl = Rtnl.open();
      const ifindex = native().ifindex('eth0');
      const v4 = { address: '10.77.0.100', prefix: 24, ifindex, label: 'eth0:vip', broadcast: '10.77.0.255' };
      const v6 = { address: 'fd00:77::100', prefix: 64, ifindex };
      await rtnl.addAddress(v4);
      await rtnl.addAddress(v6);
      const listed = (await rtnl.addresses()).filter((x) => x.address.endsWith('::100') || x.address.endsWith('.100'));
      console.log(JSON.stringify(listed));
      const again = await rtnl.addAddress(v4).then(() => 'added twice', (e) => e.code);
      console.log(JSON.stringify(again));
      console.log(JSON.stringify('check'));
      await new Promise((r) => process.stdin.once('data', r));
      process.stdin.destroy();
      await rtnl.deleteAddress(v4);
      await rtnl.deleteAddress(v6);
      console.log(JSON.stringify('deleted'));
      rtnl.close();`,
    );
    expect(await child.next()).toEqual([
      { address: '10.77.0.100', prefix: 24, ifindex: expect.any(Number), scope: 'global', label: 'eth0:vip', broadcast: '10.77.0.255' },
      { address: 'fd00:77::100', prefix: 64, ifindex: expect.any(Number), scope: 'global' },
    ]);
    expect(await child.next()).toBe('ERR_NETLINK_EEXIST');
    expect(await child.next()).toBe('check');
    const shown = inNs(a.ns, 'ip', ['-o', 'addr', 'show', 'dev', 'eth0']);
    expect(shown).toMatch(/inet 10\.77\.0\.100\/24 brd 10\.77\.0\.255 scope global secondary eth0:vip/);
    expect(shown).toMatch(/inet6 fd00:77::100\/64 scope global nodad/);
    expect(shown).not.toMatch(/fd00:77::100.*tentative/);
    child.write('go\n');
    expect(await child.next()).toBe('deleted');
    expect(inNs(a.ns, 'ip', ['-o', 'addr', 'show', 'dev', 'eth0'])).not.toMatch(/\.100|::100/);
  });

  it('adds routes and rules exclusively (table ids past 255 too) and names what is already gone as the holdings expect', async () => {
    const child = nodeInNs(
      a.ns,
      `
      import { Rtnl } from '${dist}/rtnl.js';
      import { native } from '${dist}/native.js';
      const rtnl = Rtnl.open();
      const ifindex = native().ifindex('eth0');
      const route = { destination: '10.78.0.0', prefix: 16, gateway: '10.77.0.254', ifindex, table: 1000 };
      const rule = { family: 'inet', from: { address: '10.77.0.100', prefix: 32 }, table: 1000, priority: 1000, fwmark: 7 };
      const code = (p) => p.then(() => 'done', (e) => e.code);
      await rtnl.addRoute(route);
      await rtnl.addRule(rule);
      console.log(JSON.stringify([await code(rtnl.addRoute(route)), await code(rtnl.addRule(rule))]));
      await new Promise((r) => process.stdin.once('data', r));
      process.stdin.destroy();
      await rtnl.deleteRoute(route);
      await rtnl.deleteRule(rule);
      console.log(JSON.stringify([await code(rtnl.deleteRoute(route)), await code(rtnl.deleteRule(rule))]));
      rtnl.close();`,
    );
    expect(await child.next()).toEqual(['ERR_NETLINK_EEXIST', 'ERR_NETLINK_EEXIST']);
    expect(inNs(a.ns, 'ip', ['route', 'show', 'table', '1000'])).toContain('10.78.0.0/16 via 10.77.0.254 dev eth0');
    expect(inNs(a.ns, 'ip', ['rule', 'show'])).toContain('1000:\tfrom 10.77.0.100 fwmark 0x7 lookup 1000');
    child.write('go\n');
    // InstanceHoldings treats exactly these as "someone removed it already"
    expect(await child.next()).toEqual(['ERR_NETLINK_ESRCH', 'ERR_NETLINK_ENOENT']);
    expect(inNs(a.ns, 'ip', ['route', 'show', 'table', '1000'])).toBe('');
    expect(inNs(a.ns, 'ip', ['rule', 'show'])).not.toContain('lookup 1000');
  });

  it('reports link carrier changes and address changes as they happen', async () => {
    const child = nodeInNs(
      a.ns,
      `
      import { RtnlWatch } from '${dist}/rtnl-watch.js';
      const watch = new RtnlWatch();
      watch.on('link', (change, link) => link.name === 'eth0' && console.log(JSON.stringify({ change, up: link.up, running: link.running })));
      watch.on('address', (change, x) => x.address === '10.77.0.200' && console.log(JSON.stringify({ change, address: x.address })));
      console.log(JSON.stringify('ready'));
      process.stdin.once('data', () => { watch.close(); process.stdin.destroy(); });`,
    );
    expect(await child.next()).toBe('ready');
    inNs(a.ns, 'ip', ['link', 'set', 'eth0', 'down']);
    type LinkEvent = { change: string; up: boolean; running: boolean };
    const link = (want: (l: LinkEvent) => boolean) => (v: unknown) => typeof v === 'object' && v !== null && 'up' in v && want(v as LinkEvent);
    expect(await child.until(link((l) => !l.up))).toEqual({ change: 'new', up: false, running: false });
    inNs(a.ns, 'ip', ['link', 'set', 'eth0', 'up']);
    expect(await child.until(link((l) => l.running))).toEqual({ change: 'new', up: true, running: true });
    inNs(a.ns, 'ip', ['addr', 'add', '10.77.0.200/32', 'dev', 'eth0']);
    const isAddress = (v: unknown) => typeof v === 'object' && v !== null && 'address' in v;
    expect(await child.until(isAddress)).toEqual({ change: 'new', address: '10.77.0.200' });
    inNs(a.ns, 'ip', ['addr', 'del', '10.77.0.200/32', 'dev', 'eth0']);
    expect(await child.until(isAddress)).toEqual({ change: 'del', address: '10.77.0.200' });
    child.write('stop\n');
    expect(await child.exited).toBe(0);
  });

  it('recovers from a notification overrun with a new socket and a resync request', async () => {
    const batch = Array.from({ length: 3000 }, (_, i) => `addr add 10.${100 + (i >> 8)}.${i & 255}.1/32 dev eth0`).join('\\n');
    const child = nodeInNs(
      a.ns,
      `
      import { RtnlWatch } from '${dist}/rtnl-watch.js';
      import { execFileSync } from 'node:child_process';
      const watch = new RtnlWatch();
      watch.on('resync', () => console.log(JSON.stringify('resync')));
      watch.on('address', (change, x) => x.address === '10.77.0.201' && console.log(JSON.stringify(change)));
      // the loop is blocked while ip floods the socket, so the kernel overruns its queue
      execFileSync('ip', ['-batch', '-'], { input: '${batch}\\n' });
      process.stdin.once('data', () => { watch.close(); process.stdin.destroy(); });
      console.log(JSON.stringify('flooded'));`,
    );
    expect(await child.next()).toBe('flooded');
    expect(await child.next()).toBe('resync');
    inNs(a.ns, 'ip', ['addr', 'add', '10.77.0.201/32', 'dev', 'eth0']);
    expect(await child.next()).toBe('new');
    child.write('stop\n');
    expect(await child.exited).toBe(0);
  });
});
