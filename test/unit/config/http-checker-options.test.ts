import { describe, expect, it } from 'vitest';
import { analyzeText } from './statements.js';

const http = (body: string, url = '') =>
  analyzeText(`virtual_server 10.0.0.1 443 {\n virtualhost vs.example\n real_server 10.0.0.2 443 {\n  SSL_GET {\n${body}\n   url {\n    path /\n${url}\n   }\n  }\n }\n}`).config.virtual_servers[0]
    ?.real_servers[0]?.checkers[0];

describe('HTTP_GET/SSL_GET options the checkers act on', () => {
  it('defaults: no fast_recovery, no SNI, no regex offsets', () => {
    expect(http('')).toMatchObject({ fast_recovery: false, enable_sni: false, sni_name: null, virtualhost: 'vs.example', url: [{ regex_min_offset: 0, regex_max_offset: 0 }] });
  });
  it('fast_recovery, enable_sni, and sni_name (which implies enable_sni)', () => {
    expect(http('   fast_recovery\n   enable_sni')).toMatchObject({ fast_recovery: true, enable_sni: true, sni_name: null });
    expect(http('   sni_name tls.example')).toMatchObject({ enable_sni: true, sni_name: 'tls.example' });
  });
  it('regex offsets', () => {
    expect(http('', '    regex ok\n    regex_min_offset 10\n    regex_max_offset 99')).toMatchObject({ url: [{ regex: 'ok', regex_min_offset: 10, regex_max_offset: 99 }] });
  });
});
