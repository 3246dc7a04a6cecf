import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/config/diagnostics.js';
import { brief, outline, parseText } from './helpers.js';

describe('include', () => {
  it('includes files relative to the including file, nested, in glob order', () => {
    const r = parseText('a 1\ninclude conf.d/*.conf\nz 9\n', {
      '/etc/keepalived/conf.d/20-b.conf': 'b 2\ninclude ../more/c.conf\n',
      '/etc/keepalived/conf.d/10-a.conf': 'a 10\n',
      '/etc/keepalived/conf.d/skip.txt': 'never 0\n',
      '/etc/keepalived/more/c.conf': 'c 3\n',
    });
    expect(outline(r.statements)).toEqual(['a 1', 'a 10', 'b 2', 'c 3', 'z 9']);
    expect(r.diagnostics).toEqual([]);
  });

  it('expands csh-style braces and ? and [] classes', () => {
    const r = parseText('include {x,y}/f[0-9]?.conf\n', {
      '/etc/keepalived/x/f1a.conf': 'x 1\n',
      '/etc/keepalived/y/f2b.conf': 'y 2\n',
      '/etc/keepalived/y/fzz.conf': 'no 0\n',
    });
    expect(outline(r.statements)).toEqual(['x 1', 'y 2']);
  });

  it('may appear inside a block', () => {
    const r = parseText('vrrp_instance V {\n  include vips.conf\n}\n', { '/etc/keepalived/vips.conf': 'virtual_ipaddress {\n 10.0.0.1\n}\n' });
    expect(outline(r.statements)).toEqual(['vrrp_instance V {', '  virtual_ipaddress {', '    10.0.0.1', '  }', '}']);
  });

  it('records the include chain on statements from included files', () => {
    const r = parseText('\n  include a.conf\n', { '/etc/keepalived/a.conf': 'include b.conf\n', '/etc/keepalived/b.conf': 'x 1\n' });
    expect(r.statements[0]!.pos).toEqual({
      file: '/etc/keepalived/b.conf',
      line: 1,
      col: 1,
      via: [
        { file: '/etc/keepalived/keepalived.conf', line: 2, col: 3 },
        { file: '/etc/keepalived/a.conf', line: 1, col: 1 },
      ],
    });
  });

  it('reports a missing file as an error at the file name, and goes on', () => {
    const r = parseText('include  missing.conf\nb 1\n');
    expect(brief(r.diagnostics)).toEqual(['1:10 error include-not-found']);
    expect(outline(r.statements)).toEqual(['b 1']);
  });

  it('warns when a pattern matches nothing (keepalived carries on), but includer insists', () => {
    const r = parseText('include conf.d/*.conf\nincluder conf.d/*.conf\n');
    expect(brief(r.diagnostics)).toEqual(['1:9 warning include-no-match', '2:10 error include-not-found']);
  });

  it('reports an include cycle with the chain, and does not loop', () => {
    const r = parseText('include a.conf\nend 1\n', {
      '/etc/keepalived/a.conf': 'a 1\ninclude b.conf\n',
      '/etc/keepalived/b.conf': 'b 1\ninclude keepalived.conf\n',
    });
    expect(outline(r.statements)).toEqual(['a 1', 'b 1', 'end 1']);
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(d.code).toBe('include-cycle');
    expect(d.message).toContain('keepalived.conf -> a.conf -> b.conf -> keepalived.conf');
    expect(formatDiagnostic(d).split('\n')).toEqual([
      `/etc/keepalived/b.conf:2:9: error: ${d.message}`,
      '  included from /etc/keepalived/a.conf:2:1',
      '  included from /etc/keepalived/keepalived.conf:1:1',
    ]);
  });

  it('reports a file that includes itself', () => {
    const r = parseText('include keepalived.conf\n');
    expect(brief(r.diagnostics)).toEqual(['1:9 error include-cycle']);
  });

  it('points a { never closed in an included file into that file', () => {
    const r = parseText('include a.conf\nb 1\n', { '/etc/keepalived/a.conf': 'a {\n' });
    expect(brief(r.diagnostics)).toEqual(['/etc/keepalived/a.conf:1:3 error missing-close-brace']);
  });

  it('reports an include with no file name', () => {
    const r = parseText('include ""\ninclude\n');
    expect(brief(r.diagnostics)).toEqual(['1:9 error include-without-file', '2:8 error include-without-file']);
  });
});
