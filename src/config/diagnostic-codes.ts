/**
 * Every diagnostic the config analyzer can raise, under a stable code. Tests, the broken-config
 * corpus and the CLI's exit status key on these codes, never on message text. `fatal` marks the
 * errors after which the daemon cannot run at all (keepalived exits 3 for the same cases).
 */
import type { Severity } from './ast.js';

interface CodeInfo {
  readonly severity: Severity;
  readonly fatal?: boolean;
  readonly summary: string;
}

export const DIAGNOSTIC_CODES = {
  // keyword level
  'unknown-keyword': { severity: 'error', summary: 'A keyword keepalived does not know in this block.' },
  'misplaced-keyword': { severity: 'error', summary: 'A keyword that belongs in another block.' },
  'deprecated-keyword': { severity: 'warning', summary: 'A legacy spelling; the canonical keyword is used.' },
  'not-implemented': { severity: 'warning', summary: 'Parsed, but nothing in keepalived-ts acts on it yet: the daemon runs as if it were absent (once per keyword and file).' },
  'missing-argument': { severity: 'error', summary: 'Fewer arguments than the keyword needs; the line is ignored.' },
  'extra-argument': { severity: 'warning', summary: 'More arguments than the keyword takes; the extra ones are ignored.' },
  'invalid-number': { severity: 'error', summary: 'An argument that should be a number is not; the line is ignored.' },
  'out-of-range': { severity: 'error', summary: 'A number outside the range the keyword allows; the line is ignored.' },
  'invalid-value': { severity: 'error', summary: 'An argument not among the values the keyword allows; the line is ignored.' },
  'invalid-address': { severity: 'error', summary: 'An argument that should be an IP address is not.' },
  'placeholder-argument': { severity: 'error', summary: 'An argument like `<string>` or `<IPADDR>` copied from documentation; the line is ignored.' },
  'missing-block': { severity: 'error', summary: 'A keyword that must open a { } block does not.' },
  'unexpected-block': { severity: 'error', summary: 'A { } block after a keyword that takes none; its content is ignored.' },
  'duplicate-keyword': { severity: 'warning', summary: 'A keyword given twice in one block; the last one wins.' },
  'missing-name': { severity: 'error', summary: 'A named block without its name; the block is ignored.' },
  'duplicate-name': { severity: 'error', summary: 'Two blocks of one kind with the same name; the second is ignored.' },
  'invalid-line': { severity: 'error', summary: 'A data line (address, route, peer, tracking line ...) that cannot be read.' },
  // vrrp_instance
  'unknown-interface': { severity: 'error', fatal: true, summary: 'An interface the host does not have (only when the host\'s interfaces are known; a warning with dynamic_interfaces).' },
  'unknown-interface-dynamic': { severity: 'warning', summary: 'An interface the host does not have, with dynamic_interfaces set.' },
  'loopback-interface': { severity: 'error', summary: 'A vrrp_instance on the loopback interface; ignored.' },
  'interface-name-too-long': { severity: 'error', summary: 'An interface name of 16 characters or more; ignored.' },
  'vrid-missing': { severity: 'error', fatal: true, summary: 'A vrrp_instance without virtual_router_id.' },
  'duplicate-vrid': { severity: 'error', fatal: true, summary: 'Two instances with one VRID and family on one interface.' },
  'advert-int-rounded': { severity: 'warning', summary: 'advert_int not representable in this VRRP version; rounded.' },
  'advert-int-clamped': { severity: 'warning', summary: 'advert_int above the maximum of this VRRP version; clamped.' },
  'ipv6-needs-v3': { severity: 'warning', summary: 'An IPv6 instance configured as VRRPv2; version 3 is used.' },
  'auth-ignored-v3': { severity: 'warning', summary: 'authentication with VRRPv3; ignored.' },
  'auth-ignored-strict': { severity: 'warning', summary: 'authentication with strict mode; ignored.' },
  'auth-no-password': { severity: 'warning', summary: 'authentication without auth_pass; ignored.' },
  'auth-pass-truncated': { severity: 'warning', summary: 'auth_pass longer than 8 characters; only 8 are used.' },
  'nopreempt-master': { severity: 'warning', summary: 'nopreempt with state MASTER; nopreempt cleared.' },
  'nopreempt-owner': { severity: 'warning', summary: 'nopreempt with priority 255; nopreempt cleared.' },
  'preempt-delay-master': { severity: 'warning', summary: 'preempt_delay with state MASTER; cleared.' },
  'preempt-delay-nopreempt': { severity: 'warning', summary: 'preempt_delay with nopreempt; cleared.' },
  'strict-mode-reset': { severity: 'warning', summary: 'A setting strict mode does not allow; reset to the RFC value.' },
  'strict-no-accept': { severity: 'warning', summary: 'Strict mode without accept: the master does not answer on its VIPs (keepalived does not say).' },
  'mcast-dst-with-unicast': { severity: 'warning', summary: 'mcast_dst_ip on a unicast instance; ignored.' },
  'owner-ignore-adverts-not-owner': { severity: 'warning', summary: 'owner_ignore_adverts without priority 255; ignored.' },
  'no-vip': { severity: 'warning', summary: 'An instance without virtual_ipaddress.' },
  'no-vip-strict': { severity: 'error', fatal: true, summary: 'A VRRPv3 or strict-mode instance without virtual_ipaddress.' },
  'unicast-strict': { severity: 'error', fatal: true, summary: 'unicast_peer with strict mode.' },
  'unicast-without-peers': { severity: 'warning', summary: 'A unicast keyword without unicast_peer; multicast is used.' },
  'mixed-family': { severity: 'error', summary: 'A VIP or peer of the other address family than the instance.' },
  'unknown-track-script': { severity: 'error', summary: 'track_script names no vrrp_script; ignored.' },
  'unknown-track-file': { severity: 'error', summary: 'track_file (or FILE_CHECK) names no track_file; ignored.' },
  'tracking-weight-ignored': { severity: 'warning', summary: 'Weighted tracking in a sync group (without sync_group_tracking_weight) or by an address owner; ignored.' },
  'tracking-weight-range': { severity: 'error', summary: 'A tracking weight outside -253..253; ignored.' },
  'unused-script': { severity: 'warning', summary: 'A vrrp_script no instance or group tracks.' },
  'script-missing': { severity: 'error', summary: 'A vrrp_script without script; it is removed.' },
  'track-file-missing-file': { severity: 'error', summary: 'A track_file without file; it is removed.' },
  'vip-claimed-twice': { severity: 'error', summary: 'One virtual address held by two instances.' },
  // vrrp_sync_group
  'legacy-sync-group': { severity: 'warning', summary: 'Sync group members listed without a group { } block.' },
  'sync-group-unknown-instance': { severity: 'error', summary: 'A sync group member that is no vrrp_instance.' },
  'sync-group-empty': { severity: 'warning', summary: 'A sync group with no members; it is removed.' },
  'sync-group-single': { severity: 'warning', summary: 'A sync group with a single member.' },
  'instance-in-two-groups': { severity: 'error', summary: 'A vrrp_instance listed in two sync groups.' },
  // virtual servers
  'invalid-virtual-server': { severity: 'error', summary: 'A virtual_server line that is not `IP PORT`, `fwmark N` or `group NAME`.' },
  'duplicate-virtual-server': { severity: 'error', summary: 'Two virtual_server blocks for the same service.' },
  'unknown-virtual-server-group': { severity: 'error', summary: 'virtual_server group names no virtual_server_group.' },
  'no-protocol': { severity: 'warning', summary: 'A virtual server by address without protocol: UDP is used (not TCP!).' },
  'protocol-with-fwmark': { severity: 'warning', summary: 'protocol on a fwmark virtual server; ignored.' },
  'no-scheduler': { severity: 'warning', summary: 'A virtual server without lvs_sched; wlc is used.' },
  'no-lvs-method': { severity: 'warning', summary: 'No lvs_method for a real or sorry server; NAT is used.' },
  'ops-not-udp': { severity: 'warning', summary: 'ops (one-packet scheduling) on a non-UDP service; cleared.' },
  'zero-port-persistence': { severity: 'warning', summary: 'Port 0 without persistence_timeout; persistence set to 360 s.' },
  'scheduler-flag-ignored': { severity: 'warning', summary: 'An sh-*/mh-* flag with another scheduler; ignored.' },
  'duplicate-real-server': { severity: 'error', summary: 'A real server listed twice in one virtual server.' },
  'checker-no-port': { severity: 'error', summary: 'A connecting checker with no port to connect to.' },
  'http-no-url': { severity: 'error', summary: 'An HTTP_GET/SSL_GET checker without url.' },
  'misc-no-path': { severity: 'error', summary: 'A MISC_CHECK without misc_path.' },
  // script security (keepalived -t exits 5)
  'script-security-disabled': { severity: 'warning', summary: 'Scripts configured without enable_script_security.' },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export function isFatal(code: string): boolean {
  const info: CodeInfo | undefined = (DIAGNOSTIC_CODES as Record<string, CodeInfo>)[code];
  return info?.fatal === true;
}
