/**
 * docs/configuration.md, generated from the keyword table so the reference cannot drift from
 * what the analyzer accepts. Regenerate with
 * `UPDATE_DOCS=1 npx vitest run test/unit/config/reference-doc.test.ts`; the same test fails
 * when the committed file is out of date.
 */
import { DIAGNOSTIC_CODES } from './diagnostic-codes.js';
import type { ArgShape, ArgType, BlockName, KeywordSpec } from './keyword-spec.js';
import { KEYWORDS } from './keywords.js';

interface Section {
  readonly title: string;
  readonly blocks: readonly (BlockName | '*')[];
  readonly intro: string;
}

const SECTIONS: readonly Section[] = [
  { title: 'Top level', blocks: ['root', '*'], intro: 'Blocks and keywords written outside any block.' },
  { title: 'global_defs', blocks: ['global_defs'], intro: 'Daemon-wide settings and the defaults VRRP instances inherit.' },
  { title: 'vrrp_instance', blocks: ['vrrp_instance'], intro: '`vrrp_instance NAME { ... }`: one VRRP virtual router.' },
  { title: 'authentication, auth_hmac', blocks: ['authentication', 'auth_hmac'], intro: 'Inside a vrrp_instance.' },
  { title: 'vrrp_sync_group', blocks: ['vrrp_sync_group'], intro: '`vrrp_sync_group NAME { group { VI_1 VI_2 } ... }`.' },
  { title: 'vrrp_script', blocks: ['vrrp_script'], intro: '`vrrp_script NAME { ... }`: a tracked health script.' },
  { title: 'track_file', blocks: ['track_file'], intro: '`track_file NAME { ... }` (legacy: `vrrp_track_file`).' },
  { title: 'vrrp_track_process', blocks: ['vrrp_track_process'], intro: '`vrrp_track_process NAME { ... }`.' },
  { title: 'virtual_server', blocks: ['virtual_server'], intro: '`virtual_server IP PORT { ... }`, `virtual_server fwmark N { ... }` or `virtual_server group NAME { ... }`.' },
  { title: 'real_server', blocks: ['real_server'], intro: '`real_server IP [PORT] { ... }` inside a virtual_server.' },
  {
    title: 'Checkers',
    blocks: ['HTTP_GET', 'SSL_GET', 'url', 'TCP_CHECK', 'SMTP_CHECK', 'smtp_host', 'DNS_CHECK', 'MISC_CHECK', 'FILE_CHECK', 'PING_CHECK', 'UDP_CHECK', 'BFD_CHECK'],
    intro: 'Checker blocks inside a real_server. Timing keywords not given are inherited from the real_server, then the virtual_server.',
  },
  { title: 'bfd_instance', blocks: ['bfd_instance'], intro: '`bfd_instance NAME { ... }`.' },
  { title: 'Other blocks', blocks: ['SSL', 'track_group', 'garp_group'], intro: 'SSL (client certificate for SSL_GET), track_group, garp_group.' },
];

function argType(t: ArgType): string {
  switch (t.type) {
    case 'int':
      return `INT ${t.min}..${t.max}`;
    case 'decimal':
      return `SECONDS ${t.min}..${t.max}`;
    case 'bool':
      return 'on|off';
    case 'enum':
      return t.values.join('|');
    case 'ip':
      return 'IP';
    case 'hex':
      return `HEX${t.length}`;
    case 'string':
      return 'WORD';
  }
}

function shapeText(spec: KeywordSpec): string {
  const shape: ArgShape = spec.shape;
  const parts: string[] = [];
  if (shape.command) parts.push('COMMAND...');
  else if (shape.max > 0) {
    const first = shape.args[0];
    const text = first ? argType(first) : 'WORD';
    const many = shape.max > 1 ? `${text}...` : text;
    parts.push(shape.min === 0 ? `[${many}]` : many);
  }
  if (spec.opens) parts.push('{ keywords }');
  if (spec.list) parts.push('{ lines }');
  return parts.length > 0 ? parts.join(' ') : '(flag)';
}

