import { describe, expect, it } from 'vitest';
import { brief, outline, parseText } from './helpers.js';

describe('$NAME definitions', () => {
  it('replaces ${NAME} anywhere and $NAME before a blank, comma, ) or the line end', () => {
    const r = parseText('$IF=eth0\n$N= 7\ninterface $IF\nx ${IF}.${N} $N,$N) $IFx\n');
    expect(outline(r.statements)).toEqual(['interface eth0', 'x eth0.7 7,7) $IFx']);
  });

  it('looks definitions up when used, so a value may use later definitions (keepalived man page)', () => {
    const r = parseText(['$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}', '$ADDRESS_BASE_SUB=0', 'ip ${ADDRESS_BASE}.100/32', '$ADDRESS_BASE_SUB=10', 'ip ${ADDRESS_BASE}.100/32'].join('\n'));
    expect(outline(r.statements)).toEqual(['ip 10.2.0.100/32', 'ip 10.2.10.100/32']);
  });

  it('refuses a blank before =, as keepalived does, and says why', () => {
    const r = parseText('$N = 7\nx $N\n');
    expect(brief(r.diagnostics)).toEqual(['1:1 error definition-syntax', '2:3 warning undefined-definition']);
    expect(outline(r.statements)).toEqual(['x $N']);
  });

  it('allows empty values and strips the comment from a definition line', () => {
    const r = parseText('$E=\n$C=value # comment\nx a${E}b $C\n');
    expect(outline(r.statements)).toEqual(['x ab value']);
  });

  it('leaves unknown names alone, warning only outside quoted text', () => {
    const r = parseText('script "/bin/x $HOME"\nrouter_id $NOPE\nrouter_id ${ALSO_NOPE}\n');
    expect(r.statements[0]!.args[0]!.value).toBe('/bin/x $HOME');
    expect(outline(r.statements).slice(1)).toEqual(['router_id $NOPE', 'router_id ${ALSO_NOPE}']);
    expect(brief(r.diagnostics)).toEqual(['2:11 warning undefined-definition', '3:11 warning undefined-definition']);
  });

  it('points at the $ in the original line for words that came from an expansion', () => {
    const r = parseText('$V=a "b\nx   $V\n');
    expect(r.statements[0]!.args[0]!.pos).toMatchObject({ line: 2, col: 5 });
    expect(brief(r.diagnostics)).toEqual(['2:5 error unterminated-quote']);
  });

  it('keeps the columns of text after an expansion', () => {
    const r = parseText('$LONG=aaaaaaaaaa\nx $LONG y\n');
    expect(r.statements[0]!.args.map((a) => a.pos.col)).toEqual([3, 9]);
  });

  // an expansion that doubled itself unchecked would run out of memory long before the test's timeout
  it('gives up on a definition that doubles itself', () => {
    const r = parseText('$A=$A $A\n$A\nz 1\n');
    expect(brief(r.diagnostics)).toEqual(['2:1 error definition-loop']);
    expect(outline(r.statements)).toEqual(['z 1']);
  });

  it('reports a definition that expands forever and goes on', () => {
    const r = parseText('$A=x $A\ny $A\nz 1\n');
    expect(brief(r.diagnostics)).toEqual(['2:3 error definition-loop']);
    expect(outline(r.statements).at(-1)).toBe('z 1');
  });

  it('treats a line that is only $NAME of a multi-line definition as its lines', () => {
    const conf = [
      '$INSTANCE= \\',
      'vrrp_instance VI_${NUM} { \\',
      '    interface eth0.${NUM} \\',
      '    @main priority 130 \\',
      '    @backup priority 120 \\',
      '}',
      '',
      '$NUM=0',
      '$INSTANCE',
      '$NUM=1',
      '$INSTANCE',
    ].join('\n');
    expect(outline(parseText(conf).statements)).toEqual(['vrrp_instance VI_0 {', '  interface eth0.0', '  priority 130', '}', 'vrrp_instance VI_1 {', '  interface eth0.1', '  priority 130', '}']);
  });

  it('nests multi-line definitions, including definitions inside them', () => {
    const conf = [
      '$RS= \\',
      'real_server 192.168.${VS}.${RS_NUM} 80 { \\',
      '  weight 1 \\',
      '}',
      '$VS_BLOCK= \\',
      'virtual_server 10.0.${VS}.4 80 { \\',
      '  $RS_NUM=1 \\',
      '  $RS \\',
      '  $RS_NUM=2 \\',
      '  $RS \\',
      '}',
      '$VS=7',
      '$VS_BLOCK',
    ].join('\n');
    expect(outline(parseText(conf).statements)).toEqual([
      'virtual_server 10.0.7.4 80 {',
      '  real_server 192.168.7.1 80 {',
      '    weight 1',
      '  }',
      '  real_server 192.168.7.2 80 {',
      '    weight 1',
      '  }',
      '}',
    ]);
  });

  it('stops a multi-line definition that names itself', () => {
    const r = parseText('$M= \\\nx 1 \\\n$M\n\n$M\nz 9\n');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['definition-loop']);
    expect(outline(r.statements).at(-1)).toBe('z 9');
    expect(r.statements.length).toBeLessThan(1100);
  });

  it('ends a multi-line definition at an empty line, as keepalived does', () => {
    const r = parseText('$M= \\\na 1 \\\n\nb 2\n$M\n');
    expect(outline(r.statements)).toEqual(['b 2', 'a 1']);
  });

  it('only replaces a multi-line definition at the end of a line', () => {
    const r = parseText('$M= \\\na 1 \\\nb 2\nx $M y\n');
    expect(outline(r.statements)).toEqual(['x $M y']);
    expect(brief(r.diagnostics)).toEqual(['4:3 warning multiline-definition-mid-line']);
  });
});

