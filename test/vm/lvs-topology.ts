/**
 * The namespaces the LVS vm tests build in the guest, written once. The guest's root namespace is
 * the director; `<tag>-c` is a client (10.<net>.0.2, the director 10.<net>.0.1) and `<tag>-r1`,
 * `<tag>-r2`, … are real servers (10.<net>.<i>.2, the director 10.<net>.<i>.1), each over a veth
 * pair and with its default route through the director, so NAT replies pass back through IPVS.
 * `vip`, when given, is put on the director's `lo`.
 */
export interface LvsTopology {
  /** Prefix of namespace and interface names (`<tag>-r1-a` must fit in 15 characters). */
  readonly tag: string;
  /** The second octet of every address. */
  readonly net: number;
  readonly servers: readonly string[];
  /** With a client namespace `<tag>-c`. */
  readonly client: boolean;
  readonly vip?: string;
}

function namespaces(t: LvsTopology): string[] {
  return [...(t.client ? ['c'] : []), ...t.servers].map((n) => `${t.tag}-${n}`);
}

/** A /bin/sh script that builds the topology; it prints nothing on success. */
export function topologyUp(t: LvsTopology): string {
  const lines = ['sysctl -qw net.ipv4.ip_forward=1', ...(t.vip === undefined ? [] : [`ip addr add ${t.vip}/32 dev lo`])];
  const link = (ns: string, i: number): void => {
    lines.push(
      `ip netns add ${ns}`,
      `ip link add ${ns}-a type veth peer name ${ns}-b netns ${ns}`,
      `ip addr add 10.${t.net}.${i}.1/24 dev ${ns}-a; ip link set ${ns}-a up`,
      `ip -n ${ns} addr add 10.${t.net}.${i}.2/24 dev ${ns}-b; ip -n ${ns} link set ${ns}-b up; ip -n ${ns} link set lo up`,
      `ip -n ${ns} route add default via 10.${t.net}.${i}.1`,
    );
  };
  if (t.client) link(`${t.tag}-c`, 0);
  t.servers.forEach((name, i) => link(`${t.tag}-${name}`, i + 1));
  return lines.join('\n');
}

/** Kills what runs in the namespaces and deletes them (their veth pairs go with them), and the vip. */
export function topologyDown(t: LvsTopology): string {
  return [...(t.vip === undefined ? [] : [`ip addr del ${t.vip}/32 dev lo`]), ...namespaces(t).map((ns) => `ip netns pids ${ns} | xargs -r kill -9; ip netns del ${ns}`)].join('\n');
}

/**
 * A script that starts `node -e program name readyFile` in each real server's namespace (the
 * program writes readyFile once it listens) and returns when all are ready, within `withinS`.
 */
export function serversUp(t: LvsTopology, program: string, readyDir: string, withinS: number): string {
  const start = t.servers.map((name) => `rm -f ${readyDir}/${name}.up; ip netns exec ${t.tag}-${name} ${process.execPath} -e "${program}" ${name} ${readyDir}/${name}.up >/dev/null 2>&1 &`);
  const ready = t.servers.map((name) => `[ -e ${readyDir}/${name}.up ]`).join(' && ');
  return [...start, `for i in $(seq 1 ${withinS * 10}); do ${ready} && exit 0; sleep 0.1; done; exit 1`].join('\n');
}
