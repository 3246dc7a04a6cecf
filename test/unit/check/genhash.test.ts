import { describe, expect, it } from 'vitest';
import { parseGenhash } from '../../../src/cli/genhash.js';

describe('genhash command line (check_genhash.c)', () => {
  it("takes keepalived's options, short and long", () => {
    expect(parseGenhash(['-S', '-s', '10.0.0.1', '-p', '443', '-u', '/x', '-V', 'www', '-I', '-P', '1.1', '-t', '3'])).toEqual({
      server: '10.0.0.1',
      port: 443,
      url: '/x',
      ssl: true,
      sni: true,
      virtualhost: 'www',
      protocol: '1.1',
      timeoutMs: 3000,
    });
    expect(parseGenhash(['--server=10.0.0.1', '--port', '80', '--url', '/'])).toMatchObject({ server: '10.0.0.1', port: 80, url: '/', ssl: false, protocol: '1.0' });
  });
  it("says what is wrong in keepalived's words", () => {
    expect(parseGenhash(['-s', 'host.example', '-p', '80', '-u', '/'])).toEqual({ error: 'server should be an IP, not host.example' });
    expect(parseGenhash(['-s', '10.0.0.1', '-p', '0', '-u', '/'])).toEqual({ error: "invalid port number '0'" });
    expect(parseGenhash(['-s', '10.0.0.1', '-p', '80', '-u', '/', '-P', '2'])).toEqual({ error: "invalid HTTP protocol version '2'" });
    expect(parseGenhash(['-s', '10.0.0.1', '-p'])).toEqual({ error: 'Missing parameter for option -p' });
    expect(parseGenhash(['-x'])).toEqual({ error: 'Unknown option -x' });
    expect(parseGenhash(['-s', '10.0.0.1', '-p', '80'])).toEqual({ error: '' });
  });
  it('refuses what it does not implement rather than ignoring it', () => {
    expect(parseGenhash(['-v', '-s', '10.0.0.1', '-p', '80', '-u', '/'])).toMatchObject({ error: expect.stringContaining('not implemented') });
    expect(parseGenhash(['-m', '5', '-s', '10.0.0.1', '-p', '80', '-u', '/'])).toMatchObject({ error: expect.stringContaining('not implemented') });
  });
});
