import { describe, expect, it } from 'vitest';
import { SYNTAX_CODES, type SyntaxCode } from '../../../src/config/syntax-codes.js';
import { brief, outline, parseText } from './helpers.js';

describe('statements and blocks', () => {
  it('reads keywords, arguments and nested blocks', () => {
    const r = parseText(['global_defs {', '  router_id LVS_1', '}', 'vrrp_instance VI_1 {', '  state MASTER', '  virtual_ipaddress {', '    10.0.0.1/24 dev eth0', '  }', '}'].join('\n'));
    expect(outline(r.statements)).toEqual(['global_defs {', '  router_id LVS_1', '}', 'vrrp_instance VI_1 {', '  state MASTER', '  virtual_ipaddress {', '    10.0.0.1/24 dev eth0', '  }', '}']);
    expect(r.diagnostics).toEqual([]);
  });

  it('records 1-based line and column of keywords and arguments', () => {
    const r = parseText('\n\tvrrp_instance  VI_1 {\n   priority 100\n}\n');
    const vi = r.statements[0]!;
    expect(vi.pos).toEqual({ file: '/etc/keepalived/keepalived.conf', line: 2, col: 2 });
    expect(vi.args[0]!.pos).toMatchObject({ line: 2, col: 17 });
    expect(vi.block![0]!.args[0]!.pos).toMatchObject({ line: 3, col: 13 });
  });

  it('splits braces glued to words and braces sharing a line', () => {
    const r = parseText('real_server 1.1.1.1 80 {\n HTTP_GET {\n  url{ path /x\n  digest abc }\n}}\n');
    expect(outline(r.statements)).toEqual(['real_server 1.1.1.1 80 {', '  HTTP_GET {', '    url {', '      path /x', '      digest abc', '    }', '  }', '}']);
    expect(r.diagnostics).toEqual([]);
  });

  it('accepts a block whose { is on a later line, and one-line blocks', () => {
    const r = parseText('vrrp_instance VI_1\n\n{\n track_script { chk_a chk_b }\n}\nvirtual_ipaddress { 10.0.0.1 }\n');
    expect(outline(r.statements)).toEqual(['vrrp_instance VI_1 {', '  track_script {', '    chk_a chk_b', '  }', '}', 'virtual_ipaddress {', '  10.0.0.1', '}']);
    expect(r.statements[0]!.blockPos).toMatchObject({ line: 3, col: 1 });
    expect(r.statements[1]!.blockPos).toMatchObject({ line: 6, col: 19 });
  });

  it('starts a new statement after a closing brace on the same line', () => {
    const r = parseText('a { b } c d\n');
    expect(outline(r.statements)).toEqual(['a {', '  b', '}', 'c d']);
  });
});

describe('comments and quotes', () => {
  it('drops # and ! comments, anywhere on a line', () => {
    const r = parseText('# full line\n! another\nrouter_id x # trailing\nprio 1! bang\n');
    expect(outline(r.statements)).toEqual(['router_id x', 'prio 1']);
  });

  it('keeps comment characters inside double quotes and after a backslash', () => {
    const r = parseText('script "/bin/check # not a comment!"\nrouter_id a\\#b\n');
    expect(r.statements[0]!.args[0]).toMatchObject({ value: '/bin/check # not a comment!', quoted: true });
    expect(r.statements[1]!.args[0]!.value).toBe('a#b');
  });

  it('keeps blanks and braces inside quotes and joins quoted parts of one word', () => {
    const r = parseText('notify "/bin/x {a} b" abcd" efg "h\n');
    expect(r.statements[0]!.args.map((a) => a.value)).toEqual(['/bin/x {a} b', 'abcd efg h']);
    expect(r.statements[0]!.args[0]!.raw).toBe('"/bin/x {a} b"');
  });

  it('keeps backslash escapes as written, so script keywords can re-split them', () => {
    const r = parseText('script "/bin/sh -c \\"echo hi\\""\n');
    expect(r.statements[0]!.args[0]!.value).toBe('/bin/sh -c \\"echo hi\\"');
  });

  it('treats a single quote as an ordinary character, as keepalived does for plain keywords', () => {
    const r = parseText("router_id it's\nnext 1\n");
    expect(outline(r.statements)).toEqual(["router_id it's", 'next 1']);
  });
});