describe('predefined names', () => {
  it('${_PWD} is the directory of the file the line is in', () => {
    const r = parseText('include sub/x.conf\na ${_PWD}\n', { '/etc/keepalived/sub/x.conf': 'b ${_PWD}/s.sh\n' });
    expect(outline(r.statements)).toEqual(['b /etc/keepalived/sub/s.sh', 'a /etc/keepalived']);
  });

  it('${_INSTANCE} is the config id', () => {
    expect(outline(parseText('router_id ${_INSTANCE}\n', {}, { configId: 'lb1' }).statements)).toEqual(['router_id lb1']);
  });

  it('${_RANDOM [MIN [MAX]]} draws from the injected source', () => {
    const r = parseText('a ${_RANDOM} ${_RANDOM 5} ${_RANDOM 10 20}\n', {}, { random: () => 0.999999 });
    expect(outline(r.statements)).toEqual(['a 32767 32767 20']);
    const low = parseText('a ${_RANDOM 10 20}\n', {}, { random: () => 0 });
    expect(outline(low.statements)).toEqual(['a 10']);
  });

  it('${_RANDOM MIN MAX} with MIN above MAX uses MIN and says so, as keepalived does', () => {
    const r = parseText('a ${_RANDOM 9 3}\n', {}, { random: () => 0.5 });
    expect(outline(r.statements)).toEqual(['a 9']);
    expect(brief(r.diagnostics)).toEqual(['1:3 error definition-parameters']);
  });

  it('${_RANDOM} rejects non-numeric parameters', () => {
    const r = parseText('a ${_RANDOM x}\n');
    expect(brief(r.diagnostics)).toEqual(['1:3 error definition-parameters']);
  });

  it('${_ENV X} reads the environment and warns when X is unset', () => {
    const r = parseText('a ${_ENV HOME}\nb x${_ENV UNSET}y\n', {}, { env: { HOME: '/root' } });
    expect(outline(r.statements)).toEqual(['a /root', 'b xy']);
    expect(brief(r.diagnostics)).toEqual(['2:4 warning undefined-environment-variable']);
  });

  it('${_HASH} and ${_BANG} produce characters that would otherwise start comments', () => {
    const r = parseText('a x${_HASH}y ${_BANG}z\n');
    expect(outline(r.statements)).toEqual(['a x#y !z']);
  });

  it('a user definition may override a predefined name', () => {
    expect(outline(parseText('$_PWD=/x\na ${_PWD}\n').statements)).toEqual(['a /x']);
  });
});

describe('@id conditional lines', () => {
  it('keeps @id lines when the id matches and @^id lines when it does not', () => {
    const conf = '@main router_id main_router\n@backup router_id backup_router\n@^main peer 1.2.3.4\n@^backup peer 1.2.3.5\n';
    expect(outline(parseText(conf, {}, { configId: 'main' }).statements)).toEqual(['router_id main_router', 'peer 1.2.3.5']);
    expect(outline(parseText(conf, {}, { configId: 'backup' }).statements)).toEqual(['router_id backup_router', 'peer 1.2.3.4']);
  });

  it('applies to definitions and to lines a definition starts with @', () => {
    const conf = '@main $PRIORITY=240\n@backup $PRIORITY=200\npriority $PRIORITY\n$IF_MAIN=@main\n$IF_MAIN weight 5\n';
    expect(outline(parseText(conf, {}, { configId: 'main' }).statements)).toEqual(['priority 240', 'weight 5']);
    expect(outline(parseText(conf, {}, { configId: 'backup' }).statements)).toEqual(['priority 200']);
  });

  it('keeps original columns after removing the @id prefix', () => {
    const r = parseText('  @main   router_id x\n');
    expect(r.statements[0]!.pos).toMatchObject({ line: 1, col: 11 });
  });

  it('warns about an @id with nothing after it', () => {
    const r = parseText('@main\nx 1\n');
    expect(brief(r.diagnostics)).toEqual(['1:1 warning conditional-without-text']);
    expect(outline(r.statements)).toEqual(['x 1']);
  });
});
