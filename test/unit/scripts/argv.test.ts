import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitCommand } from '../../../src/scripts/argv.js';

describe('splitCommand', () => {
  it.each<[string, string[]]>([
    ['/etc/keepalived/notify.sh', ['/etc/keepalived/notify.sh']],
    ['  /bin/check.sh   arg1\targ2 ', ['/bin/check.sh', 'arg1', 'arg2']],
    [`/bin/n.sh 'two words' "and \\"more\\"" x`, ['/bin/n.sh', 'two words', 'and "more"', 'x']],
    [`/bin/n.sh a\\ b c'd'"e"`, ['/bin/n.sh', 'a b', 'cde']],
    [`/bin/n.sh $HOME "$HOME" '$HOME'`, ['/bin/n.sh', '$HOME', '$HOME', '$HOME']],
    [`/bin/n.sh "" ''`, ['/bin/n.sh', '', '']],
    ['', []],
  ])('%s', (line, argv) => {
    expect(splitCommand(line)).toEqual(argv);
  });

  it.each(["/bin/x 'open", '/bin/x "open', '/bin/x trailing\\'])('rejects %s', (line) => {
    expect(() => splitCommand(line)).toThrow(/unterminated/);
  });

  it('reads back any argv written with single quotes', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 0 }), { minLength: 1 }), (argv) => {
        const quoted = argv.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
        expect(splitCommand(quoted)).toEqual(argv);
      }),
    );
  });
});
