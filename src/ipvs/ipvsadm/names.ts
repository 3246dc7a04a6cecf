/**
 * Host and service names, the way ipvsadm meets them through gethostbyname, gethostbyaddr,
 * getservbyname and getservbyport. The pure part reads /etc/hosts and /etc/services text; the
 * CLI hands the file contents in.
 */
import type { Family, Protocol } from '../types.js';
import { formatInet4, inetAton, inetNtop6, inetPton6 } from '../../net/inet.js';

/** A hosts-file address in printed form, or null when the field is not an address of that family. */
function hostsAddress(family: Family, text: string): string | null {
  if (family === 'inet') {
    const v4 = inetAton(text);
    return v4 === null || text.includes(':') ? null : formatInet4(v4);
  }
  const v6 = inetPton6(text);
  return v6 === null ? null : inetNtop6(v6);
}

export interface NameResolver {
  /** gethostbyname for IPv4: the first address of a host name, or null. */
  hostToIPv4(name: string): string | null;
  /** gethostbyaddr: the canonical host name of an address, or null. */
  addressToHost(family: Family, address: string): string | null;
  serviceToPort(name: string, protocol: Protocol): number | null;
  portToService(port: number, protocol: Protocol): string | null;
}

/** A resolver that knows no names: every lookup fails, as with empty files. */
export const noNames: NameResolver = {
  hostToIPv4: () => null,
  addressToHost: () => null,
  serviceToPort: () => null,
  portToService: () => null,
};

function contentLines(text: string): string[][] {
  return text
    .split('\n')
    .map((line) => (line.split('#')[0] ?? '').trim())
    .filter((line) => line !== '')
    .map((line) => line.split(/\s+/));
}

/** A resolver over the text of /etc/hosts and /etc/services (glibc's "files" source). */
export function resolverFromFiles(hostsText: string, servicesText: string): NameResolver {
  const hosts = contentLines(hostsText).filter((fields) => fields.length >= 2);
  const services = contentLines(servicesText)
    .map((fields) => {
      const m = /^(\d+)\/(\w+)$/.exec(fields[1] ?? '');
      return m ? { names: [fields[0] ?? '', ...fields.slice(2)], port: Number(m[1]), protocol: m[2] } : null;
    })
    .filter((entry) => entry !== null);
  return {
    hostToIPv4(name) {
      const wanted = name.toLowerCase();
      for (const [address, ...names] of hosts) {
        const v4 = address === undefined ? null : hostsAddress('inet', address);
        if (v4 !== null && names.some((n) => n.toLowerCase() === wanted)) return v4;
      }
      return null;
    },
    addressToHost(family, address) {
      const wanted = hostsAddress(family, address);
      for (const [text, first] of hosts) {
        if (text === undefined || first === undefined) continue;
        if (wanted !== null && hostsAddress(family, text) === wanted) return first;
      }
      return null;
    },
    serviceToPort(name, protocol) {
      return services.find((s) => s.protocol === protocol && s.names.includes(name))?.port ?? null;
    },
    portToService(port, protocol) {
      return services.find((s) => s.protocol === protocol && s.port === port)?.names[0] ?? null;
    },
  };
}