function defaultText(spec: KeywordSpec): string {
  if (spec.defaultNote !== undefined) return spec.defaultNote;
  if (spec.default === undefined || spec.default === null) return '';
  return `\`${String(spec.default)}\``;
}

function statusText(spec: KeywordSpec): string {
  const status = spec.status === 'acted-on' ? 'acted on' : 'parsed, not acted on (warns)';
  return spec.canonical ? `legacy spelling of \`${spec.canonical}\` (warned); ${status}` : status;
}

/** Table cells: GitHub markdown needs `|` escaped even inside code spans. */
function cell(text: string): string {
  return text.replace(/\n/g, ' ').replace(/\|/g, '\\|');
}

export function renderKeywordReference(): string {
  const lines: string[] = [
    '# keepalived.conf keyword reference',
    '',
    '<!-- Generated from src/config/keywords.ts by src/config/reference-doc.ts. Do not edit by hand:',
    '     UPDATE_DOCS=1 npx vitest run test/unit/config/reference-doc.test.ts -->',
    '',
    'Every keyword keepalived 2.4.3 registers, where it may be written, its arguments, its default and',
    'what keepalived-ts does with it today. **acted on**: the running daemon uses it. **parsed, not',
    'acted on (warns)**: read and checked and shown in the `-d` dump, but nothing at run time uses it;',
    'a configuration that writes it gets one `not-implemented` warning per keyword and file, under',
    '`-t` and at start-up. Every keyword of `virtual_server` blocks is in this state: health checkers',
    'and IPVS programming are not built yet, so the daemon runs VRRP only. Legacy spellings are accepted with a',
    '`deprecated-keyword` warning and treated as their canonical keyword. Unknown keywords are errors',
    'with a did-you-mean from the keywords valid in the same block.',
    '',
    'Arguments: `INT a..b` integer range, `SECONDS a..b` decimal seconds, `WORD` any word, `IP` an',
    'IPv4 or IPv6 address, `[...]` optional, `...` repeatable, `COMMAND...` a script with its',
    'arguments (quote it to keep spaces), `(flag)` no argument, `{ keywords }` opens a block of',
    'keywords, `{ lines }` opens a block of data lines (addresses, names, ...).',
    '',
  ];
  for (const section of SECTIONS) {
    lines.push(`## ${section.title}`, '', section.intro, '');
    for (const block of section.blocks) {
      const specs = KEYWORDS.filter((spec) => spec.blocks.includes(block));
      if (specs.length === 0) continue;
      if (section.blocks.length > 1 && block !== '*' && block !== 'root') lines.push(`### ${block}`, '');
      if (block === '*') continue;
      lines.push('| keyword | arguments | default | status | what it does |', '|---|---|---|---|---|');
      const rows = block === 'root' ? [...KEYWORDS.filter((s) => s.blocks.includes('*')), ...specs] : specs;
      for (const spec of rows) {
        lines.push(`| \`${spec.name}\` | ${cell(shapeText(spec))} | ${cell(defaultText(spec))} | ${cell(statusText(spec))} | ${cell(spec.description)} |`);
      }
      lines.push('');
    }
  }
  lines.push(
    '## Diagnostics',
    '',
    'What the analyzer reports about a configuration, by stable code (`-t` prints the code\'s message',
    'as `FILE:LINE:COL: error|warning: message [keyword]`). A fatal error means the daemon cannot run',
    '(`-t` exits 3); other errors exit 4; `script-security-disabled` exits 5.',
    '',
    '| code | severity | meaning |',
    '|---|---|---|',
  );
  for (const [code, info] of Object.entries(DIAGNOSTIC_CODES)) {
    const severity = 'fatal' in info && info.fatal ? 'error (fatal)' : info.severity;
    lines.push(`| \`${code}\` | ${severity} | ${cell(info.summary)} |`);
  }
  lines.push('');
  return lines.join('\n');
}
