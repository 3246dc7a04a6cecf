/**
 * The checkers against real servers in a namespace: TCP_CHECK, HTTP_GET and SSL_GET (a
 * self-signed certificate) failing and recovering in the ways a checker can see, with the
 * up/down transitions at the times keepalived's rules give (computed from the config below,
 * within TOLERANCE_MS), and the FIFO lines, notify scripts and log lines in keepalived's form.
 * Then our genhash against Debian's genhash on the same pages.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeInNs, type NodeChild } from './support/child.js';
import { Lan, inNs, type Host } from './support/netns.js';

const dist = resolve('dist');
/** Scheduling noise on a loaded 2-core machine shared by eight engineers. */
const TOLERANCE_MS = 1500;
// the config's timing, in ms (delay_loop, delay_before_retry, connect_timeout; retry 1)
const DL = 1000;
const DBR = 1000;
const CT = 1000;

type Line = Record<string, unknown>;

/** Keeps every line a child printed, so a test can wait for one without losing the others. */
class Collector {
  readonly lines: Line[] = [];
  private wake: (() => void) | null = null;
  /** Why the child stopped talking (its stderr), once it did. */
  private ended: string | null = null;
  constructor(child: NodeChild) {
    void child.exited.then((code) => {
      this.ended ??= `the child exited with ${code}`;
      this.wake?.();
    });
    void (async () => {
      for (;;) {
        const v = (await child.next(3_600_000).catch((e: Error) => ((this.ended = e.message), null))) as Line | null;
        if (v === null) return;
        this.lines.push(v);
        this.wake?.();
      }
    })();
  }
  async waitFor(pred: (l: Line) => boolean, timeoutMs = 20_000, from = 0): Promise<Line> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.lines.slice(from).find(pred);
      if (hit) return hit;
      if (Date.now() > deadline || this.ended !== null) {
        throw new Error(`no matching line in ${timeoutMs} ms; last lines: ${JSON.stringify(this.lines.slice(-8))}; ${this.ended ?? ''}`);
      }
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 200);
      });
    }
  }
}

const SERVER = (certDir: string) => `
import { createServer } from 'node:net';
import { createServer as createTls } from 'node:tls';
import { readFileSync } from 'node:fs';
let mode = 'ok';
// 'digest' keeps the text HTTP_GET's regex wants but changes SSL_GET's digest
const body = () => mode === 'digest' ? 'status: healthy!\\n' : mode === 'regex' ? 'status: degraded\\n' : 'status: healthy\\n';
function serve(socket) {
  socket.on('error', () => {});
  socket.once('data', () => {
    if (mode === 'silent') return;
    // plain HTTP gets a TCP reset mid-response; a TLS socket (no reset of its own) is closed
    if (mode === 'reset') { socket.write('HTTP/1.0 200 OK\\r\\nContent-Length: 100\\r\\n'); setTimeout(() => (socket.encrypted ? socket.destroy() : socket.resetAndDestroy()), 50); return; }
    const b = body();
    const head = 'HTTP/1.0 ' + (mode === '503' ? '503 Service Unavailable' : '200 OK') + '\\r\\nContent-Length: ' + b.length + '\\r\\n\\r\\n';
    if (mode === 'trickle') {
      const all = head + b; let i = 0;
      const t = setInterval(() => { if (socket.destroyed || i >= all.length) { clearInterval(t); socket.end(); return; } socket.write(all[i++]); }, 200);
      return;
    }
    socket.end(head + b);
  });
}
let tcp = createServer(serve).listen(8080, '0.0.0.0');
createTls({ key: readFileSync('${certDir}/key.pem'), cert: readFileSync('${certDir}/cert.pem') }, serve).listen(8443, '0.0.0.0');
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  for (const cmd of d.split('\\n').filter(Boolean)) {
    if (cmd === 'close') { tcp.close(); console.log(JSON.stringify({ ack: cmd })); continue; }
    if (cmd === 'open') { tcp = createServer(serve).listen(8080, '0.0.0.0', () => console.log(JSON.stringify({ ack: cmd }))); continue; }
    mode = cmd; console.log(JSON.stringify({ ack: cmd }));
  }
});
console.log(JSON.stringify({ ready: true }));
`;