describe('recovery', () => {
  it('reports an unterminated quote at the quote and goes on with the next line', () => {
    const r = parseText('script "/bin/true\nrouter_id x\n');
    expect(brief(r.diagnostics)).toEqual(['1:8 error unterminated-quote']);
    expect(outline(r.statements)).toEqual(['script /bin/true', 'router_id x']);
  });

  it('reports an extra } and keeps reading', () => {
    const r = parseText('a {\n}\n}\nb 1\n');
    expect(brief(r.diagnostics)).toEqual(['3:1 error extra-close-brace']);
    expect(outline(r.statements)).toEqual(['a {', '}', 'b 1']);
  });

  it('reports each { that is never closed, at the brace', () => {
    const r = parseText('a {\n b {\n  c 1\n');
    expect(brief(r.diagnostics)).toEqual(['1:3 error missing-close-brace', '2:4 error missing-close-brace']);
    expect(outline(r.statements)).toEqual(['a {', '  b {', '    c 1', '  }', '}']);
  });

  it('reports a { with no keyword and keeps what is inside', () => {
    const r = parseText('{\n x 1\n}\ny 2\n');
    expect(brief(r.diagnostics)).toEqual(['1:1 error block-without-keyword']);
    expect(outline(r.statements)).toEqual(['x 1', 'y 2']);
  });

  it('reports every mistake in a file, not only the first', () => {
    const r = parseText('a "x\n}\nb {\nc "y\n');
    expect(brief(r.diagnostics)).toEqual(['1:3 error unterminated-quote', '2:1 error extra-close-brace', '3:3 error missing-close-brace', '4:3 error unterminated-quote']);
  });

  it('ignores braces nested absurdly deep instead of exhausting the stack', () => {
    const r = parseText(`${'x { '.repeat(100_000)}\nb 1\n${'} '.repeat(100_000)}\nc 2\n`);
    expect(brief(r.diagnostics)).toEqual(['1:131 error nesting-too-deep']);
    expect(r.statements.map((s) => s.keyword)).toEqual(['x', 'c']);
  });

  it('reports an unreadable main file without throwing', () => {
    const r = parseText(
      '',
      {},
      {
        fs: {
          readFile: () => {
            throw Object.assign(new Error('nope'), { code: 'EACCES' });
          },
          glob: () => [],
        },
      },
    );
    expect(r.statements).toEqual([]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'config-file-unreadable', message: expect.stringContaining('permission denied') })]);
  });
});

describe('file encodings', () => {
  it('ignores a UTF-8 byte order mark and CRLF line ends, keeping columns', () => {
    const r = parseText('\uFEFFglobal_defs {\r\n  router_id x\r\n}\r\n');
    expect(outline(r.statements)).toEqual(['global_defs {', '  router_id x', '}']);
    expect(r.statements[0]!.pos).toMatchObject({ line: 1, col: 1 });
    expect(r.diagnostics).toEqual([]);
  });
});

describe('diagnostic codes', () => {
  it('gives every syntax diagnostic the severity its registered code has', () => {
    const r = parseText('a "x\n}\nb {\ninclude none.conf\ninclude none*.conf\n$U ${V}\n~SEQ(I)\n@main\n');
    for (const d of r.diagnostics) expect(d.severity).toBe(SYNTAX_CODES[d.code as SyntaxCode].severity);
    expect(new Set(r.diagnostics.map((d) => d.code)).size).toBeGreaterThanOrEqual(7);
  });
});
