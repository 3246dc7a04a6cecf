// keepalived-ts(8) and ipvsadm-ts(8) from what the built commands say about themselves:
// keepalived-ts's option table and ipvsadm-ts's usage text, so the pages cannot drift from
// --help. Usage: node man-pages.mjs OUTDIR VERSION (run after the TypeScript build).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPTION_SPECS } from '../../dist/cli/options.js';
import { usageText } from '../../dist/ipvs/ipvsadm/usage.js';

const [outDir, version] = process.argv.slice(2);
const escape = (text) =>
  text
    .replace(/\\/g, '\\e')
    .replace(/^([.'])/gm, '\\&$1')
    .replace(/-/g, '\\-');

function option(spec) {
  const arg = spec.argName ? (spec.arg === 'optional' ? `[=${spec.argName}]` : ` ${spec.argName}`) : '';
  const names = [spec.short ? `\\fB\\-${spec.short}\\fR` : undefined, `\\fB\\-\\-${escape(spec.long)}\\fR${escape(arg)}`].filter(Boolean).join(', ');
  return `.TP\n${names}\n${escape(spec.help)}\n`;
}

const keepalived = `.TH KEEPALIVED-TS 8 "" "keepalived-ts ${version}" "System Administration"
.SH NAME
keepalived\\-ts \\- VRRP and LVS high availability, keepalived reimplemented in TypeScript
.SH SYNOPSIS
\\fBkeepalived\\-ts\\fR [\\fIOPTION\\fR...]
.SH DESCRIPTION
\\fBkeepalived\\-ts\\fR reads \\fIkeepalived.conf\\fR(5) unchanged and takes \\fBkeepalived\\fR(8)'s
options, listed below with keepalived's own descriptions. It runs in the foreground
(\\fB\\-n\\fR); under systemd, \\fIkeepalived\\-ts.service\\fR or \\fIkeepalived\\-ts\\-nonroot.service\\fR
start it with the options in \\fI/etc/default/keepalived\\-ts\\fR.
.SH OPTIONS
${OPTION_SPECS.map(option).join('')}.SH LOGGING
Unless \\fB\\-G\\fR, messages go to the systemd journal when systemd connected the daemon's
output to it (each at its syslog priority, under the identifiers Keepalived_vrrp,
Keepalived_healthcheckers and Keepalived, with fields such as INSTANCE= and STATE=), and
otherwise as JSON lines on standard output. \\fB\\-l\\fR adds keepalived's console lines on
standard error, \\fB\\-g\\fR a log file, \\fB\\-S\\fR sets the facility, \\fB\\-D\\fR adds detail.
.PP
.nf
journalctl \\-u keepalived\\-ts \\-p warning
journalctl \\-t Keepalived_vrrp INSTANCE=VI_1
.fi
.SH SIGNALS
.TP
\\fBSIGTERM\\fR, \\fBSIGINT\\fR
Stop: a MASTER hands over (priority 0 adverts), releases its addresses and runs its stop scripts.
.TP
\\fBSIGHUP\\fR
Reload request (\\fBsystemctl reload\\fR); the daemon logs what it did with it.
.SH FILES
.TP
\\fI/etc/keepalived/keepalived.conf\\fR
The configuration, shared with Debian's keepalived.
.TP
\\fI/etc/default/keepalived\\-ts\\fR
DAEMON_ARGS for the systemd units.
.TP
\\fI/run/keepalived\\-ts/keepalived\\-ts.pid\\fR
The pid file the units ask for.
.SH SEE ALSO
\\fBkeepalived\\fR(8), \\fBkeepalived.conf\\fR(5), \\fBipvsadm\\-ts\\fR(8), \\fBsystemctl\\fR(1), \\fBjournalctl\\fR(1);
/usr/share/doc/keepalived\\-ts/operations.md
`;

const ipvsadm = `.TH IPVSADM-TS 8 "" "keepalived-ts ${version}" "System Administration"
.SH NAME
ipvsadm\\-ts \\- Linux Virtual Server administration, Debian's ipvsadm 1.31 over keepalived\\-ts's netlink client
.SH SYNOPSIS
\\fBipvsadm\\-ts\\fR \\fICOMMAND\\fR [\\fIOPTION\\fR...]
.SH DESCRIPTION
\\fBipvsadm\\-ts\\fR takes \\fBipvsadm\\fR(8)'s commands and options and prints its listings, messages
and exit statuses byte for byte; see \\fBipvsadm\\fR(8) for what each does. Its help text:
.PP
.nf
${escape(usageText('ipvsadm-ts'))}.fi
.SH SEE ALSO
\\fBipvsadm\\fR(8), \\fBkeepalived\\-ts\\fR(8)
`;

writeFileSync(join(outDir, 'keepalived-ts.8'), keepalived);
writeFileSync(join(outDir, 'ipvsadm-ts.8'), ipvsadm);
