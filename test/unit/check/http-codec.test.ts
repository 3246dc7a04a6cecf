import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpRequest } from '../../../src/check/http-request.js';
import { contentLength, HttpResponseReader, statusCode, type HttpExpectations } from '../../../src/check/http-response.js';

const md5 = (b: Buffer | string): string => createHash('md5').update(b).digest('hex');
const expect200: HttpExpectations = { digest: null, regex: null, regexNoMatch: false, regexMinOffset: 0, regexMaxOffset: 0, statusCodes: [[200, 299]] };

function read(chunks: (string | Buffer)[], e: Partial<HttpExpectations> = {}) {
  const r = new HttpResponseReader();
  for (const c of chunks) r.push(Buffer.isBuffer(c) ? c : Buffer.from(c, 'latin1'));
  return r.finish({ ...expect200, ...e });
}

describe('HTTP request (check_http.c request_template)', () => {
  it('HTTP/1.0 without a virtualhost names the address and port', () => {
    expect(httpRequest({ path: '/health', protocol: '1.0', virtualhost: null, ip: '10.0.0.1', port: 8080 })).toBe('GET /health HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 10.0.0.1:8080\r\n\r\n');
  });
  it('1.0C and 1.1 add Connection: close; a virtualhost replaces address and port', () => {
    expect(httpRequest({ path: '/', protocol: '1.0C', virtualhost: 'www.example.com', ip: '10.0.0.1', port: 80 })).toBe(
      'GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: www.example.com\r\n\r\n',
    );
    expect(httpRequest({ path: '/', protocol: '1.1', virtualhost: null, ip: '10.0.0.1', port: 80 })).toContain('GET / HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\n');
  });
  it('brackets an IPv6 literal (RFC 2732)', () => {
    expect(httpRequest({ path: '/', protocol: '1.0', virtualhost: null, ip: 'fd00::1', port: 80 })).toContain('Host: [fd00::1]:80\r\n');
  });
});

describe('HTTP response (lib/html.c, http_process_response)', () => {
  it('reads the status code as keepalived does', () => {
    expect(statusCode('HTTP/1.1 200 OK\r\n')).toBe(200);
    expect(statusCode('HTTP/1.1 503 Service Unavailable\r\n')).toBe(503);
    expect(statusCode('HTTP/1.1 2000 OK\r\n')).toBe(0);
    expect(statusCode('HTTP/1.1 200\r\n')).toBe(0);
    expect(statusCode('garbage\r\n')).toBe(0);
  });
  it('reads Content-Length spelled exactly so', () => {
    expect(contentLength('HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\n')).toBe(12);
    expect(contentLength('HTTP/1.0 200 OK\r\ncontent-length: 12\r\n\r\n')).toBeNull();
    expect(contentLength('HTTP/1.0 200 OK\r\nContent-Length: 12x\r\n\r\n')).toBeNull();
  });
  it('no header end before the stream ends is "no data received"', () => {
    expect(read([]).reason).toBe('Read, no data received from ');
    expect(read(['HTTP/1.0 200 OK\r\n']).ok).toBe(false);
  });
  it('judges the status against the ranges', () => {
    expect(read(['HTTP/1.0 200 OK\r\n\r\nhi'])).toMatchObject({ ok: true, reason: 'HTTP status code', status: 200 });
    expect(read(['HTTP/1.0 503 No\r\n\r\n'])).toMatchObject({ ok: false, reason: 'HTTP status code error to', status: 503 });
    expect(
      read(['HTTP/1.0 302 Found\r\n\r\n'], {
        statusCodes: [
          [200, 200],
          [301, 302],
        ],
      }).ok,
    ).toBe(true);
  });
  it('digests the body capped at Content-Length', () => {
    const r = read(['HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello world'], { digest: md5('hello') });
    expect(r).toMatchObject({ ok: true, reason: 'MD5 digest', digest: md5('hello'), lengthMismatch: { contentLength: 5, received: 11 } });
    expect(read(['HTTP/1.0 200 OK\r\n\r\nhello'], { digest: md5('other') })).toMatchObject({ ok: false, reason: 'MD5 digest error to' });
  });
  it('checks the status before the digest', () => {
    expect(read(['HTTP/1.0 500 X\r\n\r\nhello'], { digest: md5('hello') }).reason).toBe('HTTP status code error to');
  });
  it('regex and regex_no_match, with offsets', () => {
    const body = 'HTTP/1.0 200 OK\r\n\r\n0123456789 status: ok';
    expect(read([body], { regex: /status: ok/ })).toMatchObject({ ok: true, reason: 'Regex match' });
    expect(read([body], { regex: /status: bad/ })).toMatchObject({ ok: false, reason: 'Regex match failed' });
    expect(read([body], { regex: /status: bad/, regexNoMatch: true }).ok).toBe(true);
    expect(read([body], { regex: /0123/, regexMinOffset: 1 }).ok).toBe(false);
    expect(read([body], { regex: /status/, regexMaxOffset: 12 }).ok).toBe(true);
    expect(read([body], { regex: /status/, regexMaxOffset: 11 }).ok).toBe(false);
  });
  it('the digest does not depend on how the stream is cut (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(), { maxLength: 8 }), fc.option(fc.nat({ max: 3000 }), { nil: undefined }), (body, cuts, length) => {
        const header = `HTTP/1.1 200 OK\r\n${length !== undefined ? `Content-Length: ${length}\r\n` : ''}\r\n`;
        const whole = Buffer.concat([Buffer.from(header), Buffer.from(body)]);
        const points = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let from = 0;
        for (const p of [...points, whole.length]) {
          chunks.push(whole.subarray(from, p));
          from = p;
        }
        const expected = md5(Buffer.from(body).subarray(0, length ?? body.length));
        expect(read(chunks).digest).toBe(expected);
      }),
    );
  });
});
