/**
 * SSL_GET with the SSL block's client certificate, key and password (check_ssl.c
 * init_ssl_ctx()): an HTTPS server in a namespace that accepts only clients with a certificate
 * signed by its CA. Without the block the handshake fails; with it the page is fetched; with an
 * encrypted key the password opens it, and a wrong password or a missing file fails every check
 * with the reason, without crashing. The probers are made from the configuration exactly as
 * the daemon makes them (src/linux/probes/index.ts configProbers).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeInNs, type NodeChild } from './support/child.js';
import { Lan, type Host } from './support/netns.js';

const dist = resolve('dist');
const PORT = 8443;

/** An HTTPS server wanting a client certificate, and one SSL_GET probe per config file named on stdin. */
const LAB = (dir: string) => `
import { createServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseConfigFile } from '${dist}/config/parse-config.js';
import { analyze } from '${dist}/config/analyze.js';
import { configProbers, linuxProbers } from '${dist}/linux/probes/index.js';
const f = (n) => readFileSync('${dir}/' + n);
const server = createServer({ key: f('server.key'), cert: f('server.pem'), ca: f('ca.pem'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
  res.end('client ' + req.socket.getPeerCertificate().subject.CN);
});
server.listen(${PORT}, '127.0.0.1', () => console.log(JSON.stringify({ ready: true })));
createInterface({ input: process.stdin }).on('line', async (file) => {
  const { config } = analyze(parseConfigFile(file).statements);
  const probers = { ...linuxProbers(), ...configProbers(config, { permit: () => ({ ok: false, reason: 'none' }), env: {} }) };
  const checker = config.virtual_servers[0].real_servers[0].checkers[0];
  const result = await probers.SSL_GET.probe({ checker, ip: '127.0.0.1', port: ${PORT}, url: 0 }, 2000, new AbortController().signal);
  console.log(JSON.stringify({ file, ...result }));
});
`;

const CONFIG = (ssl: string) => `
${ssl}
virtual_server 10.95.0.100 443 {
  protocol TCP
  real_server 127.0.0.1 ${PORT} {
    SSL_GET {
      url {
        path /
        regex "client rs-checker"
      }
    }
  }
}
`;

describe('SSL_GET presents the SSL block client certificate', () => {
  let lan: Lan;
  let host: Host;
  let dir: string;
  let lab: NodeChild;
  let n = 0;

  async function probe(ssl: string): Promise<{ ok: boolean; reason: string; detail?: string }> {
    const file = join(dir, `k${++n}.conf`);
    writeFileSync(file, CONFIG(ssl));
    lab.write(`${file}\n`);
    return (await lab.until((v) => (v as { file?: string }).file === file, 15_000)) as { ok: boolean; reason: string; detail?: string };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `kts-sslc-${process.pid}-`));
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=test-ca', '-days', '1', '-keyout', 'ca.key', '-out', 'ca.pem');
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=rs.test', '-days', '1', '-keyout', 'server.key', '-out', 'server.pem');
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=rs-checker', '-keyout', 'client.key', '-out', 'client.csr');
    ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', 'client.pem');
    ssl('pkey', '-in', 'client.key', '-aes256', '-passout', 'pass:s3cret', '-out', 'client-enc.key');
    lan = new Lan(`ktssc${process.pid % 10000}`);
    host = lan.addHost('lb', '10.95.0.1/24');
    lab = nodeInNs(host.ns, LAB(dir));
    await lab.until((v) => (v as { ready?: boolean }).ready === true, 60_000);
  }, 90_000);

  afterAll(() => {
    lab?.kill();
    lan?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('without an SSL block the server refuses the handshake', async () => {
    expect(await probe('')).toMatchObject({ ok: false });
  });

  it('with certificate and key the page is fetched, and the server saw our certificate', async () => {
    expect(await probe(`SSL {\n certificate ${dir}/client.pem\n key ${dir}/client.key\n ca ${dir}/ca.pem\n}`)).toMatchObject({ ok: true });
  });

  it('an encrypted key opens with the password; a wrong password or a missing file fails the check with the reason', async () => {
    expect(await probe(`SSL {\n certificate ${dir}/client.pem\n key ${dir}/client-enc.key\n password s3cret\n}`)).toMatchObject({ ok: true });
    const wrong = await probe(`SSL {\n certificate ${dir}/client.pem\n key ${dir}/client-enc.key\n password nope\n}`);
    expect(wrong).toMatchObject({ ok: false, reason: 'SSL handshake/communication error connecting to' });
    const missing = await probe(`SSL {\n certificate ${dir}/nosuch.pem\n key ${dir}/client.key\n}`);
    expect(missing).toMatchObject({ ok: false, detail: expect.stringContaining(`cannot load the SSL certificate file ${dir}/nosuch.pem`) as unknown });
  });
});