const BALANCER = (dir: string) => `
import { pino } from 'pino';
import { createReadStream, openSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { parseConfigFile } from '${dist}/config/parse-config.js';
import { analyze } from '${dist}/config/analyze.js';
import { checkerService } from '${dist}/daemon/checker-ports.js';
const out = (o) => process.stdout.write(JSON.stringify({ at: Date.now(), ...o }) + '\\n');
for (const name of ['lvs.fifo', 'notify.fifo']) {
  execFileSync('mkfifo', ['${dir}/' + name]);
  createReadStream(null, { fd: openSync('${dir}/' + name, 'r+') }).on('data', (d) => {
    for (const line of d.toString('latin1').match(/[^\\n\\0]*\\n\\0?/g) ?? []) out({ [name]: line });
  });
}
const parsed = parseConfigFile('${dir}/keepalived.conf');
const { config, diagnostics } = analyze(parsed.statements);
const log = pino({ base: null }, { write: (s) => process.stdout.write(s) });
const service = checkerService();
await service.start(config, { log, publish: (e) => out({ event: e }), snapshot: () => ({}) });
out({ started: true });
process.stdin.on('data', async () => { await service.stop(); out({ stopped: true }); process.exit(0); });
`;

const CONFIG = (dir: string, rs: string) => `
global_defs {
  lvs_notify_fifo ${dir}/lvs.fifo
}
virtual_server 10.91.0.100 80 {
  delay_loop 1
  protocol TCP
  real_server ${rs} 8080 {
    notify_up "${dir}/notify.sh up"
    notify_down "${dir}/notify.sh down"
    HTTP_GET {
      connect_timeout 1
      retry 1
      delay_before_retry 1
      url {
        path /health
        regex "status: healthy"
      }
    }
  }
}
virtual_server 10.91.0.100 443 {
  delay_loop 1
  protocol TCP
  real_server ${rs} 8443 {
    SSL_GET {
      connect_timeout 1
      retry 1
      delay_before_retry 1
      url {
        path /health
        status_code 200-299
        digest ${createHash('md5').update('status: healthy\n').digest('hex')}
      }
    }
  }
}
virtual_server 10.91.0.101 80 {
  delay_loop 1
  protocol TCP
  real_server ${rs} 8080 {
    TCP_CHECK {
      connect_timeout 1
      retry 1
      delay_before_retry 1
    }
  }
}
`;

const isEvent = (vs: string, up: boolean) => (l: Line) => {
  const e = l.event as { ref?: { vs: string }; up?: boolean } | undefined;
  return e?.ref?.vs === vs && e.up === up;
};
const HTTP_VS = 'TCP:[10.91.0.100]:80';
const SSL_VS = 'TCP:[10.91.0.100]:443';
const TCP_VS = 'TCP:[10.91.0.101]:80';

describe('checkers against real servers in namespaces', () => {
  let lan: Lan;
  let lb: Host;
  let rs: Host;
  let dir: string;
  let server: NodeChild;
  let serverLines: Collector;
  let balancer: NodeChild;
  let lines: Collector;

  async function command(cmd: string): Promise<number> {
    const from = serverLines.lines.length;
    server.write(`${cmd}\n`);
    await serverLines.waitFor((l) => l.ack === cmd, 5000, from);
    return Date.now();
  }

  beforeAll(async () => {
    lan = new Lan(`ktsck${process.pid % 10000}`);
    lb = lan.addHost('lb', '10.91.0.1/24');
    rs = lan.addHost('rs', '10.91.0.2/24');
    dir = mkdtempSync(join(tmpdir(), 'kts-checkers-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=rs.test', '-days', '1', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`], { stdio: 'ignore' });
    writeFileSync(`${dir}/notify.sh`, `#!/bin/sh\nprintf '%s\\n' "$1" > ${dir}/notify.fifo\n`);
    chmodSync(`${dir}/notify.sh`, 0o755);
    chmodSync(dir, 0o755);
    writeFileSync(`${dir}/keepalived.conf`, CONFIG(dir, rs.address));
    server = nodeInNs(rs.ns, SERVER(dir));
    serverLines = new Collector(server);
    await serverLines.waitFor((l) => l.ready === true, 60_000);
    balancer = nodeInNs(lb.ns, BALANCER(dir));
    lines = new Collector(balancer);
    // node, the modules and the config take a while to load at load average 30
    await lines.waitFor((l) => l.started === true, 90_000);
  });

  afterAll(() => {
    server?.kill();
    balancer?.kill();
    lan?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("starts up: keepalived's activation and success lines, no transitions", async () => {
    await lines.waitFor((l) => l.msg === `TCP connection to [${rs.address}]:tcp:8080 success.`);
    await lines.waitFor((l) => l.msg === `Remote Web server [${rs.address}]:tcp:8080 succeed on service.`);
    await lines.waitFor((l) => l.msg === `Remote Web server [${rs.address}]:tcp:8443 succeed on service.`);
    expect(lines.lines.map((l) => l.msg)).toContain(`Activating healthchecker for service [${rs.address}]:tcp:8080 for VS [10.91.0.100]:tcp:80`);
    expect(lines.lines.filter((l) => l.event)).toEqual([]);
  });

  // each fault: the checker is down after retry+1 failing attempts, delay_before_retry apart
  for (const fault of [
    { mode: '503', reason: 'HTTP status code error to', ssl: false },
    { mode: 'digest', reason: 'MD5 digest error to', ssl: true },
    { mode: 'regex', reason: 'Regex match failed', ssl: false },
    { mode: 'reset', reason: 'Read error with', ssl: false },
    { mode: 'trickle', reason: 'Timeout HTTP read', ssl: false },
    { mode: 'silent', reason: 'Timeout HTTP read', ssl: false },
  ]) {
    const vs = fault.ssl ? SSL_VS : HTTP_VS;
    const name = fault.ssl ? 'SSL_GET' : 'HTTP_GET';
    it(`${name}: ${fault.mode} marks it down at keepalived's time, with its notifies and FIFO line; ok brings it back`, async () => {
      const rsName = `[${rs.address}]:tcp:${fault.ssl ? 8443 : 8080}`;
      const fifoLine = (state: string) => `RS ${rsName} [10.91.0.100]:tcp:${fault.ssl ? 443 : 80} ${state}\n\0`;
      const from = lines.lines.length;
      const t0 = await command(fault.mode);
      const down = await lines.waitFor(isEvent(vs, false), 20_000, from);
      const late = (down.at as number) - t0;
      // the first failing attempt starts within one delay_loop, the retry delay_before_retry after it
      expect(late).toBeGreaterThanOrEqual(DBR);
      expect(late).toBeLessThanOrEqual(DL + CT + DBR + CT + TOLERANCE_MS);
      expect((down.event as { reason: string }).reason).toBe(fault.reason);
      if (!fault.ssl) await lines.waitFor((l) => l['notify.fifo'] === 'down\n', 10_000, from);
      await lines.waitFor((l) => l['lvs.fifo'] === fifoLine('DOWN'), 10_000, from);
      expect(lines.lines.slice(from).map((l) => l.msg)).toContain(`${fault.ssl ? 'SSL' : 'HTTP'}_CHECK on service ${rsName} failed after 1 retries.`);

      const from2 = lines.lines.length;
      const t1 = await command('ok');
      const up = await lines.waitFor(isEvent(vs, true), 20_000, from2);
      // down, the failed url is retried every max(delay_before_retry, delay_loop); once it passes,
      // all urls are checked again, one per delay_loop
      const back = (up.at as number) - t1;
      expect(back).toBeGreaterThanOrEqual(DL - 100);
      expect(back).toBeLessThanOrEqual(Math.max(DBR, DL) + CT + DL + CT + TOLERANCE_MS);
      if (!fault.ssl) await lines.waitFor((l) => l['notify.fifo'] === 'up\n', 10_000, from2);
      await lines.waitFor((l) => l['lvs.fifo'] === fifoLine('UP'), 10_000, from2);
      // let every checker settle before the next fault
      await lines.waitFor((l) => l.msg === `Remote Web server [${rs.address}]:tcp:8443 succeed on service.` || !fault.ssl, 20_000, from2);
    });
  }

  it('TCP_CHECK and HTTP_GET: a refused connection marks both down, a listening server brings them back', async () => {
    const from = lines.lines.length;
    const t0 = await command('close');
    const tcpDown = await lines.waitFor(isEvent(TCP_VS, false), 20_000, from);
    expect((tcpDown.at as number) - t0).toBeLessThanOrEqual(DL + DBR + 2 * CT + TOLERANCE_MS);
    expect((tcpDown.event as { reason: string }).reason).toBe('failed');
    expect((await lines.waitFor(isEvent(HTTP_VS, false), 20_000, from)).event).toMatchObject({ reason: 'Connection failed' });
    expect(lines.lines.slice(from).map((l) => l.msg)).toContain(`TCP_CHECK on service [${rs.address}]:tcp:8080 failed after 1 retries.`);
    const from2 = lines.lines.length;
    const t1 = await command('open');
    const tcpUp = await lines.waitFor(isEvent(TCP_VS, true), 20_000, from2);
    expect((tcpUp.at as number) - t1).toBeLessThanOrEqual(DL + CT + TOLERANCE_MS);
    await lines.waitFor(isEvent(HTTP_VS, true), 20_000, from2);
  });

  it('a silent drop (the address gone from the server) times TCP_CHECK out; SSL_GET follows', async () => {
    const from = lines.lines.length;
    inNs(rs.ns, 'ip', ['addr', 'del', `${rs.address}/24`, 'dev', 'eth0']);
    const t0 = Date.now();
    const down = await lines.waitFor(isEvent(TCP_VS, false), 20_000, from);
    expect((down.event as { reason: string }).reason).toBe('timeout');
    expect((down.at as number) - t0).toBeLessThanOrEqual(DL + CT + DBR + CT + TOLERANCE_MS);
    expect((await lines.waitFor(isEvent(SSL_VS, false), 20_000, from)).event).toMatchObject({ reason: 'Timeout connecting' });
    inNs(rs.ns, 'ip', ['addr', 'add', `${rs.address}/24`, 'dev', 'eth0']);
    await lines.waitFor(isEvent(TCP_VS, true), 20_000, from);
    await lines.waitFor(isEvent(SSL_VS, true), 20_000, from);
  });

  it("genhash: our digest and messages equal Debian genhash's on the same pages", async () => {
    const run = (cmd: string, args: string[]) => {
      try {
        return inNs(lb.ns, cmd, args);
      } catch (e) {
        return String((e as { stdout?: string }).stdout);
      }
    };
    const cases = [
      ['-s', rs.address, '-p', '8080', '-u', '/health'],
      ['-s', rs.address, '-p', '8080', '-u', '/x', '-P', '1.1', '-V', 'www.test'],
      ['-S', '-s', rs.address, '-p', '8443', '-u', '/health'],
      ['-s', rs.address, '-p', '8099', '-u', '/'],
    ];
    for (const mode of ['ok', 'digest']) {
      await command(mode);
      for (const args of cases) {
        const theirs = run('genhash', args);
        const ours = run(join(resolve('bin'), 'keepalived-ts'), ['-T', ...args]);
        expect(ours, `${mode} ${args.join(' ')}`).toBe(theirs);
      }
    }
    expect(run('genhash', cases[0]!)).toMatch(/^[0-9a-f]{32}\n$/);
    // sixteen process starts; at load average 30 one `node` start alone can take seconds
  }, 240_000);
});
